// The part of a server `Workflow` the editor reads, as a lenient zod schema: the results view and
// the history only need status, timing, steps/jobs, output images and money. Unknown fields pass
// through untouched (the contract grows), missing optional ones are fine, wrong types are refused.
import { z } from 'zod';

export const WORKFLOW_STATUSES = [
  'unassigned', 'preparing', 'scheduled', 'processing', 'succeeded', 'failed', 'expired', 'canceled',
] as const;
export const WorkflowStatusSchema = z.enum(WORKFLOW_STATUSES);
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

export const TERMINAL_STATUSES: readonly WorkflowStatus[] = ['succeeded', 'failed', 'expired', 'canceled'];
export function isTerminalStatus(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

const nullish = <T extends z.ZodType>(t: T) => t.nullish();

export const ImageBlobSnapshotSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  available: z.boolean().optional(),
  url: nullish(z.string()),
  urlExpiresAt: nullish(z.string()),
  previewUrl: nullish(z.string()),
  width: nullish(z.number()),
  height: nullish(z.number()),
  jobId: nullish(z.string()),
  nsfwLevel: nullish(z.string()),
  blockedReason: nullish(z.string()),
  /** Not in the contract's Blob; read when a service (e.g. the emulator) reports it. */
  seed: nullish(z.number()),
});
export type ImageBlobSnapshot = z.infer<typeof ImageBlobSnapshotSchema>;

export const QueuePositionSchema = z.looseObject({
  support: z.string().optional(),
  precedingJobs: nullish(z.number()),
  startAt: nullish(z.string()),
  completeAt: nullish(z.string()),
});

export const JobSnapshotSchema = z.looseObject({
  id: z.string(),
  status: WorkflowStatusSchema,
  startedAt: nullish(z.string()),
  completedAt: nullish(z.string()),
  queuePosition: nullish(QueuePositionSchema),
  cost: nullish(z.number()),
  estimatedProgressRate: nullish(z.number()),
  /** Not in the contract's job shape but shown by the errors guide on failed jobs. */
  reason: nullish(z.string()),
  blockedReason: nullish(z.string()),
});
export type JobSnapshot = z.infer<typeof JobSnapshotSchema>;

export const StepSnapshotSchema = z.looseObject({
  $type: z.string(),
  name: z.string(),
  status: WorkflowStatusSchema,
  startedAt: nullish(z.string()),
  completedAt: nullish(z.string()),
  estimatedProgressRate: nullish(z.number()),
  jobs: nullish(z.array(JobSnapshotSchema)),
  input: z.unknown().optional(),
  /** Read through `stepImages`/`stepErrors`: other step types have other output shapes. */
  output: z.unknown().optional(),
});
export type StepSnapshot = z.infer<typeof StepSnapshotSchema>;

export const CURRENCIES = ['yellow', 'blue', 'green', 'fakeRed'] as const;

export const TransactionSchema = z.looseObject({
  type: z.enum(['debit', 'credit']),
  amount: z.number(),
  accountType: z.string(),
  id: nullish(z.string()),
});

export const WorkflowSnapshotSchema = z.looseObject({
  id: nullish(z.string()),
  status: WorkflowStatusSchema,
  createdAt: nullish(z.string()),
  startedAt: nullish(z.string()),
  completedAt: nullish(z.string()),
  externalId: nullish(z.string()),
  steps: z.array(StepSnapshotSchema).default([]),
  cost: nullish(z.looseObject({ total: nullish(z.number()), base: nullish(z.number()) })),
  transactions: nullish(
    z.looseObject({
      list: z.array(TransactionSchema).default([]),
      insufficientBuzz: nullish(z.boolean()),
    }),
  ),
});
export type WorkflowSnapshot = z.infer<typeof WorkflowSnapshotSchema>;

const ImageOutputSchema = z.looseObject({
  images: z.array(ImageBlobSnapshotSchema).optional(),
  /** imageUpscaler's single output. */
  blob: ImageBlobSnapshotSchema.optional(),
  errors: nullish(z.array(z.string())),
});

/** Output images of a step (imageGen `images[]`, imageUpscaler `blob`); none when the shape differs. */
export function stepImages(step: StepSnapshot): ImageBlobSnapshot[] {
  const parsed = ImageOutputSchema.safeParse(step.output);
  if (!parsed.success) return [];
  const out = [...(parsed.data.images ?? [])];
  const blob = parsed.data.blob;
  if (blob && (!blob.type || blob.type === 'image')) out.push(blob);
  return out;
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
