// Status bar: which service the extension talks to and whether it can (token set or emulator).
import * as vscode from 'vscode';
import type { ServiceConnection } from './service';
import type { TokenStore } from './token';

export const CONNECTION_MENU_COMMAND = 'civitai.connectionMenu';

export class ConnectionStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('civitai.connection', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private current = '';
  /** Updates can overlap (token and service events): only the latest may write. */
  private generation = 0;

  constructor(private readonly service: ServiceConnection, private readonly tokens: TokenStore) {
    this.item.name = 'Civitai: service';
    this.item.command = CONNECTION_MENU_COMMAND;
    this.subscriptions = [service.onDidChange(() => void this.update()), tokens.onDidChange(() => void this.update())];
    void this.update();
    this.item.show();
  }

  /** The text shown now (for tests). */
  get text(): string {
    return this.current;
  }

  async update(): Promise<void> {
    const generation = ++this.generation;
    const hasToken = await this.tokens.has();
    if (generation !== this.generation) return;
    const target = this.service.current();
    if (target.kind === 'emulator') {
      this.set('$(server-environment) Emulator', `Civitai: talking to the local emulator at ${target.baseUrl} for this session (nothing is charged).`, undefined);
      return;
    }
    if (hasToken) {
      this.set(`$(key) ${target.label}`, `Civitai: talking to ${target.baseUrl}. API token set (kept in VS Code's secret storage).`, undefined);
    } else {
      this.set(`$(circle-slash) ${target.label}: no token`, `Civitai: talking to ${target.baseUrl}. No API token set: submitting needs one (or use the local emulator).`, new vscode.ThemeColor('statusBarItem.warningBackground'));
    }
  }

  private set(text: string, tooltip: string, background: vscode.ThemeColor | undefined): void {
    this.current = text;
    this.item.text = text;
    this.item.tooltip = `${tooltip}\nClick for options.`;
    this.item.backgroundColor = background;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
