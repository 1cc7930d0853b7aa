// Messages between the results panel (webview) and the extension, as zod schemas used on BOTH
// sides: the extension validates what the webview sends, the webview validates what it receives.
// Nothing here may carry the API token. Written with `zod/mini` (same validation, functional API)
// because the webview bundles it: classic zod would add ~450 KB to the panel's script.
import * as z from 'zod/mini';
import { MediaReportSchema, OutputActionMessageSchema, ResultsOutputSchema } from './outputs';

const StatusSchema = z.enum([
  'submitting', 'rejected', 'unassigned', 'preparing', 'scheduled', 'processing', 'succeeded', 'failed', 'expired', 'canceled',
]);
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

export const ResultsStepSchema = z.object({
  index: z.int(),
  name: z.string(),
  type: z.string(),
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

export const ResultsStateSchema = z.object({
  key: z.string(),
  workflowId: z.nullable(z.string()),
  label: z.string(),
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

export const IMAGE_ACTIONS = ['save', 'open', 'copySeed', 'rerunWithSeed', 'useAsSource', 'openAsWorkflow', 'refresh'] as const;
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
  z.object({ type: z.literal('view'), selected: z.nullable(ImageKeySchema), open: z.nullable(ImageKeySchema) }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('openSource') }),
  OutputActionMessageSchema,
  MediaReportSchema,
  z.object({ type: z.literal('previewCost') }),
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
