// A status bar item with the exact CLIP token count of the prompt under the cursor
// ("47/75 · chunk 1"), or a note that the step's text encoder is not CLIP. Core computes it.
import * as vscode from 'vscode';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { promptTokenStatus } from '../../core/prompt/clip-status';
import { getActiveUserProfiles } from '../../core/ecosystems/profiles';

/** Not in the manifest: lets the extension-host tests read what the item shows. */
export const PROMPT_TOKEN_STATUS_COMMAND = 'civitai.internal.promptTokenStatus';
const UPDATE_DELAY_MS = 120;

export class PromptTokenStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('civitai.promptTokens', vscode.StatusBarAlignment.Right, 98);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly selector: (document: vscode.TextDocument) => boolean) {
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
    this.timer = setTimeout(() => this.update(editor), UPDATE_DELAY_MS);
  }

  private update(editor: vscode.TextEditor | undefined): void {
    const status = editor && this.selector(editor.document)
      ? promptTokenStatus(parseWorkflowDocument(editor.document.getText()), editor.document.offsetAt(editor.selection.active), getActiveUserProfiles())
      : undefined;
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
