// Messages between the prompt preview panel (webview) and the extension, as zod schemas used on
// BOTH sides: the extension validates what the webview sends, the webview validates what it
// receives. Nothing here carries a token.
import { z } from 'zod';

const SeveritySchema = z.enum(['error', 'warning', 'info', 'hint']);

export const ChipFindingSchema = z.object({
  code: z.string(),
  severity: SeveritySchema,
  message: z.string(),
});

export const PromptChipSchema = z.object({
  kind: z.enum(['tag', 'network', 'break']),
  /** What the model reads (tag name), or the raw token for networks. */
  text: z.string(),
  /** Effective attention weight (1 for networks and BREAK). */
  weight: z.number(),
  /** Special-tag kind from the profile (quality, score, temporal, rating, people). */
  special: z.string().nullable(),
  /** 1-based CLIP chunk the tag falls in (estimate), when the encoder is CLIP. */
  chunk: z.number().int().nullable(),
  /** Document offset of the chip's text, so a click can reveal it. */
  offset: z.number().int(),
  length: z.number().int(),
  findings: z.array(ChipFindingSchema),
});
export type PromptChip = z.infer<typeof PromptChipSchema>;

export const PromptViewSchema = z.object({
  field: z.enum(['prompt', 'negativePrompt']),
  chips: z.array(PromptChipSchema),
  /** Estimated CLIP tokens and chunks; null when the text encoder is not CLIP. */
  tokens: z.object({ count: z.number().int(), chunks: z.number().int() }).nullable(),
  /** Findings on the whole field not tied to one chip (e.g. an empty prompt). */
  findings: z.array(ChipFindingSchema),
});
export type PromptView = z.infer<typeof PromptViewSchema>;

export const ParameterRowSchema = z.object({
  name: z.string(),
  value: z.string(),
  /** True when the file leaves it out and the contract default applies. */
  defaulted: z.boolean(),
  /** The profile's recommendation, e.g. "4–7 (5)". */
  recommended: z.string().nullable(),
  /** Whether the value sits inside the recommendation (null when there is none). */
  withinRecommendation: z.boolean().nullable(),
});
export type ParameterRow = z.infer<typeof ParameterRowSchema>;

export const FrameSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  megapixels: z.number(),
  /** Reduced ratio, e.g. "13:19". */
  aspect: z.string(),
  defaulted: z.boolean(),
  /** Whether the size is one the guides / profile call well-behaved. */
  recommendedSize: z.boolean(),
});
export type PreviewFrame = z.infer<typeof FrameSchema>;

export const PreviewResultSchema = z.object({
  /** A webview URI, filled in by the extension. */
  src: z.string(),
  label: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  seed: z.number().nullable(),
});
export type PreviewResult = z.infer<typeof PreviewResultSchema>;

export const PreviewStepSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  engine: z.string().nullable(),
  ecosystem: z.string().nullable(),
  operation: z.string().nullable(),
  profile: z
    .object({
      name: z.string(),
      origin: z.enum(['builtin', 'user']),
      tagOrder: z.array(z.string()),
      qualityTagPosition: z.enum(['start', 'end']).nullable(),
      notes: z.array(z.string()),
    })
    .nullable(),
  prompts: z.array(PromptViewSchema),
  parameters: z.array(ParameterRowSchema),
  frame: FrameSchema.nullable(),
  estimate: z.object({ buzz: z.number().nullable(), reason: z.string().nullable() }),
  results: z.array(PreviewResultSchema),
  /** Why results may be missing (no history yet, no saved images), in plain words. */
  resultsNote: z.string().nullable(),
});
export type PreviewStep = z.infer<typeof PreviewStepSchema>;

export const PromptPreviewStateSchema = z.object({
  fileName: z.string(),
  /** Steps in the file that have a prompt (for the step picker). */
  stepCount: z.number().int(),
  step: PreviewStepSchema.nullable(),
  /** Shown when there is no step to preview. */
  message: z.string().nullable(),
});
export type PromptPreviewState = z.infer<typeof PromptPreviewStateSchema>;

/** Extension → webview. */
export const PreviewToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: PromptPreviewStateSchema }),
]);
export type PreviewToWebview = z.infer<typeof PreviewToWebviewSchema>;

/** Webview → extension. */
export const PreviewFromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Select a chip's text in the editor. */
  z.object({ type: z.literal('reveal'), offset: z.number().int().min(0), length: z.number().int().min(0) }),
  /** Open a result image (by index in `step.results`). */
  z.object({ type: z.literal('openResult'), index: z.number().int().min(0) }),
]);
export type PreviewFromWebview = z.infer<typeof PreviewFromWebviewSchema>;
