// What the results panel's buttons do. The webview only names an action and an image key
// (validated with zod before this runs); everything else is decided here from the history.
import * as vscode from 'vscode';
import { withSeed, variantFromStep } from '../../core/templates';
import { buildResultsState, isUnfinished, type HistoryEntry, type PreviewCost, type SavedImage } from '../../core/history';
import type { FromWebview } from '../../core/messages';
import { readParameters } from '../../core/png/text-chunks';
import { parametersTextForStep } from '../../core/prompt/export-params';
import { readImageParameters } from '../../core/image-meta';
import { importGenerationParametersResolving, type ImportResult } from '../../core/prompt/import-params';
import { resultImageWithParameters } from '../../core/results/image-parameters';
import { composeSweepGrid, type GridImage } from '../../core/sweep';
import { sweepExport } from '../../core/history/sweepView';
import { bodyDigest } from '../runs/bodyDigest';
import type { HistoryStore } from '../history/historyStore';
import type { WorkflowRuns } from '../runs/runs';
import type { WorkflowDiagnostics } from '../diagnostics/workflowDiagnostics';
import { outputAction } from './outputActions';
import { askSaveTarget, IMAGE_MIME, safeName } from './resultsFiles';

/** What the panel's actions need from the extension (not the whole context, which hosts the panels). */
export interface PanelActionsContext {
  readonly history: HistoryStore;
  readonly runs: WorkflowRuns;
  readonly diagnostics: WorkflowDiagnostics;
}

export async function handlePanelMessage(ctx: PanelActionsContext, key: string, message: FromWebview): Promise<string | void> {
  const entry = ctx.history.get(key);
  if (!entry) return 'This workflow is no longer in the history.';
  switch (message.type) {
    case 'ready':
    case 'rendered':
    case 'view':
    case 'media':
      return;
    case 'refresh':
      await ctx.runs.refresh(key);
      return isUnfinished(entry) ? 'Following the workflow again.' : 'Up to date.';
    case 'cancel':
      await vscode.commands.executeCommand('civitai.cancelWorkflow', key);
      return;
    case 'openSource':
      if (entry.fileUri) await vscode.window.showTextDocument(vscode.Uri.parse(entry.fileUri));
      return;
    case 'previewCost': {
      if (!entry.fileUri) return 'This workflow has no source file to price.';
      const preview = await vscode.commands.executeCommand<PreviewCost | undefined>('civitai.previewCost', vscode.Uri.parse(entry.fileUri));
      if (!preview) return;
      // The quote belongs to this run only if the file still says what was submitted.
      const body = await sourceBody(ctx, entry, false);
      if (entry.bodyDigest && body && bodyDigest(body) === entry.bodyDigest) {
        await ctx.history.update(entry.key, (e) => ({ ...e, whatif: preview }));
        return `The service quotes ${preview.total} Buzz for this workflow.`;
      }
      return `The file changed since this run: ${preview.total} Buzz is the quote for the file as it is now.`;
    }
    case 'exportSweep':
      return exportSweep(entry);
    case 'image':
      return imageAction(ctx, entry, message.action, message.key);
    case 'output':
      return outputAction(ctx, entry, message.action, message.key);
  }
}

async function imageAction(ctx: PanelActionsContext, entry: HistoryEntry, action: string, blobId: string): Promise<string | void> {
  const saved = entry.images.find((i) => i.blobId === blobId);
  const viewImage = buildResultsState(entry, { srcFor: () => null, serviceLabel: '' }).images.find((i) => i.key === blobId);
  if (!viewImage) return 'That image is not part of this workflow.';
  switch (action) {
    case 'open': {
      const file = localFile(saved);
      if (!file) return 'The image is not downloaded yet.';
      await vscode.commands.executeCommand('vscode.open', file, { preview: true, viewColumn: vscode.ViewColumn.Active });
      return;
    }
    case 'save': {
      const file = localFile(saved);
      if (!file) return 'The image is not downloaded yet.';
      const target = await askSaveTarget(entry.label, file, 'Save image');
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, await withParametersForSave(ctx, entry, viewImage, file));
      return `Saved to ${vscode.workspace.asRelativePath(target)}.`;
    }
    case 'copySeed':
      if (viewImage.seed === null) return 'The service did not report a seed for this image.';
      await vscode.env.clipboard.writeText(String(viewImage.seed));
      return `Seed ${viewImage.seed} copied.`;
    case 'copyPrompt':
    case 'copyNegativePrompt':
    case 'copyModel':
    case 'copyParameters':
      return copyFromRun(ctx, entry, action, viewImage);
    case 'refresh': {
      const result = await ctx.runs.refreshImage(entry.key, blobId);
      if (result?.localPath) return 'Downloaded.';
      return result?.withheld ?? ctx.history.get(entry.key)?.lastError ?? 'Could not download the image.';
    }
    case 'rerunWithSeed': {
      if (viewImage.seed === null) return 'The service did not report a seed for this image.';
      const body = await sourceBody(ctx, entry);
      let rerun = body && withSeed(body, viewImage.stepIndex, viewImage.seed);
      // Without the source, the parameters saved in the image rebuild it (the import path).
      const file = localFile(saved);
      const imported = !rerun && file ? await importImageFile(file) : undefined;
      if (imported) rerun = withSeed(imported.workflow, 0, viewImage.seed);
      if (!rerun) return 'Could not rebuild the workflow: the source file is gone or no longer has this step.';
      const uri = await writeDerivedFile(entry, `seed-${viewImage.seed}`, rerun);
      await vscode.window.showTextDocument(uri, { preview: false });
      await vscode.commands.executeCommand('civitai.submitWorkflow', uri);
      return `Re-running with seed ${viewImage.seed} (${vscode.workspace.asRelativePath(uri)}).`;
    }
    case 'useAsSource': {
      const file = localFile(saved);
      if (!file) return 'Download the image first.';
      const bytes = await vscode.workspace.fs.readFile(file);
      const ext = file.path.split('.').pop() ?? 'png';
      const dataUrl = `data:${IMAGE_MIME[ext] ?? 'image/png'};base64,${Buffer.from(bytes).toString('base64')}`;
      const body = await sourceBody(ctx, entry);
      const steps = (body?.steps as unknown[] | undefined) ?? [];
      const stepInput = (steps[viewImage.stepIndex] as { input?: unknown } | undefined)?.input
        ?? entry.snapshot?.steps[viewImage.stepIndex]?.input;
      const size = viewImage.width && viewImage.height ? { width: viewImage.width, height: viewImage.height } : undefined;
      const variant = variantFromStep(stepInput, dataUrl, size);
      if (!variant) return 'Image-to-image variants are available for SD1, SDXL and Anima imageGen steps.';
      const uri = await writeDerivedFile(entry, `variant-${viewImage.index + 1}`, variant);
      await vscode.window.showTextDocument(uri, { preview: false });
      return `Created ${vscode.workspace.asRelativePath(uri)}: an image-to-image workflow from this image.`;
    }
    case 'openAsWorkflow': {
      const file = localFile(saved);
      if (!file) return 'Download the image first.';
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('civitai.importParameters', { file: file.fsPath });
      return uri ? `Opened ${vscode.workspace.asRelativePath(uri)}: the parameters stored in this image as a workflow.` : undefined;
    }
    default:
      return;
  }
}

const COPY_FIELDS = {
  copyPrompt: ['prompt', 'Prompt'],
  copyNegativePrompt: ['negativePrompt', 'Negative prompt'],
  copyModel: ['model', 'Model AIR'],
} as const;

/**
 * Copies a value of the step that made the image: from the exact submitted body while the source
 * file still matches the run, else from what the service ran (refusing a value history shortened).
 */
async function copyFromRun(ctx: PanelActionsContext, entry: HistoryEntry, action: 'copyPrompt' | 'copyNegativePrompt' | 'copyModel' | 'copyParameters', image: { stepIndex: number; seed: number | null }): Promise<string> {
  const body = await runBody(ctx, entry);
  const steps = (body?.steps as Array<{ input?: Record<string, unknown> }> | undefined) ?? [];
  const input = steps[image.stepIndex]?.input;
  if (action === 'copyParameters') {
    const text = body && !hasShortenedString(input) ? parametersTextForStep(body, image.stepIndex, image.seed) : undefined;
    if (!text) return 'No generation parameters to copy: the step is not an imageGen step, or history kept only a shortened copy.';
    await vscode.env.clipboard.writeText(text);
    return 'Generation parameters copied (Import Generation Parameters reads them back).';
  }
  const [field, label] = COPY_FIELDS[action];
  const value = input?.[field] ?? (field === 'model' ? input?.diffuserModel : undefined);
  if (typeof value !== 'string' || value === '') return `This step has no ${label.toLowerCase()}.`;
  if (hasShortenedString(value)) return `History kept only a shortened ${label.toLowerCase()}; open the source file to copy it whole.`;
  await vscode.env.clipboard.writeText(value);
  return `${label} copied.`;
}

/** The body that ran: the source file while its digest still matches the run, else the service's steps. */
async function runBody(ctx: PanelActionsContext, entry: HistoryEntry): Promise<Record<string, unknown> | undefined> {
  if (entry.bodyDigest) {
    const source = await sourceBody(ctx, entry, false);
    if (source && bodyDigest(source) === entry.bodyDigest) return source;
  }
  const steps = entry.snapshot?.steps.map((s) => ({ $type: s.$type, name: s.name, input: s.input }));
  return steps?.length ? { steps } : undefined;
}

/** Largest source image posted to the panel (a data URL travels in every state message). */
const MAX_SOURCE_DATA_URL = 8 * 1024 * 1024;

/**
 * The source image of an image-to-image step, for the compare view: a `data:image/…` URL from the
 * submitted body (history keeps only a shortened copy of it). Null when the file changed since the
 * run, the image is a remote URL (the panel's CSP loads none), or it is too large.
 */
export async function sourceImageDataUrl(ctx: PanelActionsContext, entry: HistoryEntry, stepIndex: number): Promise<string | null> {
  const body = await runBody(ctx, entry);
  const steps = (body?.steps as Array<{ input?: Record<string, unknown> }> | undefined) ?? [];
  const image = steps[stepIndex]?.input?.image;
  if (typeof image !== 'string' || image.length > MAX_SOURCE_DATA_URL) return null;
  return /^data:image\/(?:png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(image) ? image : null;
}

/** The workflow the image's stored parameters describe (the import command's reading, no lookups). */
async function importImageFile(file: vscode.Uri): Promise<ImportResult | undefined> {
  const found = readImageParameters(await vscode.workspace.fs.readFile(file));
  return found ? importGenerationParametersResolving(found.text, undefined) : undefined;
}

/**
 * The saved image's bytes for a copy in the workspace. Downloads already carry their parameters;
 * one saved before they did gets them from the exact submitted body (the source file, while its
 * digest still matches the run) or else the steps the service ran, unless those were shortened
 * for history (then nothing is written rather than a cut prompt).
 */
async function withParametersForSave(ctx: PanelActionsContext, entry: HistoryEntry, image: { stepIndex: number; seed: number | null }, file: vscode.Uri): Promise<Uint8Array> {
  const bytes = await vscode.workspace.fs.readFile(file);
  if (readParameters(bytes) !== undefined) return bytes;
  const source = entry.bodyDigest ? await sourceBody(ctx, entry, false) : undefined;
  let body: unknown = source && bodyDigest(source) === entry.bodyDigest ? source : undefined;
  if (!body) {
    const steps = entry.snapshot?.steps.map((s) => ({ $type: s.$type, input: s.input }));
    if (steps && !hasShortenedString(steps[image.stepIndex]?.input)) body = { steps };
  }
  return body ? resultImageWithParameters(bytes, body, image.stepIndex, image.seed) : bytes;
}

/** Whether history shortened a string of this value (`compactSnapshot` writes "<start>… (N characters)"). */
function hasShortenedString(value: unknown): boolean {
  if (typeof value === 'string') return /… \(\d+ characters\)$/.test(value);
  if (Array.isArray(value)) return value.some(hasShortenedString);
  if (value && typeof value === 'object') return Object.values(value).some(hasShortenedString);
  return false;
}

function localFile(saved: SavedImage | undefined): vscode.Uri | undefined {
  return saved?.localPath ? vscode.Uri.file(saved.localPath) : undefined;
}

/** The workflow as the user wrote it: the source file as it is now, else (optionally) what the service ran. */
async function sourceBody(ctx: PanelActionsContext, entry: HistoryEntry, fallBackToSnapshot = true): Promise<Record<string, unknown> | undefined> {
  if (entry.fileUri) {
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(entry.fileUri));
      const value = ctx.diagnostics.resultFor(document).document.value;
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const { $schema: _s, ...body } = value as Record<string, unknown>;
        return body;
      }
    } catch {
      // The file was moved or deleted: fall back to the snapshot.
    }
  }
  if (!fallBackToSnapshot) return undefined;
  const steps = entry.snapshot?.steps.map((s) => ({ $type: s.$type, name: s.name, input: s.input }));
  return steps?.length ? { steps } : undefined;
}

/** Writes `<stem>.<suffix>.civitai.json` next to the source file (or in the workspace root). */
async function writeDerivedFile(entry: HistoryEntry, suffix: string, body: unknown): Promise<vscode.Uri> {
  const source = entry.fileUri ? vscode.Uri.parse(entry.fileUri) : undefined;
  const folder = source ? vscode.Uri.joinPath(source, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('Open a folder to create workflow files in.');
  const stem = safeName(entry.label, 40);
  let uri = vscode.Uri.joinPath(folder, `${stem}.${suffix}.civitai.json`);
  for (let n = 2; await fileExists(uri); n++) uri = vscode.Uri.joinPath(folder, `${stem}.${suffix}-${n}.civitai.json`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(body, null, 2) + '\n'));
  return uri;
}

async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the sweep's grid (one PNG per Z value, labelled, carrying the first cell's parameters so
 * it imports back) and sweep.json (cell → parameters → files) into the folder of its images.
 */
async function exportSweep(entry: HistoryEntry): Promise<string> {
  const sweep = sweepExport(entry);
  if (!sweep) return 'This workflow is not a sweep.';
  const first = sweep.cells.find((c) => c.files.length > 0);
  if (!first) return 'No image of this sweep is saved yet: refresh once the workflow has finished.';
  const folder = vscode.Uri.joinPath(vscode.Uri.file(first.files[0]), '..');
  const images: GridImage[] = [];
  for (const cell of sweep.cells) {
    if (!cell.files[0]) continue;
    try {
      images.push({ x: cell.x, y: cell.y, z: cell.z, png: await vscode.workspace.fs.readFile(vscode.Uri.file(cell.files[0])) });
    } catch {
      // A file removed since: its cell is drawn empty.
    }
  }
  const firstPng = images.find((i) => i.x === first.x && i.y === first.y && i.z === first.z)?.png;
  const pages = composeSweepGrid(sweep.axes, images, { parameters: firstPng ? readParameters(firstPng) : undefined });
  const written: string[] = [];
  for (const [z, png] of pages.entries()) {
    const file = vscode.Uri.joinPath(folder, pages.length === 1 ? 'grid.png' : `grid-z${z}.png`);
    await vscode.workspace.fs.writeFile(file, png);
    written.push(vscode.workspace.asRelativePath(file));
  }
  const record = { axes: sweep.axes, cells: sweep.cells.map((c) => ({ ...c, files: c.files.map((f) => f.split(/[\\/]/).pop()) })) };
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'sweep.json'), Buffer.from(JSON.stringify(record, null, 2) + '\n'));
  return `Grid saved: ${written.join(', ')} and sweep.json beside the images.`;
}
