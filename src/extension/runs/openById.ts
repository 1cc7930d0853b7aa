// Civitai: Open Workflow by ID… — fetches a workflow submitted elsewhere (the CLI, the website, a
// script), adds it to the history and shows its results; follows it if it is still running.
import * as vscode from 'vscode';
import { estimateWorkflowCost } from '../../core/cost/estimate';
import { isUnfinished, withStatus } from '../../core/history';
import type { CivitaiContext } from '../context';
import { showExplained } from './submit';
import { ensureCredentials } from '../workflows/documents';

export function openWorkflowById(ctx: CivitaiContext) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const raw = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
      title: 'Open workflow by ID',
      prompt: 'The workflow id, as returned by the service (e.g. from the CLI or the website).',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'Enter a workflow id.' : /\s/.test(v.trim()) ? 'A workflow id has no spaces.' : undefined),
    });
    const id = raw?.trim();
    if (!id) return undefined;
    const known = ctx.history.byWorkflowId(id);
    if (known) {
      ctx.panels.show(known.key);
      if (isUnfinished(known)) void ctx.runs.resume(known.key);
      else void ctx.runs.refresh(known.key).catch(() => undefined);
      return known.key;
    }
    if (!(await ensureCredentials(ctx))) return undefined;
    try {
      const client = await ctx.service.client();
      const workflow = await client.getWorkflow(id);
      const target = ctx.service.current();
      const now = new Date().toISOString();
      const key = `id-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 128);
      await ctx.history.put(withStatus({
        key,
        submitted: false,
        workflowId: id,
        serviceUrl: target.baseUrl,
        emulator: target.kind === 'emulator',
        label: `workflow ${id}`,
        createdAt: workflow.createdAt ?? now,
        updatedAt: now,
        status: workflow.status,
        timeline: [],
        // The local estimate from the steps the service ran, so the cost shows three ways here too.
        estimate: estimateWorkflowCost({ steps: workflow.steps.map((st) => ({ $type: st.$type, name: st.name, input: st.input })) }).total,
        images: [],
      }, workflow.status, now));
      ctx.panels.show(key);
      // Fetches again through the runner so the snapshot is recorded and images downloaded.
      void ctx.runs.refresh(key).catch((error: unknown) => showExplained(ctx, `Opening workflow ${id}`, error, target.kind === 'emulator'));
      return key;
    } catch (error) {
      showExplained(ctx, `Opening workflow ${id}`, error, ctx.service.isEmulator());
      return undefined;
    }
  };
}
