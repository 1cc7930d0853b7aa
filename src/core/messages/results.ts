// Messages between the results panel (webview) and the extension, as zod schemas used on BOTH
// sides: the extension validates what the webview sends, the webview validates what it receives.
// Nothing here may carry the API token. Written with `zod/mini` (same validation, functional API)
// because the webview bundles it: classic zod would add ~450 KB to the panel's script.
import * as z from 'zod/mini';
import { PRE_SERVICE_STATUSES, WORKFLOW_STATUSES } from '../api/statuses';
import { MediaReportSchema, OutputActionMessageSchema, ResultsOutputSchema } from './outputs';

const StatusSchema = z.enum([...PRE_SERVICE_STATUSES, ...WORKFLOW_STATUSES]);
export type ResultsStatus = z.infer<typeof StatusSchema>;

export const ResultsJobSchema = z.object({
  id: z.string(),
  status: StatusSchema,
  /** 0..1, when the service estimates it. */
  progress: z.nullable(z.number()),
  /** Jobs ahead of this one in the queue, when known. */
  queuePosition: z.nullable(z.number()),
  /** Estimated start, when queued. */
  startAt: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  blockedReason: z.nullable(z.string()),
});
export type ResultsJob = z.infer<typeof ResultsJobSchema>;

/** One tag of a prompt as the details pane shows it (the prompt preview's chips, without positions). */
export const DetailChipSchema = z.object({
  kind: z.enum(['tag', 'network', 'break']),
  text: z.string(),
  /** Effective attention weight (1 for networks and BREAK). */
  weight: z.number(),
  /** The model profile's special-tag kind (quality, score, rating…), when it is one. */
  special: z.nullable(z.string()),
});
export type DetailChip = z.infer<typeof DetailChipSchema>;

/** A model, LoRA or embedding: its AIR, and a readable name where one is known. */
export const ResourceSchema = z.object({
  air: z.string(),
  /** A name from the step's metadata or a model profile; null when nothing names it. */
  name: z.nullable(z.string()),
  /** What the AIR says in words ("Civitai model 4384, version 128713"). */
  description: z.string(),
  /** LoRA strength. */
  strength: z.nullable(z.number()),
});
export type Resource = z.infer<typeof ResourceSchema>;

/** Everything needed to make an image of this step again, read from what the service ran. */
export const StepDetailsSchema = z.object({
  engine: z.nullable(z.string()),
  ecosystem: z.nullable(z.string()),
  operation: z.nullable(z.string()),
  prompt: z.nullable(z.string()),
  promptChips: z.array(DetailChipSchema),
  negativePrompt: z.nullable(z.string()),
  negativeChips: z.array(DetailChipSchema),
  model: z.nullable(ResourceSchema),
  loras: z.array(ResourceSchema),
  embeddings: z.array(ResourceSchema),
  /** Label/value pairs in reading order: sampler, schedule, steps, cfg, clip skip, strength… */
  settings: z.array(z.object({ label: z.string(), value: z.string() })),
  /** Whether the step starts from a source image (image-to-image). */
  fromImage: z.boolean(),
  /** Why a prompt or value reads "… (N characters)": history shortened it. */
  shortened: z.boolean(),
});
export type StepDetails = z.infer<typeof StepDetailsSchema>;

export const ResultsStepSchema = z.object({
  index: z.int(),
  name: z.string(),
  type: z.string(),
  /** The heading people read: the step's own name, or "Step 1 · imageGen" for an unnamed one. */
  title: z.string(),
  /** Reproduction details (imageGen steps), or null for other step types. */
  details: z.nullable(StepDetailsSchema),
  /** A webview URI or data URL of the step's source image (image-to-image), when it can be shown. */
  sourceSrc: z.nullable(z.string()),
  status: StatusSchema,
  progress: z.nullable(z.number()),
  startedAt: z.nullable(z.string()),
  completedAt: z.nullable(z.string()),
  jobs: z.array(ResultsJobSchema),
  errors: z.array(z.string()),
});
export type ResultsStep = z.infer<typeof ResultsStepSchema>;

export const ImageStateSchema = z.enum(['saved', 'pending', 'missing', 'withheld']);

export const ResultsImageSchema = z.object({
  /** The blob id: the key the webview sends back in image actions. */
  key: z.string(),
  stepIndex: z.int(),
  stepName: z.string(),
  index: z.int(),
  /** A webview URI of the saved file, or null when it is not on disk (yet). */
  src: z.nullable(z.string()),
  state: ImageStateSchema,
  width: z.nullable(z.number()),
  height: z.nullable(z.number()),
  seed: z.nullable(z.number()),
  /** Why the image is withheld or missing, in plain words. */
  note: z.nullable(z.string()),
  fileName: z.nullable(z.string()),
});
export type ResultsImage = z.infer<typeof ResultsImageSchema>;

export const CostBreakdownSchema = z.object({
  total: z.number(),
  currencies: z.record(z.string(), z.number()),
});

export const ResultsCostSchema = z.object({
  /** One sentence a person reads first, e.g. "40 Buzz, paid in Blue Buzz". */
  summary: z.string(),
  /** Estimate, quote and charge side by side, only when they differ (else empty). */
  comparison: z.array(z.object({ label: z.string(), value: z.string() })),
  /** The local estimate from the documented formula (null when the docs give none). */
  estimate: z.nullable(z.number()),
  /** The service's `whatif` answer, if one was asked for. */
  whatif: z.nullable(z.extend(CostBreakdownSchema, { insufficientBuzz: z.optional(z.boolean()) })),
  /** What the workflow's transactions say was charged, once there are any. */
  charged: z.nullable(CostBreakdownSchema),
});
export type ResultsCost = z.infer<typeof ResultsCostSchema>;

export const FailureSchema = z.object({
  step: z.string(),
  reason: z.string(),
  advice: z.string(),
});
export type Failure = z.infer<typeof FailureSchema>;

/** A sweep's results as a grid: X across, Y down, a table per Z value (see core/sweep). */
export const SweepGridSchema = z.object({
  axes: z.array(z.object({ axis: z.enum(['x', 'y', 'z']), label: z.string(), values: z.array(z.string()) })),
  cells: z.array(z.object({ x: z.int(), y: z.int(), z: z.int(), stepIndex: z.int() })),
});
export type SweepGrid = z.infer<typeof SweepGridSchema>;

export const ResultsStateSchema = z.object({
  key: z.string(),
  workflowId: z.nullable(z.string()),
  label: z.string(),
  /** The heading and panel title: the file name, else what the workflow's steps are called. */
  title: z.string(),
  /** Ran on the local emulator: its images are placeholders, and the panel says so. */
  emulator: z.boolean(),
  serviceLabel: z.string(),
  status: StatusSchema,
  terminal: z.boolean(),
  createdAt: z.string(),
  startedAt: z.nullable(z.string()),
  completedAt: z.nullable(z.string()),
  timeline: z.array(z.object({ status: StatusSchema, at: z.string() })),
  steps: z.array(ResultsStepSchema),
  images: z.array(ResultsImageSchema),
  /** Everything else the steps produced: videos, audio, 3D models, files, texts, JSON. */
  outputs: z.optional(z.array(ResultsOutputSchema)),
  /** Present when the workflow is (a part of) a sweep: the gallery lays its cells out as the grid. */
  sweep: z.optional(z.nullable(SweepGridSchema)),
  cost: ResultsCostSchema,
  failures: z.array(FailureSchema),
  /** A plain-words problem to show above everything (e.g. the service could not be reached). */
  notice: z.nullable(z.string()),
  canCancel: z.boolean(),
  hasSourceFile: z.boolean(),
});
export type ResultsState = z.infer<typeof ResultsStateSchema>;

// ---- extension → webview ----

export const ToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: ResultsStateSchema }),
  /** The result of an action the webview asked for (shown as a transient status line). */
  z.object({ type: z.literal('toast'), text: z.string(), kind: z.enum(['info', 'error']) }),
]);
export type ToWebview = z.infer<typeof ToWebviewSchema>;

// ---- webview → extension ----

export const IMAGE_ACTIONS = [
  'save', 'open', 'copySeed', 'rerunWithSeed', 'useAsSource', 'openAsWorkflow', 'refresh',
  // Copy buttons of the details pane: the extension reads the text from history, not from the page.
  'copyPrompt', 'copyNegativePrompt', 'copyModel', 'copyParameters',
] as const;
export const ImageActionSchema = z.enum(IMAGE_ACTIONS);
export type ImageAction = z.infer<typeof ImageActionSchema>;

const ImageKeySchema = z.string().check(z.minLength(1), z.maxLength(512));

export const FromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('image'), action: ImageActionSchema, key: ImageKeySchema }),
  /**
   * When the gallery's selection (the thumbnail that has or last had the focus) or the image in the
   * larger view changes: lets the extension (and its tests) follow keyboard navigation.
   */
  z.object({
    type: z.literal('view'),
    selected: z.nullable(ImageKeySchema),
    open: z.nullable(ImageKeySchema),
    /** The two images shown in compare mode (a result, or a step's source image as `source:<step>`). */
    compare: z.optional(z.nullable(z.array(ImageKeySchema).check(z.length(2)))),
  }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('openSource') }),
  OutputActionMessageSchema,
  MediaReportSchema,
  z.object({ type: z.literal('previewCost') }),
  /** Save a sweep's grid as one labelled PNG (per Z value) and sweep.json beside its images. */
  z.object({ type: z.literal('exportSweep') }),
  /** After each render: how many gallery images loaded (proves CSP and resource roots let them in). */
  z.object({
    type: z.literal('rendered'),
    images: z.int().check(z.minimum(0)),
    loaded: z.int().check(z.minimum(0)),
    failed: z.int().check(z.minimum(0)),
    /** Whether the codicon font loaded (it is served from the extension like the images). */
    icons: z.boolean(),
  }),
]);
export type FromWebview = z.infer<typeof FromWebviewSchema>;

/** What the webview keeps in `vscode.setState` so the serializer can restore the right panel. */
export const PanelPersistedStateSchema = z.object({ key: z.string().check(z.minLength(1), z.maxLength(128)) });
export type PanelPersistedState = z.infer<typeof PanelPersistedStateSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: issue ? `${issue.path.join('.') || '(message)'}: ${issue.message}` : 'invalid message' };
}

export const parseFromWebview = (raw: unknown): ParseResult<FromWebview> => parseWith(FromWebviewSchema, raw);
export const parseToWebview = (raw: unknown): ParseResult<ToWebview> => parseWith(ToWebviewSchema, raw);
export const parsePanelState = (raw: unknown): ParseResult<PanelPersistedState> => parseWith(PanelPersistedStateSchema, raw);
