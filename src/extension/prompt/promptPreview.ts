// Host of the prompt preview panel (`civitai.promptPreview`), beside the editor. It follows the
// cursor's step in the active workflow file (selection and document changes, debounced), asks
// core for the preview data, and posts it to the webview. Messages are validated with zod both
// ways; the page runs under a strict CSP with a nonce. A serializer restores it after a reload.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { buildPromptPreview } from '../../core/prompt/preview-model';
import { getActiveUserProfiles } from '../../core/ecosystems/profiles';
import {
  PreviewFromWebviewSchema,
  type PreviewFromWebview,
  type PreviewResult,
  type PromptPreviewState,
} from '../../core/prompt/preview-messages';
import type { HistoryEntry } from '../../core/history/entry';
import type { LintResult } from '../../core/lint';
import { isWorkflowDocument } from '../common/convert';

export const PROMPT_PREVIEW_VIEW_TYPE = 'civitai.promptPreview';

export interface PromptPreviewDeps {
  readonly extensionUri: vscode.Uri;
  /** The linter's findings for a document (shown inline on the chips). */
  readonly lint: (document: vscode.TextDocument) => LintResult;
  /** Fires after a document was re-linted. */
  readonly onDidLint?: vscode.Event<vscode.Uri>;
  /** The results history, when the editor has one (the step's past images come from it). */
  readonly history?: { all(): readonly HistoryEntry[]; readonly onDidChange?: vscode.Event<unknown> };
  /** Folders the saved images live in (allowed as webview resource roots). */
  readonly imageRoots?: () => vscode.Uri[];
  readonly log?: { warn(message: string): void };
}

const DEBOUNCE_MS = 120;

export class PromptPreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private editor: vscode.TextEditor | undefined;
  private timer: NodeJS.Timeout | undefined;
  private state: PromptPreviewState | undefined;
  private resultUris: vscode.Uri[] = [];
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(private readonly deps: PromptPreviewDeps) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.panel && isWorkflowDocument(e.textEditor.document)) {
          this.editor = e.textEditor;
          this.schedule();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.panel && e && isWorkflowDocument(e.document)) {
          this.editor = e;
          this.schedule();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && this.editor?.document === e.document) this.schedule();
      }),
    );
    if (deps.onDidLint) this.disposables.push(deps.onDidLint((uri) => this.editor?.document.uri.toString() === uri.toString() && this.schedule()));
    if (deps.history?.onDidChange) this.disposables.push(deps.history.onDidChange(() => this.schedule()));
  }

  /** Opens the panel beside the editor (or reveals it) and follows `editor`. */
  show(editor: vscode.TextEditor | undefined): void {
    if (editor && isWorkflowDocument(editor.document)) this.editor = editor;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel(PROMPT_PREVIEW_VIEW_TYPE, 'Prompt Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
      this.attach(panel);
    }
    this.update();
  }

  /** Adopts a panel VS Code restored after a reload. */
  restore(panel: vscode.WebviewPanel): void {
    panel.webview.options = this.options();
    const active = vscode.window.activeTextEditor;
    if (active && isWorkflowDocument(active.document)) this.editor = active;
    else this.editor = vscode.window.visibleTextEditors.find((e) => isWorkflowDocument(e.document));
    this.attach(panel);
    this.update();
  }

  /** The last state posted to the webview (for tests and the serializer). */
  lastState(): PromptPreviewState | undefined {
    return this.state;
  }

  isOpen(): boolean {
    return this.panel !== undefined;
  }

  isReady(): boolean {
    return this.ready;
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview'), ...(this.deps.imageRoots?.() ?? []), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)];
    return { enableScripts: true, localResourceRoots: roots, retainContextWhenHidden: false };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'civitai.svg');
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.state = undefined;
        for (const d of this.panelDisposables.splice(0)) d.dispose();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
  }

  private receive(raw: unknown): void {
    const parsed = PreviewFromWebviewSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log?.warn('prompt preview: ignored a malformed message from the webview');
      return;
    }
    void this.handle(parsed.data);
  }

  private async handle(message: PreviewFromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post();
        return;
      case 'reveal': {
        const editor = this.editor;
        if (!editor || editor.document.isClosed) return;
        const doc = editor.document;
        const start = doc.positionAt(Math.min(message.offset, doc.getText().length));
        const end = doc.positionAt(Math.min(message.offset + message.length, doc.getText().length));
        const shown = await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false });
        shown.selection = new vscode.Selection(start, end);
        shown.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'openResult': {
        const uri = this.resultUris[message.index];
        if (uri) await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        return;
      }
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  /** Recomputes the state for the followed editor's cursor and posts it. */
  update(): void {
    if (!this.panel) return;
    const editor = this.editor;
    if (!editor || editor.document.isClosed) {
      this.state = { fileName: '', stepCount: 0, step: null, message: 'Open a *.civitai.json file to preview its prompts.' };
      this.resultUris = [];
      this.post();
      return;
    }
    const document = editor.document;
    const lint = this.deps.lint(document);
    // The linter's document may lag one version behind while typing; offsets must match the text.
    const doc = lint.document.text === document.getText() ? lint.document : parseWorkflowDocument(document.getText());
    const findings = lint.document.text === document.getText() ? lint.findings : [];
    const model = buildPromptPreview({
      doc,
      offset: document.offsetAt(editor.selection.active),
      fileName: path.basename(document.uri.path),
      fileUri: document.uri.toString(),
      findings,
      history: this.deps.history?.all(),
      userProfiles: getActiveUserProfiles(),
    });
    const files = model.resultFiles.filter((f) => this.isServable(f.localPath));
    this.resultUris = files.map((f) => vscode.Uri.file(f.localPath));
    const results: PreviewResult[] = files.map((f, i) => ({
      src: this.panel!.webview.asWebviewUri(this.resultUris[i]).toString(),
      label: f.label,
      width: f.width,
      height: f.height,
      seed: f.seed,
    }));
    this.state = model.state.step ? { ...model.state, step: { ...model.state.step, results } } : model.state;
    this.panel.title = `Prompt Preview: ${model.state.fileName}`;
    this.post();
  }

  /** Only files under the panel's resource roots can be shown. */
  private isServable(localPath: string): boolean {
    const roots = [...(this.deps.imageRoots?.() ?? []), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)];
    const target = path.resolve(localPath);
    return roots.some((r) => {
      const rel = path.relative(path.resolve(r.fsPath), target);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
  }

  private post(): void {
    if (!this.panel || !this.ready || !this.state) return;
    void this.panel.webview.postMessage({ type: 'state', state: this.state });
  }

  private html(webview: vscode.Webview): string {
    const nonce = Array.from({ length: 4 }, () => Math.random().toString(36).slice(2)).join('');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview', 'preview.js'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Prompt Preview</title>
<style nonce="${nonce}">${PREVIEW_CSS}</style>
</head>
<body>
<main id="root" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

// Theme colours only, so the panel matches light, dark and high-contrast themes.
const PREVIEW_CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 12px 16px; }
h1 { font-size: 1.1em; margin: 12px 0 4px; }
h2 { font-size: 0.95em; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--vscode-descriptionForeground); }
.muted { color: var(--vscode-descriptionForeground); }
.meta { color: var(--vscode-descriptionForeground); margin: 0 0 8px; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.chip { font: inherit; border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); background: var(--vscode-editorWidget-background); color: var(--vscode-foreground); border-radius: 10px; padding: 1px 8px; cursor: pointer; }
.chip:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.chip.up { font-weight: 600; }
.chip.down { opacity: .7; font-style: italic; }
.chip .w { margin-left: 4px; font-size: .85em; opacity: .85; }
.chip.special { background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.chip.kind-network { background: transparent; color: var(--vscode-textLink-foreground); border-style: dashed; }
.chip.kind-break, .chunk { background: transparent; color: var(--vscode-descriptionForeground); border-style: dotted; }
.chunk { border: none; font-size: .85em; padding: 0 4px; }
.chip.error { border: 2px solid var(--vscode-editorError-foreground); }
.chip.warning { border: 2px solid var(--vscode-editorWarning-foreground); }
.chip.info, .chip.hint { border: 2px solid var(--vscode-editorInfo-foreground); }
ul.findings { margin: 6px 0 0; padding-left: 18px; }
ul.findings li.error { color: var(--vscode-editorError-foreground); }
ul.findings li.warning { color: var(--vscode-editorWarning-foreground); }
ul.findings li.info, ul.findings li.hint { color: var(--vscode-editorInfo-foreground); }
ul.findings code { color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; }
td, th { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; }
th { color: var(--vscode-descriptionForeground); font-weight: normal; }
.tag { font-size: .8em; border-radius: 3px; padding: 0 4px; margin-left: 4px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
.off { color: var(--vscode-editorWarning-foreground); }
.frame-box { width: 180px; height: 180px; display: flex; align-items: center; justify-content: center; }
.frame { border: 1px solid var(--vscode-focusBorder); background: var(--vscode-editorWidget-background); max-width: 100%; max-height: 100%; display: flex; align-items: center; justify-content: center; font-size: .85em; color: var(--vscode-descriptionForeground); }
.row { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.results { display: flex; flex-wrap: wrap; gap: 8px; }
.results button { border: 1px solid var(--vscode-widget-border, transparent); padding: 0; background: none; cursor: pointer; }
.results img { display: block; max-width: 140px; max-height: 140px; }
.results figcaption { font-size: .8em; color: var(--vscode-descriptionForeground); max-width: 140px; }
`;
