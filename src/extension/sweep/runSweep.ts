// Civitai: Run Sweep… — expands the sweep file (NAME.sweep.json beside NAME.civitai.json) into its
// cells, shows how many and what they cost (local estimate, then the service's quote), asks above
// the confirmation threshold, and submits. Each body's key comes from its content, so running the
// same sweep again re-attaches to its workflows instead of paying twice.
import * as vscode from 'vscode';
import { formatBuzz } from '../../core/cost/estimate';
import { lintWorkflow } from '../../core/lint';
import {
  estimateSweepCost, expandSweep, loadWildcards, parseSweepSpec, promptTexts, sweepKey, type ExpandedSweep,
} from '../../core/sweep';
import type { CivitaiContext } from '../context';
import { bodyDigest } from '../runs/bodyDigest';
import { exists } from '../results/resultsFiles';
import { readSettings } from '../common/settings';
import { ensureCredentials } from '../workflows/documents';
import { showExplained } from '../runs/submit';

const STARTER = {
  axes: [
    { field: 'cfgScale', values: '4-8(+2)' },
    { field: 'sampleMethod', values: ['euler', 'dpm++2m'] },
  ],
};

export interface SweepPlan {
  sweepUri: vscode.Uri;
  workflowUri: vscode.Uri;
  label: string;
  sweep: ExpandedSweep;
  estimate: ReturnType<typeof estimateSweepCost>;
}

/** Expands the sweep the argument or the active editor points at; explains and returns undefined when it can't. */
export async function planSweep(ctx: CivitaiContext, arg: unknown): Promise<SweepPlan | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || !/\.(sweep|civitai)\.json$/.test(uri.path)) {
    void vscode.window.showInformationMessage('Open a workflow (*.civitai.json) or its sweep file (*.sweep.json) first.');
    return undefined;
  }
  let sweepUri = uri.path.endsWith('.sweep.json') ? uri : uri.with({ path: uri.path.replace(/\.civitai\.json$/, '.sweep.json') });
  if (!(await exists(sweepUri))) {
    const create = await vscode.window.showInformationMessage(
      `${base(uri)} has no sweep file yet. Create ${base(sweepUri)} with a cfgScale × sampleMethod grid to start from?`, 'Create Sweep File');
    if (!create) return undefined;
    await vscode.workspace.fs.writeFile(sweepUri, Buffer.from(JSON.stringify(STARTER, null, 2) + '\n'));
    await vscode.window.showTextDocument(sweepUri);
    return undefined;
  }
  const result = await loadSweepPlan(ctx, sweepUri);
  if ('error' in result) {
    void vscode.window.showErrorMessage(`Civitai: can't run the sweep ${base(sweepUri)}: ${result.error}`);
    return undefined;
  }
  return result;
}

/** The sweep's cells and estimate, or what stands in the way; no dialogs (the CodeLens uses it too). */
export async function loadSweepPlan(ctx: CivitaiContext, sweepUri: vscode.Uri): Promise<SweepPlan | { error: string }> {
  try {
    const sweepDoc = await vscode.workspace.openTextDocument(sweepUri);
    const specValue = parseJson(sweepDoc.getText(), base(sweepUri));
    const spec = parseSweepSpec(specValue);
    const workflowUri = typeof spec.workflow === 'string'
      ? vscode.Uri.joinPath(sweepUri, '..', spec.workflow)
      : sweepUri.with({ path: sweepUri.path.replace(/\.sweep\.json$/, '.civitai.json') });
    if (!(await exists(workflowUri))) throw new Error(`its workflow ${base(workflowUri)} does not exist (set "workflow")`);
    const workflowDoc = await vscode.workspace.openTextDocument(workflowUri);
    const lint = ctx.diagnostics.resultFor(workflowDoc);
    const errors = lint.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new Error(`${base(workflowUri)} has ${errors.length} error(s); first, line ${errors[0].range.start.line + 1}: ${errors[0].message}`);
    const { $schema: _editorOnly, ...workflow } = lint.document.value as Record<string, unknown>;
    const folder = vscode.workspace.getWorkspaceFolder(workflowUri)?.uri ?? vscode.Uri.joinPath(workflowUri, '..');
    const wildcards = await loadWildcards(promptTexts(workflow), async (name) =>
      Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'wildcards', `${name}.txt`))).toString('utf8'));
    const sweep = expandSweep(workflow, spec, { wildcards: (name) => wildcards.get(name) });
    // A value the contract refuses is named with its cell before any money is involved.
    for (const body of sweep.bodies) {
      const bad = lintWorkflow(JSON.stringify(body, null, 2)).findings.find((f) => f.severity === 'error');
      if (bad) throw new Error(`a cell is not a valid request: ${bad.message}`);
    }
    return { sweepUri, workflowUri, label: base(workflowUri).replace(/\.civitai\.json$/, ''), sweep, estimate: estimateSweepCost(sweep) };
  } catch (error) {
    // A sweep the core refuses (SweepSpecError) or a file that cannot be read: said in one line.
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export function describeSweep(plan: SweepPlan): string {
  const shape = plan.sweep.axes.map((a) => `${a.values.length} ${a.label}`).join(' × ');
  return `${plan.sweep.cells.length} cells (${shape})`;
}

export function estimateText(plan: SweepPlan): string {
  const { estimate } = plan;
  return estimate.total !== null
    ? `≈ ${formatBuzz(estimate.total)} Buzz`
    : `≈ ${formatBuzz(estimate.known)} Buzz + ${estimate.unknownSteps.length} cell(s) without a published price`;
}

/** Returns the history keys of the submitted parts (empty when nothing was sent). */
export function runSweep(ctx: CivitaiContext) {
  return async (arg?: unknown): Promise<string[]> => {
    const plan = await planSweep(ctx, arg);
    if (!plan) return [];
    if (!(await ensureCredentials(ctx))) return [];
    const target = ctx.service.current();
    let quote = 0;
    try {
      quote = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Civitai: asking ${target.label} for the price of ${describeSweep(plan)}…` },
        async () => {
          const client = await ctx.service.client();
          let sum = 0;
          for (const body of plan.sweep.bodies) sum += (await client.previewCost(body)).total ?? 0;
          return sum;
        },
      );
    } catch (error) {
      showExplained(ctx, `Pricing the sweep ${plan.label}`, error, ctx.service.isEmulator());
      return [];
    }
    const threshold = readSettings().settings.confirmAboveBuzz;
    const summary = `${describeSweep(plan)}: the service quoted ${formatBuzz(quote)} Buzz (local estimate ${estimateText(plan)}).`;
    ctx.log.info(`sweep ${plan.label}: ${summary}`);
    if (!ctx.service.isEmulator() && (threshold === 0 || quote > threshold)) {
      const choice = await vscode.window.showWarningMessage(
        `Run the sweep of ${plan.label} on ${target.label}? ${summary}`,
        { modal: true, detail: [...plan.sweep.notes, 'Change the threshold with the civitai.confirmAboveBuzz setting.'].join('\n') },
        'Run Sweep',
      );
      if (choice !== 'Run Sweep') return [];
    }
    const keys: string[] = [];
    for (const [i, body] of plan.sweep.bodies.entries()) {
      const part = plan.sweep.bodies.length > 1 ? ` (part ${i + 1}/${plan.sweep.bodies.length})` : '';
      const key = sweepKey(body);
      const existing = ctx.history.get(key);
      if (existing) {
        keys.push(existing.key);
        continue; // Already submitted from here: re-attach (the panel follows it), never pay twice.
      }
      const { entry } = await ctx.runs.submit({
        body, key, label: `${plan.label} sweep${part}`, fileUri: plan.workflowUri.toString(),
        estimate: estimateSweepCost({ ...plan.sweep, bodies: [body] }).total, digest: bodyDigest(body),
      });
      keys.push(entry.key);
    }
    if (keys.length > 0) ctx.panels.show(keys[0], true);
    void vscode.window.showInformationMessage(`Civitai: sweep of ${plan.label} submitted — ${summary}`);
    return keys;
  };
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

function base(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}
