// Replaces secrets in text before it is written anywhere: every token the extension has seen, and
// anything shaped like a bearer credential. Pure (no vscode import), unit-tested directly.

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret so every later line has it replaced. Very short strings are ignored. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text.replace(/(Bearer\s+)[^\s"',;]+/gi, '$1[redacted]');
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    return out;
  }
}
