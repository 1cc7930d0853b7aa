// Civitai: Submit Workflow. Refuses files with errors, confirms above the spending threshold,
// saves the idempotency key before sending, then follows the run in a progress notification
// whose Cancel stops the workflow (Buzz for work already done stays charged).
import * as vscode from 'vscode';
import { isApiError } from '../../core/api';
import { estimateWorkflowCost, formatBuzz } from '../../core/cost/estimate';
import { failureAdvice, isUnfinished, newIdempotencyKey, IDEMPOTENCY_KEY_PATTERN, type HistoryEntry } from '../../core/history';
import type { CivitaiContext } from '../context';
import { bodyDigest } from './bodyDigest';
import { explainError } from '../common/errors';
import { readSettings } from '../common/settings';
import { bodyOrExplain, ensureCredentials, fileLabel, resolveWorkflowDocument } from '../workflows/documents';

const CANCEL_NOTE = 'Cancel stops the run; Buzz already used stays charged.';

/** Returns the history key of the submission, or undefined when nothing was sent. */
export function submitWorkflow(ctx: CivitaiContext) {
  return async (arg?: unknown): Promise<string | undefined> => {
    if (!vscode.workspace.isTrusted) {
      // Restricted Mode: a folder not yet trusted decides nothing that spends Buzz or sends the token.
      const choice = await vscode.window.showWarningMessage(
        'Submitting is off in Restricted Mode: trust this folder first (its files and settings could otherwise decide what runs on your account).',
        'Manage Workspace Trust',
      );
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const document = await resolveWorkflowDocument(arg);
    if (!document) return undefined;
    const body = bodyOrExplain(ctx, document, 'submit');
    if (!body) return undefined;
    if (!(await ensureCredentials(ctx))) return undefined;

    const label = fileLabel(document);
    const estimate = estimateWorkflowCost(body).total;
    const preview = ctx.previews.previewFor(document);
    if (!(await confirmSpending(ctx, label, estimate, preview?.total))) return undefined;

    const key = typeof body.externalId === 'string' && IDEMPOTENCY_KEY_PATTERN.test(body.externalId) ? body.externalId : newIdempotencyKey();
    const submittedText = document.getText();
    ctx.serverDiagnostics.clear(document.uri);
    const { entry, done } = await ctx.runs.submit({
      body, key, label, fileUri: document.uri.toString(), estimate, whatif: preview, digest: bodyDigest(body),
    });
    ctx.panels.show(entry.key, true);
    void followInNotification(ctx, entry, done, document.uri, submittedText);
    return entry.key;
  };
}

async function confirmSpending(ctx: CivitaiContext, label: string, estimate: number | null, quoted: number | undefined): Promise<boolean> {
  // The emulator charges nothing: no question to ask.
  if (ctx.service.isEmulator()) return true;
  const threshold = readSettings().settings.confirmAboveBuzz;
  const cost = quoted ?? estimate;
  if (cost !== null && cost <= threshold && threshold > 0) return true;
  const what = quoted !== undefined
    ? `The service quoted ${formatBuzz(quoted)} Buzz`
    : estimate !== null ? `The estimate is ≈ ${formatBuzz(estimate)} Buzz` : 'The cost cannot be estimated locally for these steps';
  const why = cost === null ? '' : threshold === 0 ? ' (you asked to confirm every submission)' : ` (above your ${threshold} Buzz confirmation threshold)`;
  const choice = await vscode.window.showWarningMessage(
    `Submit ${label} to ${ctx.service.current().label}? ${what}${why}.`,
    { modal: true, detail: 'Change the threshold with the civitai.confirmAboveBuzz setting.' },
    'Submit',
    'Preview Cost First',
  );
  if (choice === 'Preview Cost First') {
    void vscode.commands.executeCommand('civitai.previewCost');
    return false;
  }
  return choice === 'Submit';
}

function progressMessage(entry: HistoryEntry | undefined): string {
  if (!entry) return '';
  if (entry.status === 'submitting') return `Submitting… ${CANCEL_NOTE}`;
  const steps = entry.snapshot?.steps ?? [];
  const rates = steps.map((s) => (s.status === 'succeeded' ? 1 : typeof s.estimatedProgressRate === 'number' ? Math.min(1, s.estimatedProgressRate > 1 ? s.estimatedProgressRate / 100 : s.estimatedProgressRate) : 0));
  const pct = rates.length ? Math.round((rates.reduce((a, b) => a + b, 0) / rates.length) * 100) : 0;
  const queued = steps.flatMap((s) => s.jobs ?? []).find((j) => typeof j.queuePosition?.precedingJobs === 'number');
  const queue = queued ? ` · ${queued.queuePosition?.precedingJobs} ahead in the queue` : '';
  return `${entry.status}${entry.status === 'processing' ? ` ${pct}%` : ''}${queue}. ${CANCEL_NOTE}`;
}

async function followInNotification(
  ctx: CivitaiContext,
  entry: HistoryEntry,
  done: Promise<HistoryEntry | undefined>,
  uri: vscode.Uri,
  submittedText: string,
): Promise<void> {
  let final: HistoryEntry | undefined;
  try {
    final = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Civitai: ${entry.label}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: progressMessage(entry) });
        const sub = ctx.history.onDidChange((changed) => {
          if (changed?.key === entry.key) progress.report({ message: progressMessage(changed) });
        });
        token.onCancellationRequested(() => {
          void ctx.runs.cancel(entry.key).then(
            () => void vscode.window.showInformationMessage(`Civitai: ${entry.label} was cancelled. Buzz for work already done stays charged.`),
            (error: unknown) => showExplained(ctx, `Cancelling ${entry.label}`, error, entry.emulator),
          );
        });
        try {
          return await done;
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (error) {
    if (isApiError(error) && error.kind === 'validation' && error.validationErrors) {
      const diagnostics = ctx.serverDiagnostics.show(uri, submittedText, error.validationErrors);
      ctx.log.info(`submit ${entry.label}: the service refused it; ${diagnostics.length} problem(s) marked in the file`);
    }
    showExplained(ctx, `Submitting ${entry.label}`, error, entry.emulator);
    return;
  }
  announce(ctx, final ?? ctx.history.get(entry.key));
}

function announce(ctx: CivitaiContext, entry: HistoryEntry | undefined): void {
  if (!entry || isUnfinished(entry)) return;
  const open = 'Open Results';
  const openIt = (c: string | undefined) => {
    if (c === open) ctx.panels.show(entry.key);
  };
  if (entry.status === 'succeeded') {
    const saved = entry.images.filter((i) => i.localPath).length;
    void vscode.window.showInformationMessage(`Civitai: ${entry.label} succeeded — ${saved} image${saved === 1 ? '' : 's'} saved.`, open).then(openIt);
  } else if (entry.status === 'failed' || entry.status === 'expired') {
    const job = entry.snapshot?.steps.flatMap((s) => s.jobs ?? []).find((j) => j.reason);
    const advice = failureAdvice(job?.reason ?? (entry.status === 'expired' ? 'expired' : null), job?.blockedReason);
    void vscode.window.showErrorMessage(`Civitai: ${entry.label} ${entry.status}. ${advice}`, open).then(openIt);
  }
}

export function showExplained(ctx: CivitaiContext, doing: string, error: unknown, emulator: boolean): void {
  const { message, actions } = explainError(doing, error, { emulator });
  ctx.log.warn(message);
  void vscode.window.showErrorMessage(`Civitai: ${message}`, ...actions.map((a) => a.title)).then((title) => {
    const action = actions.find((a) => a.title === title);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
}
