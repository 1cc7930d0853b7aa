// The extension's side of the run records shared with the CLI (`.civitai/runs/<key>.json` in the
// first workspace folder): written before the POST, updated when the service gives an id and
// when the run ends, so `civitai-workflow follow KEY` and a re-run of the same file from a
// terminal attach to a run the editor started instead of paying for it again.
import * as vscode from 'vscode';
import { newRunRecord, RunRecordStore } from '../../core/history/run-records';
import type { EntryStatus } from '../../core/history';
import { describe, type Log } from '../common/log';

export class SharedRunRecords {
  /** What each record last said, so progress polls do not rewrite an unchanged file. */
  private readonly written = new Map<string, string>();

  constructor(private readonly log: Log) {}

  private store(): RunRecordStore | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder?.uri.scheme === 'file' ? RunRecordStore.forWorkspace(folder.uri.fsPath) : undefined;
  }

  /** Before the POST. A failure is logged: the editor's own history already holds the key. */
  async submitting(args: { key: string; serviceUrl: string; digest: string; body: unknown; file?: string }): Promise<void> {
    const store = this.store();
    if (!store) return;
    try {
      await store.write(newRunRecord({ key: args.key, serviceUrl: args.serviceUrl, bodyDigest: args.digest, body: args.body, file: args.file, by: 'extension' }));
    } catch (error) {
      this.log.warn(`run record ${args.key}: not written (${describe(error)})`);
    }
  }

  async updated(key: string, change: { workflowId?: string; status: EntryStatus }): Promise<void> {
    const store = this.store();
    const said = `${change.workflowId ?? ''}/${change.status}`;
    if (!store || this.written.get(key) === said) return;
    this.written.set(key, said);
    try {
      await store.update(key, (r) => ({
        ...r,
        workflowId: change.workflowId ?? r.workflowId,
        status: change.status,
        pendingBody: change.workflowId || r.workflowId ? undefined : r.pendingBody,
      }));
    } catch (error) {
      this.log.warn(`run record ${key}: not updated (${describe(error)})`);
    }
  }
}
