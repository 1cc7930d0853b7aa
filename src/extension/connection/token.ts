// The API token lives only in VS Code's SecretStorage. This class is the one place that reads or
// writes it; everything else asks for it right before a request and never stores it.
import * as vscode from 'vscode';
import type { Redactor } from '../common/redact';

export { validateTokenInput } from './tokenInput';

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
