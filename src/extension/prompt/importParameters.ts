// "Civitai: Import Generation Parameters…": reads generation parameters from the clipboard, the
// selection, or an image (PNG, JPEG, WebP) or text file, writes a new `*.civitai.json` (in the
// workspace, or an untitled file when no folder is open), opens it, and shows what the import
// guessed or could not map. When the checkpoint is unknown, its placeholder is selected for the
// user to fill. The results panel's "Open as workflow" comes through here too (with `file`).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { importGenerationParametersResolving, parseGenerationParameters, type ImportResult } from '../../core/prompt/import-params';
import type { ModelVersionResolver } from '../../core/prompt/import-params-civitai';
import { createModelVersionResolver, describeLookupFailures, DEFAULT_SITE_URL } from '../../core/api/site-model-versions';
import { MAX_PARAMETERS_PNG_BYTES, MAX_PARAMETERS_TEXT_BYTES, parametersFromBytes, parametersTextTooLarge } from '../../core/prompt/params-source';

export const IMPORT_PARAMETERS_COMMAND = 'civitai.importParameters';

/** Arguments for scripted use (tests, other commands): skip the pickers. */
export interface ImportParametersArgs {
  /** The parameters text itself. */
  text?: string;
  /** A PNG or text file to read them from. */
  file?: string;
  /** Where to write the workflow (absolute path); default: a free name in the workspace. */
  target?: string;
}

export interface ImportLog {
  info(message: string): void;
  warn(message: string): void;
  show?(): void;
}

type Source = { text: string; origin: string; near?: vscode.Uri };

/** How Civitai version ids are looked up (the site, or the local emulator's copy of the route). */
export type ResolverProvider = () => Promise<ModelVersionResolver | undefined>;

export async function importParametersCommand(args: ImportParametersArgs | undefined, log?: ImportLog, resolver?: ResolverProvider): Promise<vscode.Uri | undefined> {
  const source = await readSource(args ?? {});
  if (!source) return undefined;
  // Bounded before parsing: a pasted log or a whole file is refused with a message, not parsed.
  const tooLarge = parametersTextTooLarge(Buffer.byteLength(source.text, 'utf8'), capitalize(source.origin));
  if (tooLarge) {
    void vscode.window.showErrorMessage(`Civitai: ${tooLarge}`);
    return undefined;
  }
  const lookup = await resolver?.();
  // Civitai version ids may need the site: the window's progress shows while they are looked up.
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Importing generation parameters' }, () =>
    importGenerationParametersResolving(source.text, lookup),
  );
  if (!result) {
    void vscode.window.showErrorMessage(`Civitai: no generation parameters found in ${source.origin}. Expected a prompt, an optional "Negative prompt:" line and a "Steps: …, Sampler: …" line.`);
    return undefined;
  }
  const content = JSON.stringify(result.workflow, null, 2) + '\n';
  const uri = await writeWorkflow(content, result, source, args?.target);
  const editor = await vscode.window.showTextDocument(uri);
  selectPlaceholder(editor, result);
  report(result, source.origin, uri, log);
  return uri;
}

async function readSource(args: ImportParametersArgs): Promise<Source | undefined> {
  if (args.text !== undefined) return { text: args.text, origin: 'the given text' };
  if (args.file) return readFile(vscode.Uri.file(args.file));
  const clipboard = await vscode.env.clipboard.readText();
  const selection = selectedText();
  type Pick = vscode.QuickPickItem & { id: 'clipboard' | 'selection' | 'file' };
  const looksLike = (t: string) => t.length <= MAX_PARAMETERS_TEXT_BYTES && (parseGenerationParameters(t)?.settings.length ?? 0) > 0;
  const items: Pick[] = [];
  if (clipboard.trim()) items.push({ id: 'clipboard', label: '$(clippy) From the clipboard', description: firstLine(clipboard), detail: looksLike(clipboard) ? 'Looks like generation parameters' : undefined });
  if (selection?.trim()) items.push({ id: 'selection', label: '$(selection) From the selection', description: firstLine(selection), detail: looksLike(selection) ? 'Looks like generation parameters' : undefined });
  items.push({ id: 'file', label: '$(file-media) From an image or text file…', description: 'PNG, JPEG or WebP: reads the parameters the generator stored in it' });
  // Put the source that looks like parameters first.
  items.sort((a, b) => Number(Boolean(b.detail)) - Number(Boolean(a.detail)));
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Import Generation Parameters', placeHolder: 'Where are the parameters?' });
  if (!picked) return undefined;
  if (picked.id === 'clipboard') return { text: clipboard, origin: 'the clipboard' };
  if (picked.id === 'selection') return { text: selection!, origin: 'the selection' };
  const files = await vscode.window.showOpenDialog({
    title: 'Import Generation Parameters',
    canSelectMany: false,
    openLabel: 'Import',
    filters: { 'Images and text': ['png', 'jpg', 'jpeg', 'webp', 'txt'], 'All files': ['*'] },
  });
  return files?.[0] ? readFile(files[0]) : undefined;
}

async function readFile(uri: vscode.Uri): Promise<Source | undefined> {
  const name = path.basename(uri.fsPath);
  let bytes: Uint8Array;
  try {
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > MAX_PARAMETERS_PNG_BYTES) {
      void vscode.window.showErrorMessage(`Civitai: ${name} is ${Math.round(size / 1024 / 1024)} MiB; generation parameters (or a PNG carrying them) are far smaller. Not read.`);
      return undefined;
    }
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    void vscode.window.showErrorMessage(`Civitai: cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const source = parametersFromBytes(bytes, name);
  if (!source.ok) {
    const missing = /without (a "parameters"|generation parameters)/.test(source.message);
    const hint = missing ? '. Images saved by A1111, Forge, Civitai or this extension carry them; many sites strip them.' : '';
    void vscode.window.showErrorMessage(`Civitai: ${source.message}${hint}`);
    return undefined;
  }
  if (source.note) void vscode.window.showWarningMessage(`Civitai: ${source.note}`);
  return { text: source.text, origin: name, near: uri };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  return editor.document.getText(editor.selection);
}

function firstLine(text: string): string {
  const line = text.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

/** A short file name from the first tags of the prompt: `imported-1girl-solo.civitai.json`. */
export function suggestedName(result: ImportResult): string {
  const prompt = String(result.workflow.steps[0]?.input.prompt ?? '');
  const words = prompt
    .toLowerCase()
    .replace(/\\[()]/g, '')
    .split(/[,\n]/)
    .map((t) => t.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''))
    .filter((t) => t && !['masterpiece', 'best-quality', 'high-score', 'great-score', 'absurdres'].includes(t))
    .slice(0, 2);
  return ['imported', ...words].join('-').slice(0, 60).replace(/-$/, '');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function writeWorkflow(content: string, result: ImportResult, source: Source, target: string | undefined): Promise<vscode.Uri> {
  const encoded = Buffer.from(content, 'utf8');
  if (target) {
    const uri = vscode.Uri.file(target);
    await vscode.workspace.fs.writeFile(uri, encoded);
    return uri;
  }
  const folder = (source.near && vscode.workspace.getWorkspaceFolder(source.near)) ?? vscode.workspace.workspaceFolders?.[0];
  const base = suggestedName(result);
  if (!folder) {
    // No folder to write into: an untitled file whose name still marks it as a workflow.
    const untitled = vscode.Uri.from({ scheme: 'untitled', path: `${base}.civitai.json` });
    const doc = await vscode.workspace.openTextDocument(untitled);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(untitled, new vscode.Position(0, 0), content);
    await vscode.workspace.applyEdit(edit);
    return doc.uri;
  }
  const dir = source.near && vscode.workspace.getWorkspaceFolder(source.near) ? vscode.Uri.file(path.dirname(source.near.fsPath)) : folder.uri;
  for (let n = 1; n < 1000; n++) {
    const uri = vscode.Uri.joinPath(dir, `${base}${n === 1 ? '' : `-${n}`}.civitai.json`);
    if (!(await exists(uri))) {
      await vscode.workspace.fs.writeFile(uri, encoded);
      return uri;
    }
  }
  throw new Error('no free file name for the imported workflow');
}

/** Selects the model placeholder so typing the AIR replaces it. */
function selectPlaceholder(editor: vscode.TextEditor, result: ImportResult): void {
  if (result.modelChosen) return;
  const model = String(result.workflow.steps[0]?.input.model ?? '');
  const text = editor.document.getText();
  const at = text.indexOf(JSON.stringify(model));
  if (at < 0) return;
  const start = editor.document.positionAt(at + 1);
  const end = editor.document.positionAt(at + 1 + model.length);
  editor.selection = new vscode.Selection(start, end);
  editor.revealRange(new vscode.Range(start, end));
}

function report(result: ImportResult, origin: string, uri: vscode.Uri, log?: ImportLog): void {
  log?.info(`import-params: ${origin} → ${uri.toString(true)}`);
  for (const n of result.notes) (n.severity === 'warning' ? log?.warn : log?.info)?.call(log, `import-params: ${n.message}`);
  const warnings = result.notes.filter((n) => n.severity === 'warning');
  const summary = `Imported from ${origin}: ${result.ecosystem} on ${result.engine}. ${result.notes.length} note(s)${warnings.length ? `, ${warnings.length} to act on` : ''}.`;
  const first = warnings[0]?.message;
  const show = warnings.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(first ? `${summary} ${first}` : summary, 'Show Notes').then((choice) => {
    if (choice === 'Show Notes') log?.show?.();
  });
}

/**
 * The site lookup for this session: the local emulator's model-versions route while it is in
 * use, else Civitai's site with the user's token when one is stored (the endpoint works without).
 */
export async function modelVersionResolver(c: {
  service: { isEmulator(): boolean; current(): { baseUrl: string } };
  tokens: { get(): Promise<string | undefined> };
  log?: ImportLog;
}): Promise<ModelVersionResolver> {
  const emulator = c.service.isEmulator();
  const failures: Array<{ id: number | string; reason: string }> = [];
  const resolve = createModelVersionResolver({
    baseUrl: emulator ? c.service.current().baseUrl : DEFAULT_SITE_URL,
    token: emulator ? undefined : await c.tokens.get(),
    onError: (id, reason) => failures.push({ id, reason }),
  });
  const report = () => {
    const failed = describeLookupFailures(failures.splice(0));
    if (failed) c.log?.warn(`import-params: ${failed}`);
  };
  const wrapped: ModelVersionResolver = async (ids) => {
    const found = await resolve(ids);
    report();
    return found;
  };
  wrapped.byHash = async (hashes) => {
    const found = (await resolve.byHash?.(hashes)) ?? new Map();
    report();
    return found;
  };
  return wrapped;
}
