// Replaces secrets in text before it is written anywhere: every token seen so far, and anything
// shaped like a bearer credential or a password in a URL. Shared by the extension's log and the
// CLI's output, so both hide the same things.

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret so every later line has it replaced. Very short strings are ignored. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = redactCredentialShapes(text);
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    return out;
  }
}

/** `Bearer xyz` and `scheme://user:password@host` with the secret part replaced. */
export function redactCredentialShapes(text: string): string {
  return text
    .replace(/(Bearer\s+)[^\s"',;]+/gi, '$1[redacted]')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]*@/gi, '$1[redacted]@');
}
