// The extension's LogOutputChannel, with every line passed through a redactor: the API token (and
// anything that looks like a bearer credential) never reaches the log, even by accident.
import * as vscode from 'vscode';
import { describe } from './errors';
import { Redactor } from './redact';

export { Redactor } from './redact';
export { describe } from './errors';

export class Log implements vscode.Disposable {
  readonly redactor = new Redactor();
  /** Redacted lines, kept for the e2e tests' "the token is nowhere in the log" check. */
  private readonly recent: string[] = [];

  constructor(private readonly channel: vscode.LogOutputChannel) {}

  static create(): Log {
    return new Log(vscode.window.createOutputChannel('Civitai', { log: true }));
  }

  info(message: string): void {
    this.channel.info(this.keep(message));
  }

  warn(message: string): void {
    this.channel.warn(this.keep(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${describe(error)}`;
    this.channel.error(this.keep(message + detail));
  }

  debug(message: string): void {
    this.channel.debug(this.keep(message));
  }

  show(): void {
    this.channel.show(true);
  }

  /** The last lines written (already redacted). */
  lines(): readonly string[] {
    return this.recent;
  }

  private keep(message: string): string {
    const safe = this.redactor.redact(message);
    this.recent.push(safe);
    if (this.recent.length > 2000) this.recent.splice(0, this.recent.length - 2000);
    return safe;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
