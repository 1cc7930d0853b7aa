// The emulator's workflows: what was submitted, what each step will produce, and where on the
// (virtual) clock each step is. State is derived from the clock on every read rather than pushed
// by timers, so nothing runs in the background and a sped-up clock plays the whole lifecycle.
import type { WorkflowStatus } from '../core/api/schemas';
import type { StepFailure } from './faults';

export interface StepTiming {
  /** Routed to no worker yet. */
  unassignedMs: number;
  /** Worker downloading models (`estimatedProgressRate` = download progress). */
  preparingMs: number;
  /** Waiting in a ready worker's queue. */
  scheduledMs: number;
  /** Generating (`estimatedProgressRate` = generation progress). */
  processingMs: number;
}

export const DEFAULT_TIMING: Readonly<StepTiming> = Object.freeze({
  unassignedMs: 500,
  preparingMs: 1500,
  scheduledMs: 1000,
  processingMs: 3000,
});

/** Pixels a step reads: an image of this workflow, of an earlier one, or PNG data sent inline. */
export type PixelSource =
  | { kind: 'step'; step: number; blob: number }
  | { kind: 'blob'; workflowId: string; step: number; blob: number }
  | { kind: 'png'; bytes: Uint8Array };

/** How an output file's bytes are made, on first download (deterministic, so it can be made again). */
export type BlobRecipe =
  /** The seeded pattern at the blob's width × height. */
  | { kind: 'pattern'; seed: number }
  /** The source enlarged (nearest neighbour) by an integer factor. */
  | { kind: 'enlarge'; factor: number; source: PixelSource }
  /** The source as it is (conversions, cut-outs and preprocessors are stand-ins). */
  | { kind: 'same'; source: PixelSource }
  | { kind: 'video'; fps: number; frames: number; seed: number; firstFrame?: PixelSource }
  | { kind: 'audio'; seconds: number; seed: number }
  | { kind: 'model3d'; seed: number }
  | { kind: 'svg'; seed: number }
  /** Small files made at submission (safetensors, zip, JSON). */
  | { kind: 'bytes'; bytes: Uint8Array };

export interface EmuBlob {
  id: string;
  /** The contract's blob `type`: image, video, audio, model3d, or another word for other files. */
  type: string;
  mime: string;
  recipe: BlobRecipe;
  /** Index of the step's job that made it. */
  job: number;
  width?: number;
  height?: number;
  /** Seconds (audio). */
  duration?: number;
  /** File format (model3d: `glb`). */
  format?: string;
}

export interface EmuJob {
  id: string;
  /** Relative complexity (workflows guide), not Buzz. */
  cost: number;
}

export interface EmuStep {
  index: number;
  name: string;
  type: string;
  /** The step as submitted (with `$arguments` resolved), echoed back in responses. */
  template: Record<string, unknown>;
  deps: number[];
  jobs: EmuJob[];
  /** Output files, ids assigned at submission. */
  blobs: EmuBlob[];
  /** The output as the contract shapes it, with `BlobSlot`s where the blobs go (see steps/context.ts). */
  output: unknown;
  failure?: StepFailure;
  /** Exact estimate in Buzz for this step (what it is charged). */
  buzz: number;
}

export interface EmuWorkflow {
  id: string;
  owner: string;
  createdAt: number;
  template: Record<string, unknown>;
  steps: EmuStep[];
  /** Steps in an order where dependencies come first. */
  order: number[];
  tags: string[];
  externalId?: string;
  ephemeral: boolean;
  canceledAt?: number;
  deleted: boolean;
  cost: { base: number; total: number; tips: { civitai: number; creators: number }; factors: Record<string, number> };
  transactions: { list: Array<{ type: 'debit' | 'credit'; amount: number; accountType: string; id: string }> };
}

export interface StepTimes {
  start: number;
  preparingAt: number;
  scheduledAt: number;
  processingAt: number;
  end: number;
}

export interface StepState {
  status: WorkflowStatus;
  startedAt?: number;
  completedAt?: number;
  /** 0–1 while preparing (download) or processing (generation); null otherwise. */
  progress: number | null;
  /** Jobs ahead in the queue while waiting; null otherwise. */
  precedingJobs: number | null;
  times: StepTimes;
  /** When the step ended (terminal statuses). */
  endedAt?: number;
  /** The job failure reason, for failed steps. */
  failure?: StepFailure;
}

/** How many jobs a fresh job finds ahead of it in the queue. */
const INITIAL_QUEUE = 3;

/** Step start/phase times: a step starts when the workflow is created and its dependencies end. */
export function computeTimes(wf: EmuWorkflow, timing: StepTiming): StepTimes[] {
  const times: StepTimes[] = new Array(wf.steps.length);
  for (const i of wf.order) {
    const step = wf.steps[i];
    const start = Math.max(wf.createdAt, ...step.deps.map((d) => times[d].end));
    const preparingAt = start + timing.unassignedMs;
    const scheduledAt = preparingAt + timing.preparingMs;
    const processingAt = scheduledAt + timing.scheduledMs;
    times[i] = { start, preparingAt, scheduledAt, processingAt, end: processingAt + timing.processingMs };
  }
  return times;
}

const fraction = (now: number, from: number, to: number): number => (to <= from ? 1 : Math.min(1, Math.max(0, (now - from) / (to - from))));

export function computeStates(wf: EmuWorkflow, timing: StepTiming, now: number): StepState[] {
  const times = computeTimes(wf, timing);
  const states: StepState[] = new Array(wf.steps.length);
  for (const i of wf.order) {
    const step = wf.steps[i];
    const t = times[i];
    // A dependency that ended badly cancels this step when it ends.
    const badDep = step.deps
      .map((d) => states[d])
      .find((s) => s.status === 'failed' || s.status === 'canceled' || s.status === 'expired');
    if (badDep && badDep.endedAt !== undefined) {
      states[i] = { status: 'canceled', progress: null, precedingJobs: null, times: t, completedAt: badDep.endedAt, endedAt: badDep.endedAt };
      continue;
    }
    const waitingOnDeps = step.deps.some((d) => states[d].status !== 'succeeded');
    if (wf.canceledAt !== undefined && now >= wf.canceledAt && (waitingOnDeps || wf.canceledAt < t.end)) {
      const startedAt = wf.canceledAt >= t.preparingAt && !waitingOnDeps ? t.preparingAt : undefined;
      states[i] = { status: 'canceled', progress: null, precedingJobs: null, times: t, startedAt, completedAt: wf.canceledAt, endedAt: wf.canceledAt };
      continue;
    }
    if (waitingOnDeps || now < t.preparingAt) {
      const queued = !waitingOnDeps && now >= t.start;
      states[i] = { status: 'unassigned', progress: null, precedingJobs: queued ? INITIAL_QUEUE : null, times: t };
      continue;
    }
    const queueLeft = Math.ceil(INITIAL_QUEUE * (1 - fraction(now, t.start, t.processingAt)));
    if (now < t.scheduledAt) {
      states[i] = { status: 'preparing', progress: fraction(now, t.preparingAt, t.scheduledAt), precedingJobs: queueLeft, times: t, startedAt: t.preparingAt };
    } else if (now < t.processingAt) {
      states[i] = { status: 'scheduled', progress: null, precedingJobs: queueLeft, times: t, startedAt: t.preparingAt };
    } else if (now < t.end) {
      states[i] = { status: 'processing', progress: fraction(now, t.processingAt, t.end), precedingJobs: null, times: t, startedAt: t.preparingAt };
    } else {
      states[i] = {
        status: step.failure ? 'failed' : 'succeeded',
        progress: null,
        precedingJobs: null,
        times: t,
        startedAt: t.preparingAt,
        completedAt: t.end,
        endedAt: t.end,
        failure: step.failure,
      };
    }
  }
  return states;
}

const TERMINAL: ReadonlySet<WorkflowStatus> = new Set(['succeeded', 'failed', 'expired', 'canceled']);

/** The workflow's status from its steps' (workflows guide: roll-up). */
export function rollUp(states: readonly StepState[]): { status: WorkflowStatus; startedAt?: number; completedAt?: number } {
  const started = states.map((s) => s.startedAt).filter((v): v is number => v !== undefined);
  const startedAt = started.length ? Math.min(...started) : undefined;
  if (states.every((s) => TERMINAL.has(s.status))) {
    const completedAt = Math.max(...states.map((s) => s.endedAt ?? 0));
    const status: WorkflowStatus = states.some((s) => s.status === 'failed')
      ? 'failed'
      : states.some((s) => s.status === 'expired')
        ? 'expired'
        : states.some((s) => s.status === 'canceled')
          ? 'canceled'
          : 'succeeded';
    return { status, startedAt, completedAt };
  }
  const has = (st: WorkflowStatus): boolean => states.some((s) => s.status === st);
  if (has('processing') || states.some((s) => TERMINAL.has(s.status))) return { status: 'processing', startedAt };
  if (has('scheduled')) return { status: 'scheduled', startedAt };
  if (has('preparing')) return { status: 'preparing', startedAt };
  return { status: 'unassigned', startedAt };
}

export function isTerminal(status: WorkflowStatus): boolean {
  return TERMINAL.has(status);
}

/** Virtual time at which the workflow will be terminal, if nothing changes. */
export function terminalAt(wf: EmuWorkflow, timing: StepTiming): number {
  const times = computeTimes(wf, timing);
  const end = Math.max(...times.map((t) => t.end));
  return wf.canceledAt !== undefined ? Math.min(end, wf.canceledAt) : end;
}
