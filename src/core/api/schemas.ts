// zod schemas for what the orchestrator sends back. Loose where the contract may grow (unknown
// fields pass through untouched), strict on the fields the extension, CLI and emulator rely on:
// ids, statuses, step outputs with image blobs, cost, problem details.
import * as z from '../zod-mini';

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
  type: z.optional(z.string()),
  id: z.string().check(z.minLength(1)),
  available: z.optional(z.boolean()),
  url: z.nullish(z.string()),
  urlExpiresAt: z.nullish(dateTime),
  jobId: z.nullish(z.string()),
  nsfwLevel: z.nullish(NsfwLevelSchema),
  blockedReason: z.nullish(z.string()),
});
export type Blob = z.infer<typeof BlobSchema>;

export const ImageBlobSchema = z.extend(BlobSchema, {
  width: z.nullish(z.int()),
  height: z.nullish(z.int()),
  previewUrl: z.nullish(z.string()),
  previewUrlExpiresAt: z.nullish(dateTime),
});
export type ImageBlob = z.infer<typeof ImageBlobSchema>;

export const ImageGenOutputSchema = z.looseObject({
  images: z.array(ImageBlobSchema),
  errors: z.nullish(z.array(z.string())),
});
export type ImageGenOutput = z.infer<typeof ImageGenOutputSchema>;

export const ImageUpscalerOutputSchema = z.looseObject({ blob: ImageBlobSchema });
export type ImageUpscalerOutput = z.infer<typeof ImageUpscalerOutputSchema>;

export const QueuePositionSchema = z.looseObject({
  support: z.optional(z.string()),
  precedingJobs: z.nullish(z.int()),
  startAt: z.nullish(dateTime),
  completeAt: z.nullish(dateTime),
});

/** A job (contract `WorkflowStepJob`; `reason` / `blockedReason` as the errors guide shows them). */
export const WorkflowStepJobSchema = z.looseObject({
  id: z.string(),
  status: WorkflowStatusSchema,
  startedAt: z.nullish(dateTime),
  completedAt: z.nullish(dateTime),
  queuePosition: z.nullish(QueuePositionSchema),
  cost: z.optional(z.number()),
  estimatedProgressRate: z.nullish(z.number()),
  reason: z.nullish(z.string()),
  blockedReason: z.nullish(z.string()),
});
export type WorkflowStepJob = z.infer<typeof WorkflowStepJobSchema>;

/** Output schemas for the step types whose results we read; other types pass through. */
const OUTPUT_BY_STEP_TYPE: Record<string, z.ZodMiniType> = {
  imageGen: ImageGenOutputSchema,
  imageUpscaler: ImageUpscalerOutputSchema,
};

export const WorkflowStepSchema = z
  .looseObject({
    $type: z.string(),
    name: z.string(),
    status: WorkflowStatusSchema,
    priority: z.optional(z.string()),
    input: z.optional(z.unknown()),
    output: z.optional(z.unknown()),
    jobs: z.nullish(z.array(WorkflowStepJobSchema)),
    startedAt: z.nullish(dateTime),
    completedAt: z.nullish(dateTime),
    estimatedProgressRate: z.nullish(z.number()),
    metadata: z.nullish(z.record(z.string(), z.unknown())),
  })
  .check(z.superRefine((step, ctx) => {
    const schema = OUTPUT_BY_STEP_TYPE[step.$type];
    if (!schema || step.output === undefined || step.output === null) return;
    const result = schema.safeParse(step.output);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['output', ...issue.path] });
      }
    }
  }));
export type WorkflowStep = z.infer<typeof WorkflowStepSchema>;

export const TransactionInfoSchema = z.looseObject({
  type: z.enum(['debit', 'credit']),
  amount: z.number(),
  id: z.nullish(z.string()),
  accountType: z.string(),
});
export const TransactionSummarySchema = z.looseObject({
  list: z.array(TransactionInfoSchema),
  insufficientBuzz: z.nullish(z.boolean()),
});
export type TransactionSummary = z.infer<typeof TransactionSummarySchema>;

export const WorkflowCostSchema = z.looseObject({
  base: z.number(),
  total: z.number(),
  tips: z.optional(z.looseObject({ civitai: z.number(), creators: z.number() })),
  factors: z.nullish(z.record(z.string(), z.number())),
  fixed: z.nullish(z.record(z.string(), z.number())),
  fees: z.nullish(z.record(z.string(), z.number())),
});
export type WorkflowCost = z.infer<typeof WorkflowCostSchema>;

export const WorkflowSchema = z.looseObject({
  id: z.nullish(z.string()),
  status: WorkflowStatusSchema,
  steps: z.array(WorkflowStepSchema),
  createdAt: z.optional(dateTime),
  startedAt: z.nullish(dateTime),
  completedAt: z.nullish(dateTime),
  cost: z.nullish(WorkflowCostSchema),
  transactions: z.nullish(TransactionSummarySchema),
  tags: z.nullish(z.array(z.string())),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
  arguments: z.nullish(z.record(z.string(), z.unknown())),
  nsfwLevel: z.nullish(NsfwLevelSchema),
  externalId: z.nullish(z.string()),
});
export type Workflow = z.infer<typeof WorkflowSchema>;

/** QueryWorkflows answer (contract `CursedArrayOfTelemetryCursorAndWorkflow`). */
export const WorkflowPageSchema = z.looseObject({
  next: z.nullish(z.string()),
  items: z.array(WorkflowSchema),
});
export type WorkflowPage = z.infer<typeof WorkflowPageSchema>;

/** RFC 7807 problem; `errors` is present on validation failures (ValidationProblemDetails). */
export const ProblemDetailsSchema = z.looseObject({
  type: z.nullish(z.string()),
  title: z.nullish(z.string()),
  status: z.nullish(z.int()),
  detail: z.nullish(z.string()),
  instance: z.nullish(z.string()),
  errors: z.optional(z.record(z.string(), z.array(z.string()))),
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
export function describeZodError(error: z.core.$ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}

/** A licensing fee on a resource (contract `ResourceFee`). */
export const ResourceFeeSchema = z.looseObject({
  amount: z.number(),
  type: z.string(),
  settlementCurrency: z.optional(z.string()),
});
export type ResourceFee = z.infer<typeof ResourceFeeSchema>;

/** Where the fleet stands with a resource (contract `ResourceAvailability`, by `status`). */
export const ResourceAvailabilitySchema = z.looseObject({
  status: z.string(),
  workers: z.nullish(z.int()),
  progress: z.nullish(z.number()),
  etaSeconds: z.nullish(z.int()),
  queuePosition: z.nullish(z.int()),
});
export type ResourceAvailability = z.infer<typeof ResourceAvailabilitySchema>;

/** GET /v2/resources/{air} (contract `ResourceInfo`): what an AIR names and whether it can run. */
export const ResourceInfoSchema = z.looseObject({
  air: z.string(),
  resourceName: z.nullish(z.string()),
  versionName: z.nullish(z.string()),
  size: z.optional(z.number()),
  fileFormat: z.optional(z.string()),
  canGenerate: z.boolean(),
  checkPermission: z.optional(z.boolean()),
  requiresAuthorization: z.nullish(z.boolean()),
  earlyAccessEndsAt: z.nullish(dateTime),
  earlyAccessConfig: z.optional(z.unknown()),
  freeTrialLimit: z.nullish(z.int()),
  hasMatureContentRestriction: z.optional(z.boolean()),
  hasNSFWContentRestriction: z.optional(z.boolean()),
  fee: z.nullish(ResourceFeeSchema),
  fees: z.nullish(z.array(ResourceFeeSchema)),
  availability: z.nullish(ResourceAvailabilitySchema),
});
export type ResourceInfo = z.infer<typeof ResourceInfoSchema>;
