// History of workflows in this workspace, persisted in `workspaceState` (results are saved in the
// workspace too) and validated with zod on load: corrupt entries are dropped with a log line.
import * as vscode from 'vscode';
import {
  parseHistory, pruneHistory, upsertEntry, removeEntry, isUnfinished, HistoryEntrySchema, type HistoryEntry,
} from '../../core/history';
import type { Log } from '../common/log';

export const HISTORY_STATE_KEY = 'civitai.history.v1';

export class HistoryStore implements vscode.Disposable {
  private entries: HistoryEntry[] | undefined;
  private readonly changed = new vscode.EventEmitter<HistoryEntry | undefined>();
  /** Fires with the entry that changed, or undefined when the whole list did. */
  readonly onDidChange = this.changed.event;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly memento: vscode.Memento, private readonly log: Log) {}

  all(): readonly HistoryEntry[] {
    if (!this.entries) {
      const { entries, dropped } = parseHistory(this.memento.get<unknown>(HISTORY_STATE_KEY));
      for (const line of dropped) this.log.warn(`history: dropped a stored entry that does not validate (${line})`);
      this.entries = entries;
    }
    return this.entries;
  }

  get(key: string): HistoryEntry | undefined {
    return this.all().find((e) => e.key === key);
  }

  byWorkflowId(id: string): HistoryEntry | undefined {
    return this.all().find((e) => e.workflowId === id);
  }

  unfinished(): HistoryEntry[] {
    return this.all().filter(isUnfinished);
  }

  /**
   * Saves an entry and waits until it is persisted: the submit path relies on the idempotency key
   * being stored BEFORE the request goes out.
   */
  async put(entry: HistoryEntry): Promise<HistoryEntry> {
    const valid = HistoryEntrySchema.parse(entry);
    this.entries = pruneHistory(upsertEntry(this.all(), valid));
    await this.persist();
    this.changed.fire(valid);
    return valid;
  }

  /** Applies `change` to the current version of an entry (no-op when it is gone). */
  async update(key: string, change: (entry: HistoryEntry) => HistoryEntry): Promise<HistoryEntry | undefined> {
    const current = this.get(key);
    if (!current) return undefined;
    return this.put(change(current));
  }

  async remove(key: string): Promise<void> {
    this.entries = removeEntry(this.all(), key);
    await this.persist();
    this.changed.fire(undefined);
  }

  /** Re-reads the stored list (another window of the same workspace may have written it). */
  reload(): void {
    this.entries = undefined;
    this.changed.fire(undefined);
  }

  private persist(): Promise<void> {
    const snapshot = this.entries ?? [];
    // Serialise writes so an older list never lands after a newer one.
    this.writing = this.writing.then(
      () => Promise.resolve(this.memento.update(HISTORY_STATE_KEY, snapshot)),
      () => Promise.resolve(this.memento.update(HISTORY_STATE_KEY, snapshot)),
    );
    return this.writing;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
