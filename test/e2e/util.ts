// Helpers for the extension-host suite: bounded polling (never fixed sleeps), workspace files,
// diagnostics by source, and screenshots taken by the driver (scripts/e2e/run-offline.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'civitai-workflows.civitai-workflows';
/** The `source` of the extension's own diagnostics (src/extension/common/convert.ts). */
export const CIVITAI_SOURCE = 'civitai';
/**
 * Stand-in for the diagnostics of VS Code's built-in JSON language features (schema and syntax
 * problems): in VS Code 1.139 they carry no `source` at all, older versions said `json`.
 */
export const JSON_SOURCE = 'json';

/** Environment the drivers set for the extension host (read here so names live in one place). */
export const e2eEnv = {
  /** Folder the driver writes screenshots into; unset when no driver can take them. */
  screenshotDir: process.env.E2E_SCREENSHOT_DIR,
  /** Folder the extension under test must be loaded from (development path or extensions dir). */
  extensionRoot: process.env.E2E_EXTENSION_ROOT,
  /** `development` or `installed` (the packaged .vsix). */
  extensionKind: process.env.E2E_EXTENSION_KIND,
  /** The project folder the run was started from (its dist/ is what was packaged). */
  projectRoot: process.env.E2E_PROJECT_ROOT,
};

/** Prefix the drivers look for: lines without it are the workbench's log, kept in a file only. */
export const OUTPUT_PREFIX = '[e2e:out] ';

/**
 * console.log for tests: formats the arguments here and prefixes each line so the driver prints
 * it. (VS Code's extension host pins its own console methods, so they cannot be wrapped.)
 */
export function log(...args: unknown[]): void {
  console.log(util.format(...args).split('\n').map((line) => OUTPUT_PREFIX + line).join('\n'));
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined/false, or fails after a bounded
 * time with `what` and the last probed value in the message.
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 100 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      const description = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e suite needs test/e2e-workspace opened as the workspace folder');
  return folder.uri;
}

export function workspaceUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

/** Opens a file of test/e2e-workspace in an editor and returns the editor. */
export async function openWorkspaceFile(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Reverts unsaved edits and closes every editor, so tests start from the files on disk. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.scheme === 'file') {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function ourExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this window`);
  return extension;
}

export function diagnosticsFrom(uri: vscode.Uri, source: string): vscode.Diagnostic[] {
  const matches = source === JSON_SOURCE
    ? (d: vscode.Diagnostic) => d.source === undefined || d.source === '' || d.source === JSON_SOURCE
    : (d: vscode.Diagnostic) => d.source === source;
  return vscode.languages.getDiagnostics(uri).filter(matches);
}

/** Waits until the diagnostics of `source` on `uri` satisfy `ready`, and returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  source: string,
  ready: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  options?: WaitOptions,
): Promise<vscode.Diagnostic[]> {
  const now = () => JSON.stringify(vscode.languages.getDiagnostics(uri).map(summarize));
  return waitFor(() => `${what} (${source} diagnostics on ${path.basename(uri.path)}; all diagnostics now: ${now()})`, () => {
    const found = diagnosticsFrom(uri, source);
    return ready(found) ? found : undefined;
  }, options);
}

export function summarize(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return `${d.source ?? '?'}${code !== undefined ? `/${code}` : ''} ${rangeText(d.range)} ${d.message}`;
}

/** 0-based line of the first occurrence of `needle` in the document (fails when absent). */
export function lineOf(document: vscode.TextDocument, needle: string): number {
  const offset = document.getText().indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not found in ${document.uri.path}`);
  return document.positionAt(offset).line;
}

/** `line:character-line:character`, 0-based like the API, for readable assertions. */
export function rangeText(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

export interface ScreenshotOptions {
  /** CSS selector the driver waits for (bounded) before taking the picture, e.g. `.squiggly-error`. */
  waitFor?: string;
  timeoutMs?: number;
}

/**
 * Asks the driver for a PNG of the whole window as `<E2E_SCREENSHOT_DIR>/<name>.png` and waits
 * until it exists. Protocol: the test removes any old file, logs one `[e2e:screenshot] {json}`
 * line; the driver takes the picture, writes it under a temporary name and renames it into place
 * (or writes `<name>.error` with the reason). Without a driver (E2E_SCREENSHOT_DIR unset, e.g.
 * under @vscode/test-electron) it logs that no screenshot was taken and returns undefined.
 */
export async function screenshot(name: string, options: ScreenshotOptions = {}): Promise<string | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`screenshot name must be a plain file name: ${name}`);
  const dir = e2eEnv.screenshotDir;
  if (!dir) {
    log(`[e2e] no screenshot driver in this host; "${name}" not taken`);
    return undefined;
  }
  const file = path.join(dir, `${name}.png`);
  const errorFile = path.join(dir, `${name}.error`);
  fs.rmSync(file, { force: true });
  fs.rmSync(errorFile, { force: true });
  log(`[e2e:screenshot] ${JSON.stringify({ name, waitFor: options.waitFor })}`);
  return waitFor(`the driver's screenshot ${file}`, () => {
    if (fs.existsSync(errorFile)) throw new Error(fs.readFileSync(errorFile, 'utf8'));
    return fs.existsSync(file) ? file : undefined;
  }, { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 100 });
}

export interface PressKeysOptions {
  /** CSS selector of the element to focus first, looked up in every frame (webviews are iframes). */
  focus: string;
  /** Playwright key names, pressed in order: `ArrowRight`, `Enter`, `Escape`… */
  keys: string[];
  timeoutMs?: number;
}

/**
 * Asks the driver to press keys in the window as a user would (the extension API cannot type into
 * a webview). Same protocol as `screenshot`: logs one `[e2e:keys] {json}` line and waits until the
 * driver writes `<name>.keys-done` (or `<name>.error`). Returns false when no driver can (e.g.
 * under @vscode/test-electron), so the caller can skip rather than pass.
 */
export async function pressKeys(name: string, options: PressKeysOptions): Promise<boolean> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`key request name must be a plain file name: ${name}`);
  const dir = e2eEnv.screenshotDir;
  if (!dir) return false;
  const done = path.join(dir, `${name}.keys-done`);
  const errorFile = path.join(dir, `${name}.error`);
  fs.rmSync(done, { force: true });
  fs.rmSync(errorFile, { force: true });
  log(`[e2e:keys] ${JSON.stringify({ name, focus: options.focus, keys: options.keys })}`);
  await waitFor(`the driver to press ${options.keys.join(' ')}`, () => {
    if (fs.existsSync(errorFile)) throw new Error(fs.readFileSync(errorFile, 'utf8'));
    return fs.existsSync(done);
  }, { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 100 });
  return true;
}

/** Whether a driver can take screenshots and press keys in this host. */
export function hasDriver(): boolean {
  return Boolean(e2eEnv.screenshotDir);
}

/** Labels of completion items (they are either a string or a `CompletionItemLabel`). */
export function completionLabels(list: vscode.CompletionList): string[] {
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

/** Waits for the driver's answer `<dir>/<name><suffix>` to a request (or its `<name>.error`), and parses it. */
async function driverAnswer<T>(name: string, kind: string, request: Record<string, unknown>, suffix: string, timeoutMs = 30_000): Promise<T | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`${kind} request name must be a plain file name: ${name}`);
  const dir = e2eEnv.screenshotDir;
  if (!dir) return undefined;
  const answer = path.join(dir, `${name}${suffix}`);
  const errorFile = path.join(dir, `${name}.error`);
  fs.rmSync(answer, { force: true });
  fs.rmSync(errorFile, { force: true });
  log(`[e2e:${kind}] ${JSON.stringify({ name, ...request })}`);
  // The driver's error ends the wait at once (a throwing probe would only be retried until the timeout).
  const outcome = await waitFor(`the driver's ${kind} answer ${answer}`,
    () => (fs.existsSync(errorFile) ? 'error' : fs.existsSync(answer) ? 'answer' : undefined), { timeoutMs, intervalMs: 100 });
  if (outcome === 'error') throw new Error(fs.readFileSync(errorFile, 'utf8'));
  return JSON.parse(fs.readFileSync(answer, 'utf8')) as T;
}

export interface InspectedElement {
  /** The rendered text (innerText). */
  text: string;
  attributes: Record<string, string | null>;
}

/**
 * What the window shows: in the frame (webviews are nested iframes; the workbench is the main
 * frame) holding `within`, every element matching `select` with its rendered text and the asked
 * attributes. Undefined when no driver can look (e.g. under @vscode/test-electron).
 */
export function inspect(name: string, options: { within: string; select?: string; attributes?: string[] }): Promise<InspectedElement[] | undefined> {
  return driverAnswer<InspectedElement[]>(name, 'inspect', options, '.inspect.json');
}

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string; summary: string; html: string }>;
}

/**
 * axe-core's WCAG 2.1 A/AA (and best-practice) violations in the frame holding `within`,
 * optionally only inside `include`. Undefined when no driver can run it.
 */
export function axeAudit(name: string, options: { within: string; include?: string }): Promise<AxeViolation[] | undefined> {
  return driverAnswer<AxeViolation[]>(name, 'axe', options, '.axe.json', 60_000);
}
