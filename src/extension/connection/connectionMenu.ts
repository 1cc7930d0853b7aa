// The status bar item's menu: the connection-related commands in one place.
import * as vscode from 'vscode';
import type { CivitaiContext } from '../context';

export function connectionMenu(ctx: CivitaiContext) {
  return async (): Promise<void> => {
    const target = ctx.service.current();
    const hasToken = await ctx.tokens.has();
    const items: Array<vscode.QuickPickItem & { command: string; args?: unknown[] }> = [
      { label: '$(key) Set API Token', description: hasToken ? 'replace the stored token' : 'not set', command: 'civitai.setApiToken' },
      ...(hasToken ? [{ label: '$(trash) Clear API Token', command: 'civitai.clearApiToken' }] : []),
      ...(target.kind === 'emulator' ? [] : [{ label: '$(server-environment) Use Local Emulator', description: 'this session only; nothing is charged', command: 'civitai.useLocalEmulator' }]),
      { label: '$(gear) Service URL…', description: target.baseUrl, command: 'workbench.action.openSettings', args: ['civitai.baseUrl'] },
      { label: '$(output) Show Log', command: 'civitai.showLog' },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: `Civitai: ${target.label} (${target.baseUrl})` });
    if (pick) await vscode.commands.executeCommand(pick.command, ...(pick.args ?? []));
  };
}
