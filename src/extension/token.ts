// The API token lives only in VS Code's SecretStorage. This class is the one place that reads or
// writes it; everything else asks for it right before a request and never stores it.
import * as vscode from 'vscode';
import type { Redactor } from './log';

export const TOKEN_SECRET_KEY = 'civitai.apiToken';

export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private known: boolean | undefined;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly redactor: Redactor) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== TOKEN_SECRET_KEY) return;
      this.known = undefined;
      this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    const token = (await this.secrets.get(TOKEN_SECRET_KEY))?.trim() || undefined;
    this.known = token !== undefined;
    this.redactor.add(token);
    return token;
  }

  async has(): Promise<boolean> {
    if (this.known === undefined) await this.get();
    return this.known ?? false;
  }

  async set(token: string): Promise<void> {
    const trimmed = token.trim();
    this.redactor.add(trimmed);
    await this.secrets.store(TOKEN_SECRET_KEY, trimmed);
    this.known = true;
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(TOKEN_SECRET_KEY);
    this.known = false;
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Light sanity check for a pasted token: no spaces, not a URL, not absurdly short. */
export function validateTokenInput(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0) return 'Paste the token from your Civitai account settings.';
  if (/\s/.test(v)) return 'A token has no spaces. Paste only the token.';
  if (/^bearer\b/i.test(v)) return 'Paste the token without the "Bearer " prefix.';
  if (/^https?:\/\//i.test(v)) return 'That looks like a URL, not a token.';
  if (v.length < 8) return 'That is too short to be an API token.';
  return undefined;
}
