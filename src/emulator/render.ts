// Emulated workflows as the contract's `Workflow` JSON: the same fields and nesting the real
// service sends, with fresh signed blob URLs on every read (as refetching the real one gives).
import type { EmuBlob, EmuWorkflow, StepState } from './model';
import { computeStates, rollUp, type StepTiming } from './model';
import { BlobSlot } from './steps';

export interface RenderContext {
  now: number;
  timing: StepTiming;
  /** A signed content URL for a blob, valid until the returned expiry (virtual ms). */
  signUrl: (blobId: string) => { url: string; expiresAt: number };
  hideMatureContent: boolean;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Template fields the service echoes back as they were submitted. */
function echoed(template: Record<string, unknown>): Record<string, unknown> {
  return {
    metadata: isObject(template.metadata) ? template.metadata : {},
    arguments: isObject(template.arguments) ? template.arguments : {},
    callbacks: Array.isArray(template.callbacks) ? template.callbacks : [],
    tips: isObject(template.tips) ? template.tips : { civitai: 0, creators: 0 },
    experimental: typeof template.experimental === 'boolean' ? template.experimental : null,
    allowMatureContent: typeof template.allowMatureContent === 'boolean' ? template.allowMatureContent : null,
    upgradeMode: typeof template.upgradeMode === 'string' ? template.upgradeMode : 'manual',
    currencies: Array.isArray(template.currencies) ? template.currencies : [],
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function renderWorkflow(wf: EmuWorkflow, ctx: RenderContext): Record<string, unknown> {
  const states = computeStates(wf, ctx.timing, ctx.now);
  const overall = rollUp(states);
  return {
    id: wf.id,
    createdAt: iso(wf.createdAt),
    transactions: wf.transactions,
    status: overall.status,
    startedAt: iso(overall.startedAt),
    completedAt: iso(overall.completedAt),
    tags: wf.tags,
    steps: wf.steps.map((_step, i) => renderStep(wf, i, states[i], ctx)),
    cost: wf.cost,
    nsfwLevel: overall.status === 'succeeded' ? 'pg' : null,
    forceRefunded: false,
    ephemeral: wf.ephemeral || null,
    externalId: wf.externalId ?? null,
    ...echoed(wf.template),
  };
}

function renderStep(wf: EmuWorkflow, i: number, state: StepState, ctx: RenderContext): Record<string, unknown> {
  const step = wf.steps[i];
  const t = step.template;
  const started = state.status !== 'unassigned' || state.precedingJobs !== null || state.endedAt !== undefined;
  const jobs = started
    ? step.jobs.map((job) => ({
        id: job.id,
        status: state.status,
        startedAt: iso(state.times.processingAt <= Math.min(ctx.now, state.completedAt ?? ctx.now) ? state.times.processingAt : undefined),
        completedAt: iso(state.completedAt),
        queuePosition:
          state.precedingJobs !== null
            ? {
                support: 'available',
                precedingJobs: state.precedingJobs,
                startAt: iso(state.times.processingAt),
                completeAt: iso(state.times.end),
              }
            : null,
        cost: job.cost,
        estimatedProgressRate: state.progress,
        // Not in the contract's job schema, but the errors guide shows failed jobs carrying them.
        ...(state.failure ? { reason: state.failure.reason, blockedReason: state.failure.blockedReason ?? null } : {}),
      }))
    : [];
  const out: Record<string, unknown> = {
    $type: step.type,
    name: step.name,
    priority: typeof t.priority === 'string' ? t.priority : 'normal',
    timeout: typeof t.timeout === 'string' ? t.timeout : null,
    retries: typeof t.retries === 'number' ? t.retries : null,
    jobs,
    status: state.status,
    startedAt: iso(state.startedAt),
    completedAt: iso(state.completedAt),
    metadata: isObject(t.metadata) ? t.metadata : {},
    estimatedProgressRate: state.progress,
    input: t.input,
  };
  if (state.status === 'succeeded') out.output = renderOutput(step.output, step.blobs, wf, i, ctx);
  return out;
}

/** The step's output with each blob slot replaced by the blob's JSON (fresh signed URLs). */
function renderOutput(value: unknown, blobs: readonly EmuBlob[], wf: EmuWorkflow, step: number, ctx: RenderContext): unknown {
  if (value instanceof BlobSlot) {
    const blob = blobs[value.index];
    const json = blobJson(blob, wf.steps[step].jobs[blob.job]?.id ?? null, ctx.signUrl(blob.id));
    if (value.as === 'url') return json.url;
    if (value.as === 'plain') return { id: json.id, available: json.available, url: json.url, urlExpiresAt: json.urlExpiresAt, jobId: json.jobId ?? '' };
    return json;
  }
  if (Array.isArray(value)) return value.map((v) => renderOutput(v, blobs, wf, step, ctx));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderOutput(v, blobs, wf, step, ctx)]));
  return value;
}

/** A blob as the contract's `Blob` (and its `ImageBlob` / `VideoBlob` / `AudioBlob` / `Model3DBlob` members). */
export function blobJson(blob: EmuBlob, jobId: string | null, signed: { url: string; expiresAt: number }): Record<string, unknown> {
  // Emulator files are never mature, so hideMatureContent removes nothing.
  const out: Record<string, unknown> = {
    type: blob.type,
    id: blob.id,
    available: true,
    url: signed.url,
    urlExpiresAt: iso(signed.expiresAt),
    jobId,
    nsfwLevel: 'pg',
    blockedReason: null,
  };
  if (blob.type === 'image' || blob.type === 'video') {
    out.width = blob.width ?? null;
    out.height = blob.height ?? null;
  }
  if (blob.type === 'image') {
    out.previewUrl = signed.url;
    out.previewUrlExpiresAt = iso(signed.expiresAt);
  }
  if (blob.type === 'audio') out.duration = blob.duration ?? null;
  if (blob.type === 'model3d') out.format = blob.format ?? 'glb';
  return out;
}

/** The answer to a `whatif`: what would run and what it would cost, with no id (nothing exists). */
export function renderEstimate(wf: EmuWorkflow): Record<string, unknown> {
  return {
    id: null,
    createdAt: iso(wf.createdAt),
    transactions: { list: wf.transactions.list.map(({ id: _none, ...tx }) => tx), insufficientBuzz: false },
    status: 'unassigned',
    startedAt: null,
    completedAt: null,
    tags: wf.tags,
    steps: wf.steps.map((step) => ({
      $type: step.type,
      name: step.name,
      priority: typeof step.template.priority === 'string' ? step.template.priority : 'normal',
      jobs: [],
      status: 'unassigned',
      metadata: isObject(step.template.metadata) ? step.template.metadata : {},
      estimatedProgressRate: null,
      input: step.template.input,
    })),
    cost: wf.cost,
    forceRefunded: false,
    externalId: wf.externalId ?? null,
    ...echoed(wf.template),
  };
}
