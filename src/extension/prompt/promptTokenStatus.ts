// A status bar item with the exact CLIP token count of the prompt under the cursor
// ("47/75 · chunk 1"), or a note that the step's text encoder is not CLIP. The language server
// counts (it holds the parsed file); this item asks once the cursor rests and shows the answer.
import * as vscode from 'vscode';
import type { PromptTokenStatus } from '../../core/prompt/clip-status';

/** Counts the tokens of the prompt at `offset` of the document (undefined: not in a prompt). */
export type PromptTokenCounter = (document: vscode.TextDocument, offset: number) => Promise<PromptTokenStatus | undefined>;

/** Not in the manifest: lets the extension-host tests read what the item shows. */
export const PROMPT_TOKEN_STATUS_COMMAND = 'civitai.internal.promptTokenStatus';
const UPDATE_DELAY_MS = 120;

export class PromptTokenStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('civitai.promptTokens', vscode.StatusBarAlignment.Right, 98);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped per update: an answer for an older cursor or text is dropped. */
  private asked = 0;

  constructor(
    private readonly selector: (document: vscode.TextDocument) => boolean,
    private readonly count: PromptTokenCounter,
  ) {
    this.item.name = 'Civitai prompt tokens';
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => this.schedule(e)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule(vscode.window.activeTextEditor);
      }),
      vscode.commands.registerCommand(PROMPT_TOKEN_STATUS_COMMAND, () => (this.item.text ? { text: this.item.text, tooltip: this.item.tooltip, visible: this.visible } : undefined)),
    );
    this.schedule(vscode.window.activeTextEditor);
  }

  private visible = false;

  private schedule(editor: vscode.TextEditor | undefined): void {
    if (this.timer) clearTimeout(this.timer);
    this.asked++;
    this.timer = setTimeout(() => void this.update(editor), UPDATE_DELAY_MS);
  }

  private async update(editor: vscode.TextEditor | undefined): Promise<void> {
    const asked = ++this.asked;
    let status: PromptTokenStatus | undefined;
    if (editor && this.selector(editor.document)) {
      try {
        status = await this.count(editor.document, editor.document.offsetAt(editor.selection.active));
      } catch {
        status = undefined; // the server is restarting: the next cursor move asks again
      }
    }
    if (asked !== this.asked) return;
    if (!status) {
      this.item.hide();
      this.visible = false;
      return;
    }
    this.item.text = `$(symbol-text) ${status.text}`;
    this.item.tooltip = status.tooltip;
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.item.dispose();
  }
}
