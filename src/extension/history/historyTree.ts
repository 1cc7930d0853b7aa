// The "Workflows" view in the Civitai activity-bar container: recent workflows grouped by day, each
// row a status icon, the file (or step) name and "5m ago · 20 Buzz · 4 img"; the tooltip has every
// detail and a thumbnail. Selecting a row opens its results. Row text comes from core (historyRows).
import * as vscode from 'vscode';
import { groupByDay, historyRow, type HistoryEntry } from '../../core/history';
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

/** A day heading ("Today", "Yesterday", "Mon 30 Nov") or one workflow. */
export type HistoryNode = { kind: 'day'; key: string; label: string; entries: HistoryEntry[] } | HistoryEntry;

const isDay = (node: HistoryNode): node is Extract<HistoryNode, { kind: 'day' }> => (node as { kind?: string }).kind === 'day';

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** "5m ago" goes stale: redraw once a minute while there is anything to show. */
  private readonly clock: NodeJS.Timeout;

  constructor(private readonly history: HistoryStore, private readonly now: () => Date = () => new Date()) {
    // Entries are replaced (immutable), so refresh the whole list: items are matched by id.
    this.subscription = history.onDidChange(() => this.changed.fire());
    this.clock = setInterval(() => {
      if (this.history.all().length) this.changed.fire();
    }, 60_000);
  }

  refresh(): void {
    this.history.reload();
  }

  getChildren(element?: HistoryNode): HistoryNode[] {
    if (!element) {
      return groupByDay(this.history.all(), this.now()).map((g) => ({ kind: 'day' as const, ...g }));
    }
    return isDay(element) ? element.entries : [];
  }

  /** Every workflow row, in the order shown (newest day first). */
  entryItems(): vscode.TreeItem[] {
    return this.getChildren().flatMap((day) => this.getChildren(day)).map((e) => this.getTreeItem(e));
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (isDay(node)) {
      const runs = `${node.entries.length} run${node.entries.length === 1 ? '' : 's'}`;
      const item = new vscode.TreeItem(spaced(node.label), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `day:${node.key}`;
      item.description = runs;
      item.accessibilityInformation = { label: `${node.label} ${runs}` };
      item.contextValue = 'civitaiDay';
      return item;
    }
    const entry = node;
    const row = historyRow(entry, this.now());
    const item = new vscode.TreeItem(spaced(row.title), vscode.TreeItemCollapsibleState.None);
    item.id = entry.key;
    const [icon, color] = ICONS[entry.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.description = row.description;
    item.accessibilityInformation = { label: row.ariaLabel };
    item.tooltip = tooltip(entry, row.details, row.title);
    item.contextValue = `civitaiWorkflow.${entry.status}`;
    item.command = { command: OPEN_RESULTS_COMMAND, title: 'Open Results', arguments: [entry.key] };
    return item;
  }

  dispose(): void {
    clearInterval(this.clock);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function tooltip(entry: HistoryEntry, lines: string[], title: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(title)}**\n\n`);
  const thumb = entry.images.find((i) => i.localPath && !i.withheld);
  if (thumb?.localPath) {
    // VS Code's markdown takes `|width=` after an image link; the file is in the results folder.
    md.appendMarkdown(`![${escapeMd(`${title}, first image`)}](${vscode.Uri.file(thumb.localPath).toString()}|width=160)\n\n`);
  }
  for (const line of lines) md.appendMarkdown(`${escapeMd(line)}  \n`);
  return md;
}

/**
 * The workbench draws a row's label and description as adjacent elements with no text between
 * them, so assistive tech (and axe's label-content-name-mismatch) read "sd1-batch5m ago…". A
 * trailing space in the label keeps the two words apart; it is not visible.
 */
function spaced(label: string): string {
  return `${label} `;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
