// Turns a history entry (and the workflow snapshot it holds) into the results panel's state.
// Pure: the adapter supplies how a saved file becomes something the webview can show.
import type { Failure, ResultsImage, ResultsState, ResultsStep } from '../messages/results';
import type { HistoryEntry, SavedImage } from './entry';
import { isUnfinished } from './entry';
import { buildOutputs } from './outputsView';
import { chargedByCurrency, isTerminalStatus, stepErrors, stepImages, type ImageBlobSnapshot, type StepSnapshot } from './snapshot';
import { describeCost } from './costWording';
import { entryTitle } from './historyRows';
import { buildStepDetails, stepTitle } from './stepDetails';
import { buildSweepGrid } from './sweepView';

export interface ResultsViewOptions {
  /** A webview URI for a saved file, or null when the file is not there. */
  srcFor(localPath: string): string | null;
  serviceLabel: string;
  /** A problem to show above the results (e.g. the service could not be reached). */
  notice?: string | null;
  /** Something the webview can show for a step's source image (image-to-image), when there is one. */
  sourceSrcFor?(stepIndex: number): string | null;
}

/** The guides' advice for a failed job, in our words, by `reason`. */
export function failureAdvice(reason: string | null | undefined, blockedReason?: string | null): string {
  switch (reason) {
    case 'blocked':
      return `Content moderation blocked this job${blockedReason ? ` (${blockedReason})` : ''}. Sending the same input again will be blocked again: change the prompt or the source image.`;
    case 'no_provider_available':
      return 'No worker could run this job with these inputs (unusual size, unsupported option, restricted region…). Use more common inputs such as a well-behaved size, try the other engine, or retry later.';
    case 'timeout':
    case 'expired':
      return 'The job ran past its deadline. Submitting again is safe; a smaller batch or fewer steps finishes sooner.';
    case 'canceled':
      return 'The workflow was canceled, by you or an operator. Submit it again only if you want it re-run.';
    case null:
    case undefined:
    case '':
      return 'The service gave no reason. Submitting the same file once more is safe.';
    default:
      return `The service reported "${reason}".`;
  }
}

function stepFailures(step: StepSnapshot): Failure[] {
  if (step.status !== 'failed' && step.status !== 'expired' && step.status !== 'canceled') return [];
  const failedJobs = (step.jobs ?? []).filter((j) => j.status === step.status || j.reason);
  if (failedJobs.length === 0) {
    const reason = step.status === 'failed' ? '' : step.status;
    return [{ step: step.name, reason: reason || 'failed', advice: failureAdvice(reason) }];
  }
  const seen = new Set<string>();
  const out: Failure[] = [];
  for (const job of failedJobs) {
    const reason = job.reason ?? (step.status === 'failed' ? null : step.status);
    const key = `${reason}|${job.blockedReason ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ step: step.name, reason: reason ?? 'failed', advice: failureAdvice(reason, job.blockedReason) });
  }
  return out;
}

function progressOf(value: number | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  // The service reports a rate; some report 0..100. Normalise to 0..1.
  const v = value > 1 ? value / 100 : value;
  return Math.max(0, Math.min(1, v));
}

function inputSeed(step: StepSnapshot): { seed: number | null; quantity: number } {
  const input = step.input as Record<string, unknown> | undefined;
  const seed = typeof input?.seed === 'number' ? input.seed : null;
  const quantity = typeof input?.quantity === 'number' ? input.quantity : 1;
  return { seed, quantity };
}

/**
 * The seed of one output image: the service's, when it reports one; otherwise the step's fixed
 * seed for a single-image step. (How a batch derives seeds isn't documented, so none is guessed.)
 */
export function imageSeed(step: StepSnapshot, blob: ImageBlobSnapshot, saved?: SavedImage): number | null {
  if (typeof saved?.seed === 'number') return saved.seed;
  if (typeof blob.seed === 'number') return blob.seed;
  const { seed, quantity } = inputSeed(step);
  return quantity === 1 ? seed : null;
}

function withheldNote(blob: ImageBlobSnapshot, saved?: SavedImage): string | null {
  if (saved?.withheld) return saved.withheld;
  if (blob.blockedReason) return `Blocked by moderation: ${blob.blockedReason}`;
  if (blob.available === false && !blob.url) return 'The service withheld this image (mature content hidden, or not available).';
  return null;
}

function fileNameOf(path: string | undefined): string | null {
  if (!path) return null;
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || null;
}

export function buildResultsState(entry: HistoryEntry, options: ResultsViewOptions): ResultsState {
  const snapshot = entry.snapshot;
  const savedById = new Map(entry.images.map((i) => [i.blobId, i]));
  const steps: ResultsStep[] = [];
  const images: ResultsImage[] = [];
  const failures: Failure[] = [];

  (snapshot?.steps ?? []).forEach((step, stepIndex) => {
    steps.push({
      index: stepIndex,
      name: step.name,
      type: step.$type,
      title: stepTitle(step.name, step.$type, stepIndex),
      details: buildStepDetails(step),
      sourceSrc: options.sourceSrcFor?.(stepIndex) ?? null,
      status: step.status,
      progress: step.status === 'succeeded' ? 1 : progressOf(step.estimatedProgressRate),
      startedAt: step.startedAt ?? null,
      completedAt: step.completedAt ?? null,
      jobs: (step.jobs ?? []).map((j) => ({
        id: j.id,
        status: j.status,
        progress: j.status === 'succeeded' ? 1 : progressOf(j.estimatedProgressRate),
        queuePosition: j.queuePosition?.precedingJobs ?? null,
        startAt: j.queuePosition?.startAt ?? null,
        reason: j.reason ?? null,
        blockedReason: j.blockedReason ?? null,
      })),
      errors: stepErrors(step),
    });
    failures.push(...stepFailures(step));
    stepImages(step).forEach((blob, index) => {
      const saved = savedById.get(blob.id);
      const src = saved?.localPath ? options.srcFor(saved.localPath) : null;
      const note = withheldNote(blob, saved);
      images.push({
        key: blob.id,
        stepIndex,
        stepName: step.name,
        index,
        src,
        state: src ? 'saved' : note ? 'withheld' : saved?.localPath ? 'missing' : 'pending',
        width: blob.width ?? saved?.width ?? null,
        height: blob.height ?? saved?.height ?? null,
        seed: imageSeed(step, blob, saved),
        note: src ? null : note ?? (saved?.localPath ? 'The saved file is gone; refresh to download it again.' : null),
        fileName: fileNameOf(saved?.localPath),
      });
    });
  });

  if (snapshot && (snapshot.status === 'expired' || snapshot.status === 'failed') && failures.length === 0) {
    failures.push({ step: '(workflow)', reason: snapshot.status, advice: failureAdvice(snapshot.status === 'failed' ? null : 'expired') });
  }

  const charged = chargedByCurrency(snapshot?.transactions);
  const chargedTotal = Object.values(charged).reduce((a, b) => a + b, 0);
  const status = entry.status;
  const terminal = status === 'rejected' || isTerminalStatus(status);
  const figures = {
    estimate: entry.estimate,
    whatif: entry.whatif
      ? { total: entry.whatif.total, currencies: entry.whatif.currencies, insufficientBuzz: entry.whatif.insufficientBuzz }
      : null,
    charged: Object.keys(charged).length > 0 ? { total: chargedTotal, currencies: charged } : null,
  };
  return {
    key: entry.key,
    workflowId: entry.workflowId ?? null,
    label: entry.label,
    title: entryTitle(entry),
    emulator: entry.emulator,
    serviceLabel: options.serviceLabel,
    status,
    terminal,
    createdAt: snapshot?.createdAt ?? entry.createdAt,
    startedAt: snapshot?.startedAt ?? null,
    completedAt: snapshot?.completedAt ?? null,
    timeline: entry.timeline,
    steps,
    images,
    outputs: buildOutputs(entry, options.srcFor),
    sweep: buildSweepGrid(snapshot),
    cost: { ...describeCost(figures, terminal), ...figures },
    failures,
    notice: options.notice ?? entry.lastError ?? null,
    canCancel: Boolean(entry.workflowId) && isUnfinished(entry),
    hasSourceFile: Boolean(entry.fileUri),
  };
}
