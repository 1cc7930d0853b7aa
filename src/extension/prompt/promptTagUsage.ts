// The user's tag picks, kept in global state (validated when read back: core/tags/usage.ts), with
// the command that clears them. A completion item records its pick through an internal command.
import * as vscode from 'vscode';
import { parseTagUsage, recordTagUse, storeTagUsage } from '../../core/tags/usage';

const STATE_KEY = 'civitai.tagUsage';
export const RECORD_TAG_USE_COMMAND = 'civitai.internal.recordTagUse';
export const CLEAR_TAG_HISTORY_COMMAND = 'civitai.clearTagHistory';

export class TagUsageStore {
  private usage: Map<string, number>;
  constructor(private readonly state: vscode.Memento) {
    this.usage = parseTagUsage(state.get<unknown>(STATE_KEY));
  }
  get current(): ReadonlyMap<string, number> {
    return this.usage;
  }
  async record(name: string): Promise<void> {
    this.usage = recordTagUse(this.usage, name);
    await this.state.update(STATE_KEY, storeTagUsage(this.usage));
  }
  async clear(): Promise<void> {
    this.usage = new Map();
    await this.state.update(STATE_KEY, undefined);
  }
}

export function registerTagUsage(store: TagUsageStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(RECORD_TAG_USE_COMMAND, (name: unknown) => (typeof name === 'string' ? store.record(name) : undefined)),
    vscode.commands.registerCommand(CLEAR_TAG_HISTORY_COMMAND, async () => {
      const n = store.current.size;
      await store.clear();
      void vscode.window.showInformationMessage(n ? `Civitai: forgot ${n} tag${n === 1 ? '' : 's'} you had picked; completions rank by Danbooru post counts only.` : 'Civitai: no tag history to clear.');
    }),
  ];
}
