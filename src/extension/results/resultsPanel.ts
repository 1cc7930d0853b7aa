// The results webview (`civitai.results`): one panel per workflow, created or revealed with
// `show`, restored after a reload by the serializer (the webview keeps only the history key in
// its state). Strict CSP with a nonce; scripts, styles, codicons and saved images are served from
// `localResourceRoots` through `asWebviewUri`. Every message is validated with zod both ways.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { buildResultsState, entryTitle, type HistoryEntry } from '../../core/history';
import {
  parseFromWebview, parsePanelState, type FromWebview, type ResultsState, type ToWebview,
} from '../../core/messages';
import type { HistoryStore } from '../history/historyStore';
import type { Log } from '../common/log';
import { exists } from './resultsFiles';

export const RESULTS_VIEW_TYPE = 'civitai.results';
/** A reveal this recent when the panel's dispose event arrives was meant for a panel already closing. */
const REOPEN_WINDOW_MS = 1500;

export interface ResultsPanelHost {
  readonly extensionUri: vscode.Uri;
  readonly history: HistoryStore;
  readonly log: Log;
  /** Folders the webview may load images from (the results folder). */
  imageRoots(): vscode.Uri[];
  serviceLabel(entry: HistoryEntry): string;
  /** A transient problem for this entry (e.g. polling could not reach the service). */
  noticeFor(key: string): string | null;
  /**
   * The source image of an image-to-image step as a `data:image/…` URL (from the submitted body),
   * or null when it is not there or too large to post.
   */
  sourceImage?(entry: HistoryEntry, stepIndex: number): Promise<string | null>;
  /** Handles an action from the webview; a returned string is shown to the user in the panel. */
  handle(key: string, message: FromWebview): Promise<string | void>;
}

interface PanelRecord {
  key: string;
  panel: vscode.WebviewPanel;
  /** Everything posted to and received from this panel (for tests), newest last. */
  log: Array<{ direction: 'in' | 'out'; message: unknown }>;
  lastState: ResultsState | undefined;
  ready: boolean;
  /** The image roots the webview was given, to update its options only when they change. */
  roots: string;
  /** When `show` last revealed this panel (see the dispose handler), and how. */
  revealedAt?: number;
  preserveFocus?: boolean;
  disposables: vscode.Disposable[];
}

export class ResultsPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, PanelRecord>();
  private readonly subscription: vscode.Disposable;
  private disposed = false;

  constructor(private readonly host: ResultsPanelHost) {
    this.subscription = host.history.onDidChange((entry) => {
      if (entry) void this.refresh(entry.key);
      else for (const key of this.panels.keys()) void this.refresh(key);
    });
  }

  /** Opens (or reveals) the panel of a history entry. */
  show(key: string, preserveFocus = false): void {
    const existing = this.panels.get(key);
    if (existing) {
      // A panel closed a moment ago may not have told us yet (its dispose event is still on its
      // way): remember the request, so the dispose handler opens it again instead of dropping it.
      existing.revealedAt = Date.now();
      existing.preserveFocus = preserveFocus;
      existing.panel.reveal(undefined, preserveFocus);
      void this.refresh(key);
      return;
    }
    const entry = this.host.history.get(key);
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      titleFor(entry ? entryTitle(entry) : key),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      this.options(),
    );
    this.attach(key, panel);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = parsePanelState(state);
    if (!parsed.ok || !this.host.history.get(parsed.value.key)) {
      this.host.log.warn(`results panel: not restoring a panel whose state does not name a known workflow (${parsed.ok ? 'unknown key' : parsed.error})`);
      panel.dispose();
      return;
    }
    const key = parsed.value.key;
    const duplicate = this.panels.get(key);
    if (duplicate) {
      panel.dispose();
      duplicate.panel.reveal();
      return;
    }
    panel.webview.options = this.options();
    this.attach(key, panel);
  }

  isOpen(key: string): boolean {
    return this.panels.has(key);
  }

  /** Recomputes and posts the panel's state (no-op when the panel is closed). */
  async refresh(key: string): Promise<void> {
    const record = this.panels.get(key);
    const entry = this.host.history.get(key);
    if (!record) return;
    if (!entry) {
      record.panel.dispose();
      return;
    }
    record.panel.title = titleFor(entryTitle(entry));
    // The results folder may have moved (setting changed): keep the roots current.
    const roots = this.rootsKey();
    if (roots !== record.roots) {
      record.roots = roots;
      record.panel.webview.options = this.options();
    }
    const present = new Set<string>();
    await Promise.all([...entry.images, ...(entry.files ?? [])].map(async (saved) => {
      if (saved.localPath && (await exists(vscode.Uri.file(saved.localPath)))) present.add(saved.localPath);
    }));
    const sources = new Map<number, string>();
    if (this.host.sourceImage) {
      await Promise.all((entry.snapshot?.steps ?? []).map(async (step, i) => {
        const input = step.input as { image?: unknown } | undefined;
        if (input?.image === undefined) return;
        const src = await this.host.sourceImage!(entry, i).catch(() => null);
        if (src) sources.set(i, src);
      }));
    }
    // The panel may have closed (or been replaced) while the files were checked.
    if (this.panels.get(key) !== record) return;
    const state = buildResultsState(entry, {
      srcFor: (p) => (present.has(p) ? record.panel.webview.asWebviewUri(vscode.Uri.file(p)).toString() : null),
      serviceLabel: this.host.serviceLabel(entry),
      notice: this.host.noticeFor(key),
      sourceSrcFor: (i) => sources.get(i) ?? null,
    });
    record.lastState = state;
    if (record.ready) this.post(record, { type: 'state', state });
  }

  toast(key: string, text: string, kind: 'info' | 'error' = 'info'): void {
    const record = this.panels.get(key);
    if (record?.ready) this.post(record, { type: 'toast', text, kind });
  }

  // ---- test hooks ----

  openKeys(): string[] {
    return [...this.panels.keys()];
  }

  lastState(key: string): ResultsState | undefined {
    return this.panels.get(key)?.lastState;
  }

  messageLog(key: string): ReadonlyArray<{ direction: 'in' | 'out'; message: unknown }> {
    return this.panels.get(key)?.log ?? [];
  }

  /** Feeds a message as if the webview had sent it (validated like a real one). */
  async simulateMessage(key: string, raw: unknown): Promise<void> {
    const record = this.panels.get(key);
    if (record) await this.receive(record, raw);
  }

  // ---- internals ----

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const ext = this.host.extensionUri;
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: true,
      localResourceRoots: [
        vscode.Uri.joinPath(ext, 'dist', 'webview'),
        vscode.Uri.joinPath(ext, 'media'),
        codiconFolder(ext),
        ...this.host.imageRoots(),
      ],
    };
  }

  private rootsKey(): string {
    return this.host.imageRoots().map((u) => u.toString()).join('|');
  }

  private attach(key: string, panel: vscode.WebviewPanel): void {
    const record: PanelRecord = { key, panel, log: [], lastState: undefined, ready: false, roots: this.rootsKey(), disposables: [] };
    this.panels.set(key, record);
    panel.iconPath = vscode.Uri.joinPath(this.host.extensionUri, 'media', 'civitai.svg');
    panel.webview.html = resultsHtml(panel.webview, this.host.extensionUri, key);
    record.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(record, raw)),
      panel.onDidDispose(() => {
        for (const d of record.disposables) d.dispose();
        if (this.panels.get(key) !== record) return;
        this.panels.delete(key);
        if (record.revealedAt !== undefined && Date.now() - record.revealedAt < REOPEN_WINDOW_MS && !this.disposed) this.show(key, record.preserveFocus);
      }),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void this.refresh(key);
      }),
    );
    void this.refresh(key);
  }

  private async receive(record: PanelRecord, raw: unknown): Promise<void> {
    const parsed = parseFromWebview(raw);
    record.log.push({ direction: 'in', message: raw });
    if (!parsed.ok) {
      this.host.log.warn(`results panel: ignored an invalid message from the webview (${parsed.error})`);
      return;
    }
    const message = parsed.value;
    if (message.type === 'ready') {
      record.ready = true;
      await this.refresh(record.key);
      return;
    }
    try {
      const reply = await this.host.handle(record.key, message);
      if (reply) this.toast(record.key, reply);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.host.log.error(`results panel: ${message.type} failed`, error);
      this.toast(record.key, text, 'error');
    }
  }

  private post(record: PanelRecord, message: ToWebview): void {
    record.log.push({ direction: 'out', message });
    if (record.log.length > 500) record.log.splice(0, record.log.length - 500);
    void record.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    for (const record of [...this.panels.values()]) record.panel.dispose();
  }
}

function titleFor(title: string): string {
  return `Results: ${title}`;
}

function nonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Where codicon.css + codicon.ttf are: a copy under dist/webview/codicons when the build makes one
 * (a package built with --no-dependencies carries no node_modules), else the installed package.
 */
export function codiconFolder(extensionUri: vscode.Uri): vscode.Uri {
  const copied = vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'codicons');
  return fs.existsSync(vscode.Uri.joinPath(copied, 'codicon.css').fsPath)
    ? copied
    : vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode', 'codicons', 'dist');
}

/** The panel's HTML: nothing runs or styles without the nonce or coming from our roots. */
export function resultsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, key: string): string {
  const n = nonce();
  const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    // data: only for images: an image-to-image step's source, posted from the submitted body.
    `img-src ${webview.cspSource} data:`,
    // Videos and audio play from saved files only (served like the images).
    `media-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'nonce-${n}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  const safeKey = key.replace(/[^A-Za-z0-9_-]/g, '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${n}" href="${webview.asWebviewUri(vscode.Uri.joinPath(codiconFolder(extensionUri), 'codicon.css')).toString()}">
<link rel="stylesheet" nonce="${n}" href="${uri('media', 'results.css')}">
<link rel="stylesheet" nonce="${n}" href="${uri('media', 'outputs.css')}">
<title>Civitai results</title>
</head>
<body data-key="${safeKey}">
<main id="app" aria-live="polite"><p class="muted">Loading results…</p></main>
<script nonce="${n}" src="${uri('dist', 'webview', 'results.js')}"></script>
</body>
</html>`;
}
