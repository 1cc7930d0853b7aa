// zod schemas for what the orchestrator sends back. Loose where the contract may grow (unknown
// fields pass through untouched), strict on the fields the extension, CLI and emulator rely on:
// ids, statuses, step outputs with image blobs, cost, problem details.
import { z } from 'zod';

export const WORKFLOW_STATUSES = [
  'unassigned',
  'preparing',
  'scheduled',
  'processing',
  'succeeded',
  'failed',
  'expired',
  'canceled',
] as const;
export const WorkflowStatusSchema = z.enum(WORKFLOW_STATUSES);
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

export const TERMINAL_STATUSES: ReadonlySet<WorkflowStatus> = new Set(['succeeded', 'failed', 'expired', 'canceled']);
export const isTerminalStatus = (status: WorkflowStatus): boolean => TERMINAL_STATUSES.has(status);

export const NsfwLevelSchema = z.enum(['pg', 'pg13', 'r', 'x', 'xxx', 'na']);
export const BuzzAccountSchema = z.enum(['yellow', 'blue', 'green', 'fakeRed']);

const dateTime = z.string();

/** Blob (contract `Blob` / `ImageBlob`): an output file with a signed, expiring URL. */
export const BlobSchema = z.looseObject({
  type: z.string().optional(),
  id: z.string().min(1),
  available: z.boolean().optional(),
  url: z.string().nullish(),
  urlExpiresAt: dateTime.nullish(),
  jobId: z.string().nullish(),
  nsfwLevel: NsfwLevelSchema.nullish(),
  blockedReason: z.string().nullish(),
});
export type Blob = z.infer<typeof BlobSchema>;

export const ImageBlobSchema = BlobSchema.extend({
  width: z.number().int().nullish(),
  height: z.number().int().nullish(),
  previewUrl: z.string().nullish(),
  previewUrlExpiresAt: dateTime.nullish(),
});
export type ImageBlob = z.infer<typeof ImageBlobSchema>;

export const ImageGenOutputSchema = z.looseObject({
  images: z.array(ImageBlobSchema),
  errors: z.array(z.string()).nullish(),
});
export type ImageGenOutput = z.infer<typeof ImageGenOutputSchema>;

export const ImageUpscalerOutputSchema = z.looseObject({ blob: ImageBlobSchema });
export type ImageUpscalerOutput = z.infer<typeof ImageUpscalerOutputSchema>;

export const QueuePositionSchema = z.looseObject({
  support: z.string().optional(),
  precedingJobs: z.number().int().nullish(),
  startAt: dateTime.nullish(),
  completeAt: dateTime.nullish(),
});

/** A job (contract `WorkflowStepJob`; `reason` / `blockedReason` as the errors guide shows them). */
export const WorkflowStepJobSchema = z.looseObject({
  id: z.string(),
  status: WorkflowStatusSchema,
  startedAt: dateTime.nullish(),
  completedAt: dateTime.nullish(),
  queuePosition: QueuePositionSchema.nullish(),
  cost: z.number().optional(),
  estimatedProgressRate: z.number().nullish(),
  reason: z.string().nullish(),
  blockedReason: z.string().nullish(),
});
export type WorkflowStepJob = z.infer<typeof WorkflowStepJobSchema>;

/** Output schemas for the step types whose results we read; other types pass through. */
const OUTPUT_BY_STEP_TYPE: Record<string, z.ZodType> = {
  imageGen: ImageGenOutputSchema,
  imageUpscaler: ImageUpscalerOutputSchema,
};

export const WorkflowStepSchema = z
  .looseObject({
    $type: z.string(),
    name: z.string(),
    status: WorkflowStatusSchema,
    priority: z.string().optional(),
    input: z.unknown().optional(),
    output: z.unknown().optional(),
    jobs: z.array(WorkflowStepJobSchema).nullish(),
    startedAt: dateTime.nullish(),
    completedAt: dateTime.nullish(),
    estimatedProgressRate: z.number().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .superRefine((step, ctx) => {
    const schema = OUTPUT_BY_STEP_TYPE[step.$type];
    if (!schema || step.output === undefined || step.output === null) return;
    const result = schema.safeParse(step.output);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['output', ...issue.path] });
      }
    }
  });
export type WorkflowStep = z.infer<typeof WorkflowStepSchema>;

export const TransactionInfoSchema = z.looseObject({
  type: z.enum(['debit', 'credit']),
  amount: z.number(),
  id: z.string().nullish(),
  accountType: z.string(),
});
export const TransactionSummarySchema = z.looseObject({
  list: z.array(TransactionInfoSchema),
  insufficientBuzz: z.boolean().nullish(),
});
export type TransactionSummary = z.infer<typeof TransactionSummarySchema>;

export const WorkflowCostSchema = z.looseObject({
  base: z.number(),
  total: z.number(),
  tips: z.looseObject({ civitai: z.number(), creators: z.number() }).optional(),
  factors: z.record(z.string(), z.number()).nullish(),
  fixed: z.record(z.string(), z.number()).nullish(),
  fees: z.record(z.string(), z.number()).nullish(),
});
export type WorkflowCost = z.infer<typeof WorkflowCostSchema>;

export const WorkflowSchema = z.looseObject({
  id: z.string().nullish(),
  status: WorkflowStatusSchema,
  steps: z.array(WorkflowStepSchema),
  createdAt: dateTime.optional(),
  startedAt: dateTime.nullish(),
  completedAt: dateTime.nullish(),
  cost: WorkflowCostSchema.nullish(),
  transactions: TransactionSummarySchema.nullish(),
  tags: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  arguments: z.record(z.string(), z.unknown()).nullish(),
  nsfwLevel: NsfwLevelSchema.nullish(),
  externalId: z.string().nullish(),
});
export type Workflow = z.infer<typeof WorkflowSchema>;

/** QueryWorkflows answer (contract `CursedArrayOfTelemetryCursorAndWorkflow`). */
export const WorkflowPageSchema = z.looseObject({
  next: z.string().nullish(),
  items: z.array(WorkflowSchema),
});
export type WorkflowPage = z.infer<typeof WorkflowPageSchema>;

/** RFC 7807 problem; `errors` is present on validation failures (ValidationProblemDetails). */
export const ProblemDetailsSchema = z.looseObject({
  type: z.string().nullish(),
  title: z.string().nullish(),
  status: z.number().int().nullish(),
  detail: z.string().nullish(),
  instance: z.string().nullish(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetailsSchema>;

// ---- Reading results ----

export interface StepImage {
  stepIndex: number;
  stepName: string;
  blob: ImageBlob;
}

/** Every image blob a workflow's steps produced, in step order (imageGen `images[]`, upscaler `blob`). */
export function workflowImages(workflow: Workflow): StepImage[] {
  const out: StepImage[] = [];
  workflow.steps.forEach((step, stepIndex) => {
    const output = step.output as Partial<ImageGenOutput & ImageUpscalerOutput> | null | undefined;
    if (!output || typeof output !== 'object') return;
    for (const blob of Array.isArray(output.images) ? output.images : []) out.push({ stepIndex, stepName: step.name, blob });
    if (output.blob && typeof output.blob === 'object') out.push({ stepIndex, stepName: step.name, blob: output.blob });
  });
  return out;
}

/** The reasons jobs give for failing, for messages ("blocked: …", "no_provider_available"). */
export function failureReasons(workflow: Workflow): Array<{ stepName: string; reason: string; blockedReason?: string }> {
  const out: Array<{ stepName: string; reason: string; blockedReason?: string }> = [];
  for (const step of workflow.steps) {
    for (const job of step.jobs ?? []) {
      if (job.reason) out.push({ stepName: step.name, reason: job.reason, ...(job.blockedReason ? { blockedReason: job.blockedReason } : {}) });
    }
  }
  return out;
}

/** Short readable summary of the first issues of a failed parse. */
export function describeZodError(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
