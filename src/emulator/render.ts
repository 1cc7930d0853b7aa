// Emulated workflows as the contract's `Workflow` JSON: the same fields and nesting the real
// service sends, with fresh signed blob URLs on every read (as refetching the real one gives).
import type { EmuWorkflow, StepState } from './model';
import { computeStates, rollUp, type StepTiming } from './model';

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
  if (state.status === 'succeeded') {
    const blobs = step.blobIds.map((id, k) => renderBlob(wf, i, k, id, ctx));
    out.output = step.type === 'imageGen' ? { images: blobs } : { blob: blobs[0] };
  }
  return out;
}

function renderBlob(wf: EmuWorkflow, step: number, image: number, blobId: string, ctx: RenderContext): Record<string, unknown> {
  const plan = wf.steps[step].plan;
  const signed = ctx.signUrl(blobId);
  // Emulator images are never mature, so hideMatureContent removes nothing.
  return {
    type: 'image',
    id: blobId,
    available: true,
    url: signed.url,
    urlExpiresAt: iso(signed.expiresAt),
    jobId: wf.steps[step].jobs[image]?.id ?? null,
    nsfwLevel: 'pg',
    blockedReason: null,
    width: plan.width,
    height: plan.height,
    previewUrl: signed.url,
    previewUrlExpiresAt: iso(signed.expiresAt),
  };
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
