// The user's tag picks, kept in global state (validated when read back: core/tags/usage.ts), with
// the command that clears them. A completion item (from the language server) records its pick
// through an internal command; `onChange` hands the new counts to the server, which ranks by them.
import * as vscode from 'vscode';
import { parseTagUsage, recordTagUse, storeTagUsage } from '../../core/tags/usage';
import { RECORD_TAG_USE_COMMAND } from '../../lsp/protocol';

const STATE_KEY = 'civitai.tagUsage';
export const CLEAR_TAG_HISTORY_COMMAND = 'civitai.clearTagHistory';

export class TagUsageStore {
  private usage: Map<string, number>;
  constructor(
    private readonly state: vscode.Memento,
    private readonly onChange: (usage: ReadonlyMap<string, number>) => void = () => undefined,
  ) {
    this.usage = parseTagUsage(state.get<unknown>(STATE_KEY));
  }
  get current(): ReadonlyMap<string, number> {
    return this.usage;
  }
  async record(name: string): Promise<void> {
    this.usage = recordTagUse(this.usage, name);
    this.onChange(this.usage);
    await this.state.update(STATE_KEY, storeTagUsage(this.usage));
  }
  async clear(): Promise<void> {
    this.usage = new Map();
    this.onChange(this.usage);
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
