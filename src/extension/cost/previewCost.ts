// Civitai: Preview Cost — asks the service for the exact cost (whatif=true: nothing runs, nothing
// is charged, no idempotency key is used) and shows it beside the local estimate.
import * as vscode from 'vscode';
import { isApiError } from '../../core/api';
import { estimateWorkflowCost, formatBuzz } from '../../core/cost/estimate';
import { chargedByCurrency, WorkflowSnapshotSchema, type PreviewCost } from '../../core/history';
import type { CivitaiContext } from '../context';
import { bodyOrExplain, ensureCredentials, fileLabel, resolveWorkflowDocument } from '../workflows/documents';
import { showExplained } from '../runs/submit';

export function previewCost(ctx: CivitaiContext) {
  return async (arg?: unknown): Promise<PreviewCost | undefined> => {
    const document = await resolveWorkflowDocument(arg);
    if (!document) return undefined;
    const body = bodyOrExplain(ctx, document, 'preview the cost of');
    if (!body) return undefined;
    if (!(await ensureCredentials(ctx))) return undefined;
    const label = fileLabel(document);
    const text = document.getText();
    ctx.serverDiagnostics.clear(document.uri);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Civitai: asking ${ctx.service.current().label} for the cost of ${label}…` },
        async () => (await ctx.service.client()).previewCost(body),
      );
      const snapshot = WorkflowSnapshotSchema.safeParse(result.workflow);
      const currencies = snapshot.success ? chargedByCurrency(snapshot.data.transactions) : {};
      const total = result.total ?? Object.values(currencies).reduce((a, b) => a + b, 0);
      const preview: PreviewCost = {
        total,
        currencies,
        insufficientBuzz: result.insufficientBuzz ?? undefined,
        at: new Date().toISOString(),
      };
      ctx.previews.set(document, preview);
      const estimate = estimateWorkflowCost(body).total;
      const breakdown = Object.entries(currencies).map(([c, n]) => `${c} ${formatBuzz(n)}`).join(', ');
      const parts = [
        `Civitai: ${label} would cost ${formatBuzz(total)} Buzz${breakdown ? ` (${breakdown})` : ''}.`,
        estimate !== null ? `Local estimate ≈ ${formatBuzz(estimate)} Buzz.` : '',
        preview.insufficientBuzz ? 'Your Buzz balance is not enough for it.' : '',
      ].filter(Boolean);
      ctx.log.info(`preview ${label}: ${formatBuzz(total)} Buzz ${JSON.stringify(currencies)}`);
      const show = preview.insufficientBuzz ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(parts.join(' '), 'Submit').then((c) => {
        if (c) void vscode.commands.executeCommand('civitai.submitWorkflow', document.uri);
      });
      return preview;
    } catch (error) {
      if (isApiError(error) && error.kind === 'validation' && error.validationErrors) {
        ctx.serverDiagnostics.show(document.uri, text, error.validationErrors);
      }
      showExplained(ctx, `Previewing the cost of ${label}`, error, ctx.service.isEmulator());
      return undefined;
    }
  };
}
