// zod schemas for what the orchestrator sends back. Loose where the contract may grow (unknown
// fields pass through untouched), strict on the fields the extension, CLI and emulator rely on:
// ids, statuses, the output of every step type (blobs, texts, verdicts), cost, problem details.
import * as z from '../zod-mini';
import { outputBlobs, type OutputBlob, type OutputMedia } from '../results/step-outputs';
import { WORKFLOW_STATUSES } from './statuses';

export { isTerminalStatus, TERMINAL_STATUSES, WORKFLOW_STATUSES, type WorkflowStatus } from './statuses';
export const WorkflowStatusSchema = z.enum(WORKFLOW_STATUSES);

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

/** Contract `VideoBlob`. */
export const VideoBlobSchema = z.extend(BlobSchema, { width: z.nullish(z.int()), height: z.nullish(z.int()) });
export type VideoBlob = z.infer<typeof VideoBlobSchema>;

/** Contract `AudioBlob`: `duration` in seconds. */
export const AudioBlobSchema = z.extend(BlobSchema, { duration: z.nullish(z.number()) });
export type AudioBlob = z.infer<typeof AudioBlobSchema>;

/** Contract `Model3DBlob`: `format` says which file it is (glb, fbx…). */
export const Model3DBlobSchema = z.extend(BlobSchema, { format: z.string() });
export type Model3DBlob = z.infer<typeof Model3DBlobSchema>;

export const ImageGenOutputSchema = z.looseObject({
  images: z.array(ImageBlobSchema),
  errors: z.nullish(z.array(z.string())),
});
export type ImageGenOutput = z.infer<typeof ImageGenOutputSchema>;

export const ImageUpscalerOutputSchema = z.looseObject({ blob: ImageBlobSchema });
export type ImageUpscalerOutput = z.infer<typeof ImageUpscalerOutputSchema>;

const videoOutput = z.looseObject({ video: z.nullish(VideoBlobSchema) });
const numberRecord = z.record(z.string(), z.number());

export const ChatCompletionOutputSchema = z.looseObject({
  id: z.string(),
  created: z.number(),
  model: z.string(),
  choices: z.array(z.looseObject({
    index: z.int(),
    message: z.looseObject({ role: z.string(), content: z.nullish(z.string()), refusal: z.nullish(z.string()) }),
    finishReason: z.nullish(z.string()),
  })),
});
export type ChatCompletionOutput = z.infer<typeof ChatCompletionOutputSchema>;

export const PromptEnhancementOutputSchema = z.looseObject({
  enhancedPrompt: z.string(),
  enhancedNegativePrompt: z.nullish(z.string()),
  issues: z.array(z.looseObject({ description: z.string(), severity: z.nullish(z.string()) })),
  recommendations: z.array(z.string()),
});

export const TranscriptionOutputSchema = z.looseObject({
  text: z.string(),
  language: z.string(),
  timeStamps: z.array(z.looseObject({ text: z.string(), startTime: z.number(), endTime: z.number() })),
  elapsedSeconds: z.number(),
});

/**
 * Output schemas per step type: every type the contract defines. Strict on what the extension
 * reads (blobs, texts, verdicts), loose elsewhere so the contract can grow.
 */
export const OUTPUT_BY_STEP_TYPE: Readonly<Record<string, z.ZodMiniType>> = {
  imageGen: ImageGenOutputSchema,
  textToImage: z.looseObject({ images: z.array(ImageBlobSchema) }),
  imageUpscaler: ImageUpscalerOutputSchema,
  convertImage: z.looseObject({ blob: z.nullish(ImageBlobSchema) }),
  preprocessImage: z.looseObject({ blob: ImageBlobSchema }),
  imageBackgroundRemoval: z.looseObject({ image: z.nullish(ImageBlobSchema) }),
  imageUpload: z.looseObject({ blob: BlobSchema }),
  imageToSvg: z.looseObject({ svg: BlobSchema }),
  model3DPreview: z.looseObject({ images: z.array(ImageBlobSchema) }),
  videoFrameExtraction: z.looseObject({ frames: z.array(ImageBlobSchema), totalFramesExtracted: z.int() }),
  comfy: z.looseObject({ blobs: z.array(BlobSchema) }),
  customComfy: z.looseObject({ blobs: z.array(BlobSchema), tempBlobs: z.array(BlobSchema), traceUrl: z.nullish(z.string()) }),
  videoGen: z.looseObject({ video: z.nullish(VideoBlobSchema), additionalVideos: z.nullish(z.array(VideoBlobSchema)), draftCache: z.nullish(BlobSchema) }),
  videoUpscaler: videoOutput,
  videoInterpolation: videoOutput,
  videoEnhancement: videoOutput,
  videoBackgroundRemoval: videoOutput,
  composeMedia: z.looseObject({
    type: z.string(),
    elements: z.array(z.looseObject({ startSeconds: z.number(), duration: z.number() })),
    videoBlob: z.optional(VideoBlobSchema),
    audioBlob: z.optional(AudioBlobSchema),
  }),
  transcode: z.looseObject({ id: z.string(), available: z.boolean(), url: z.nullish(z.string()), urlExpiresAt: z.nullish(dateTime), jobId: z.string() }),
  videoMetadata: z.looseObject({ width: z.int(), height: z.int(), fps: z.number(), duration: z.string() }),
  aceStepAudio: z.looseObject({ blob: AudioBlobSchema }),
  miniMaxMusic3: z.looseObject({ blob: AudioBlobSchema }),
  textToSpeech: z.looseObject({ audioBlob: AudioBlobSchema, modelType: z.nullish(z.string()), speaker: z.nullish(z.string()) }),
  polyGen: z.looseObject({ model: Model3DBlobSchema, thumbnail: z.nullish(ImageBlobSchema), fbxModel: z.nullish(Model3DBlobSchema) }),
  chatCompletion: ChatCompletionOutputSchema,
  promptEnhancement: PromptEnhancementOutputSchema,
  mediaCaptioning: z.looseObject({ caption: z.string() }),
  audioCaptioning: z.looseObject({ results: z.record(z.string(), z.looseObject({ text: z.string(), caption: z.nullish(z.string()), lyrics: z.nullish(z.string()) })) }),
  transcription: TranscriptionOutputSchema,
  echo: z.looseObject({ message: z.string() }),
  wdTagging: z.looseObject({ tags: numberRecord, rating: z.nullish(numberRecord) }),
  mediaRating: z.looseObject({ nsfwLevel: NsfwLevelSchema, isBlocked: z.boolean(), blockedReason: z.nullish(z.string()), labels: z.nullish(z.array(z.string())) }),
  ageClassification: z.looseObject({ labels: z.record(z.string(), z.array(z.unknown())), hasMinor: z.boolean(), numPredictions: z.int(), numFlagged: z.int(), faceRecognitionAvailable: z.boolean() }),
  mediaHash: z.looseObject({ hashes: z.record(z.string(), z.string()) }),
  xGuardModeration: z.looseObject({ results: z.array(z.unknown()), blocked: z.boolean(), triggeredLabels: z.array(z.string()) }),
  shieldstralModeration: z.looseObject({ results: z.array(z.unknown()), blocked: z.boolean(), triggeredPolicies: z.array(z.string()) }),
  qwenImageBench: z.looseObject({ results: z.record(z.string(), z.looseObject({ totalScore: z.nullish(z.number()), scores: z.array(z.unknown()), fieldScores: z.record(z.string(), z.nullable(z.number())) })) }),
  modelClamScan: z.looseObject({ status: z.optional(z.enum(['clean', 'infected', 'timeout', 'error'])), infected: z.nullish(z.boolean()), output: z.nullish(z.string()) }),
  modelPickleScan: z.looseObject({ status: z.optional(z.string()), dangerousImports: z.nullish(z.array(z.string())), output: z.nullish(z.string()) }),
  modelHash: z.looseObject({ sha256: z.nullish(z.string()), autoV2: z.nullish(z.string()) }),
  modelParseMetadata: z.looseObject({ metadata: z.nullish(z.string()) }),
  training: z.looseObject({
    moderationStatus: z.string(),
    epochs: z.array(z.looseObject({ epochNumber: z.int(), model: BlobSchema, samples: z.array(BlobSchema) })),
  }),
  imageResourceTraining: z.looseObject({
    moderationStatus: z.string(),
    epochs: z.array(z.looseObject({ epochNumber: z.int(), blobName: z.string(), blobUrl: z.string(), sampleImages: z.array(z.string()) })),
    sampleImagesPrompts: z.array(z.string()),
  }),
  blobArchive: z.looseObject({ url: z.string(), entryCount: z.int(), format: z.string(), expiresAt: dateTime }),
  comfyNodepackSnapshot: z.looseObject({
    results: z.array(z.looseObject({ nodepack: z.string(), layerAir: z.string(), layer: BlobSchema, objectInfo: BlobSchema, web: BlobSchema })),
  }),
};

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

/** Every image blob a workflow's steps produced, in step order (imageGen `images[]`, upscaler `blob`, comfy `blobs[]`…). */
export function workflowImages(workflow: Workflow): StepImage[] {
  return workflowBlobs(workflow).filter((b) => b.media === 'image').map(({ stepIndex, stepName, blob }) => ({ stepIndex, stepName, blob: blob as ImageBlob }));
}

export interface StepBlob extends OutputBlob {
  stepIndex: number;
  stepName: string;
  stepType: string;
}

/** Every blob of every step's output (images, videos, audio, 3D models, other files), in step order. */
export function workflowBlobs(workflow: Workflow, media?: readonly OutputMedia[]): StepBlob[] {
  return workflow.steps.flatMap((step, stepIndex) => outputBlobs(step.$type, step.output)
    .filter((b) => !media || media.includes(b.media))
    .map((b) => ({ ...b, stepIndex, stepName: step.name, stepType: step.$type })));
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
