// Resolving which history entry a command is about: an argument (history key, workflow id, or a
// tree item's entry), else a quick pick.
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../core/history';
import type { CivitaiContext } from '../context';

export function entryFromArg(ctx: CivitaiContext, arg: unknown): HistoryEntry | undefined {
  if (typeof arg === 'string') return ctx.history.get(arg) ?? ctx.history.byWorkflowId(arg);
  if (arg && typeof arg === 'object' && typeof (arg as { key?: unknown }).key === 'string') return ctx.history.get((arg as { key: string }).key);
  return undefined;
}

export async function pickEntry(ctx: CivitaiContext, title: string, filter: (e: HistoryEntry) => boolean = () => true): Promise<HistoryEntry | undefined> {
  const entries = ctx.history.all().filter(filter);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('Civitai: no matching workflows in this workspace\'s history.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.label, description: `${e.status}${e.workflowId ? ` · ${e.workflowId}` : ''}`, detail: new Date(e.createdAt).toLocaleString(), entry: e })),
    { title, matchOnDescription: true },
  );
  return pick?.entry;
}
