// The part of a server `Workflow` the editor reads, as a lenient zod schema: the results view and
// the history only need status, timing, steps/jobs, output images and money. Unknown fields pass
// through untouched (the contract grows), missing optional ones are fine, wrong types are refused.
import * as z from '../zod-mini';
import { TransactionInfoSchema, WorkflowStatusSchema } from '../api/schemas';
import { outputBlobs } from '../results/step-outputs';

// The statuses and which of them are final are the contract's facts, kept once with the client's schemas.
export { isTerminalStatus, TERMINAL_STATUSES, WORKFLOW_STATUSES, WorkflowStatusSchema, type WorkflowStatus } from '../api/schemas';

export const ImageBlobSnapshotSchema = z.looseObject({
  id: z.string(),
  type: z.optional(z.string()),
  available: z.optional(z.boolean()),
  url: z.nullish(z.string()),
  urlExpiresAt: z.nullish(z.string()),
  previewUrl: z.nullish(z.string()),
  width: z.nullish(z.number()),
  height: z.nullish(z.number()),
  jobId: z.nullish(z.string()),
  nsfwLevel: z.nullish(z.string()),
  blockedReason: z.nullish(z.string()),
  /** Not in the contract's Blob; read when a service (e.g. the emulator) reports it. */
  seed: z.nullish(z.number()),
});
export type ImageBlobSnapshot = z.infer<typeof ImageBlobSnapshotSchema>;

export const QueuePositionSchema = z.looseObject({
  support: z.optional(z.string()),
  precedingJobs: z.nullish(z.number()),
  startAt: z.nullish(z.string()),
  completeAt: z.nullish(z.string()),
});

export const JobSnapshotSchema = z.looseObject({
  id: z.string(),
  status: WorkflowStatusSchema,
  startedAt: z.nullish(z.string()),
  completedAt: z.nullish(z.string()),
  queuePosition: z.nullish(QueuePositionSchema),
  cost: z.nullish(z.number()),
  estimatedProgressRate: z.nullish(z.number()),
  /** Not in the contract's job shape but shown by the errors guide on failed jobs. */
  reason: z.nullish(z.string()),
  blockedReason: z.nullish(z.string()),
});
export type JobSnapshot = z.infer<typeof JobSnapshotSchema>;

export const StepSnapshotSchema = z.looseObject({
  $type: z.string(),
  name: z.string(),
  status: WorkflowStatusSchema,
  startedAt: z.nullish(z.string()),
  completedAt: z.nullish(z.string()),
  estimatedProgressRate: z.nullish(z.number()),
  jobs: z.nullish(z.array(JobSnapshotSchema)),
  input: z.optional(z.unknown()),
  /** Read through `stepImages`/`stepErrors`: other step types have other output shapes. */
  output: z.optional(z.unknown()),
});
export type StepSnapshot = z.infer<typeof StepSnapshotSchema>;

export const WorkflowSnapshotSchema = z.looseObject({
  id: z.nullish(z.string()),
  status: WorkflowStatusSchema,
  createdAt: z.nullish(z.string()),
  startedAt: z.nullish(z.string()),
  completedAt: z.nullish(z.string()),
  externalId: z.nullish(z.string()),
  steps: z._default(z.array(StepSnapshotSchema), []),
  cost: z.nullish(z.looseObject({ total: z.nullish(z.number()), base: z.nullish(z.number()) })),
  transactions: z.nullish(
    z.looseObject({
      list: z._default(z.array(TransactionInfoSchema), []),
      insufficientBuzz: z.nullish(z.boolean()),
    }),
  ),
});
export type WorkflowSnapshot = z.infer<typeof WorkflowSnapshotSchema>;

const ImageOutputSchema = z.looseObject({
  images: z.optional(z.array(ImageBlobSnapshotSchema)),
  /** imageUpscaler's single output. */
  blob: z.optional(ImageBlobSnapshotSchema),
  errors: z.nullish(z.array(z.string())),
});

/** Output images of a step, wherever its type puts them (`images[]`, `blob`, `blobs[]`, `frames[]`…). */
export function stepImages(step: StepSnapshot): ImageBlobSnapshot[] {
  return outputBlobs(step.$type, step.output)
    .filter((b) => b.media === 'image')
    .flatMap((b) => {
      const parsed = ImageBlobSnapshotSchema.safeParse(b.blob);
      return parsed.success ? [parsed.data] : [];
    });
}

/** Generation errors a step's output lists. */
export function stepErrors(step: StepSnapshot): string[] {
  const parsed = ImageOutputSchema.safeParse(step.output);
  return parsed.success ? parsed.data.errors ?? [] : [];
}

/** Money per currency: debits minus credits. Empty when nothing was charged. */
export function chargedByCurrency(transactions: WorkflowSnapshot['transactions']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of transactions?.list ?? []) {
    const sign = t.type === 'credit' ? -1 : 1;
    out[t.accountType] = (out[t.accountType] ?? 0) + sign * t.amount;
  }
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
}

/**
 * Shrinks a workflow for storage in history: long strings (data-URL source images, base64) are
 * cut, and signed URLs are kept (they expire, but the id is what matters for refreshing).
 */
export function compactSnapshot(workflow: WorkflowSnapshot, maxString = 2048): WorkflowSnapshot {
  const cut = (v: unknown): unknown => {
    if (typeof v === 'string') return v.length > maxString ? `${v.slice(0, 64)}… (${v.length} characters)` : v;
    if (Array.isArray(v)) return v.map(cut);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = cut(x);
      return o;
    }
    return v;
  };
  return cut(workflow) as WorkflowSnapshot;
}
