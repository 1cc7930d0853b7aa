// The "Workflows" view in the Civitai activity-bar container: recent workflows with a status
// icon; selecting one opens its results.
import * as vscode from 'vscode';
import type { HistoryEntry } from '../core/history';
import type { HistoryStore } from './historyStore';

const ICONS: Record<HistoryEntry['status'], [string, string?]> = {
  submitting: ['loading~spin'],
  rejected: ['error', 'errorForeground'],
  unassigned: ['clock'],
  preparing: ['clock'],
  scheduled: ['clock'],
  processing: ['sync~spin', 'charts.blue'],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  expired: ['watch', 'list.warningForeground'],
  canceled: ['circle-slash', 'disabledForeground'],
};

export const OPEN_RESULTS_COMMAND = 'civitai.openResults';

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryEntry | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly history: HistoryStore) {
    // Entries are replaced (immutable), so refresh the whole list: items are matched by id.
    this.subscription = history.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.history.reload();
  }

  getChildren(element?: HistoryEntry): HistoryEntry[] {
    return element ? [] : [...this.history.all()];
  }

  getTreeItem(entry: HistoryEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.label, vscode.TreeItemCollapsibleState.None);
    item.id = entry.key;
    const [icon, color] = ICONS[entry.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const when = new Date(entry.createdAt);
    const time = Number.isNaN(when.getTime()) ? entry.createdAt : when.toLocaleString();
    item.description = `${entry.status}${entry.emulator ? ' · emulator' : ''} · ${time}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMd(entry.label)}** — ${entry.status}\n\n`);
    if (entry.workflowId) tooltip.appendMarkdown(`Workflow \`${escapeMd(entry.workflowId)}\`\n\n`);
    tooltip.appendMarkdown(`Service: ${escapeMd(entry.serviceUrl)}\n\n`);
    if (entry.estimate !== null) tooltip.appendMarkdown(`Estimate ≈ ${entry.estimate} Buzz\n\n`);
    if (entry.images.length) tooltip.appendMarkdown(`${entry.images.length} image(s)\n\n`);
    if (entry.lastError) tooltip.appendMarkdown(`$(warning) ${escapeMd(entry.lastError)}`);
    item.tooltip = tooltip;
    item.contextValue = `civitaiWorkflow.${entry.status}`;
    item.command = { command: OPEN_RESULTS_COMMAND, title: 'Open Results', arguments: [entry.key] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
