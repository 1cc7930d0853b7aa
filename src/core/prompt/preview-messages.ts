// Messages between the prompt preview panel (webview) and the extension, as zod schemas used on
// BOTH sides: the extension validates what the webview sends, the webview validates what it
// receives. Nothing here carries a token. Written with `zod/mini` (same validation, functional
// API) because the webview bundles it: classic zod would make the panel script ~10× larger.
import * as z from 'zod/mini';

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
  special: z.nullable(z.string()),
  /** 1-based CLIP chunk the tag falls in (exact count), when the encoder is CLIP. */
  chunk: z.nullable(z.int()),
  /** Document offset of the chip's text, so a click can reveal it. */
  offset: z.int(),
  length: z.int(),
  findings: z.array(ChipFindingSchema),
});
export type PromptChip = z.infer<typeof PromptChipSchema>;

export const PromptViewSchema = z.object({
  field: z.enum(['prompt', 'negativePrompt']),
  chips: z.array(PromptChipSchema),
  /** Exact CLIP tokens, chunks and tokens per chunk; null when the text encoder is not CLIP. */
  tokens: z.nullable(z.object({ count: z.int(), chunks: z.int(), perChunk: z.array(z.int()) })),
  /** Why there is no count (the profile's text encoder is not CLIP), or null. */
  encoder: z.nullable(z.string()),
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
  recommended: z.nullable(z.string()),
  /** Whether the value sits inside the recommendation (null when there is none). */
  withinRecommendation: z.nullable(z.boolean()),
});
export type ParameterRow = z.infer<typeof ParameterRowSchema>;

export const FrameSchema = z.object({
  width: z.int(),
  height: z.int(),
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
  width: z.nullable(z.number()),
  height: z.nullable(z.number()),
  seed: z.nullable(z.number()),
});
export type PreviewResult = z.infer<typeof PreviewResultSchema>;

export const PreviewStepSchema = z.object({
  index: z.int(),
  name: z.string(),
  engine: z.nullable(z.string()),
  ecosystem: z.nullable(z.string()),
  operation: z.nullable(z.string()),
  profile: z.nullable(
    z.object({
      name: z.string(),
      origin: z.enum(['builtin', 'user']),
      tagOrder: z.array(z.string()),
      qualityTagPosition: z.nullable(z.enum(['start', 'end'])),
      notes: z.array(z.string()),
    }),
  ),
  prompts: z.array(PromptViewSchema),
  parameters: z.array(ParameterRowSchema),
  frame: z.nullable(FrameSchema),
  estimate: z.object({ buzz: z.nullable(z.number()), reason: z.nullable(z.string()) }),
  results: z.array(PreviewResultSchema),
  /** Why results may be missing (no history yet, no saved images), in plain words. */
  resultsNote: z.nullable(z.string()),
});
export type PreviewStep = z.infer<typeof PreviewStepSchema>;

export const PromptPreviewStateSchema = z.object({
  fileName: z.string(),
  /** Steps in the file that have a prompt (for the step picker). */
  stepCount: z.int(),
  step: z.nullable(PreviewStepSchema),
  /** Shown when there is no step to preview. */
  message: z.nullable(z.string()),
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
  z.object({ type: z.literal('reveal'), offset: z.int().check(z.minimum(0)), length: z.int().check(z.minimum(0)) }),
  /** Open a result image (by index in `step.results`). */
  z.object({ type: z.literal('openResult'), index: z.int().check(z.minimum(0)) }),
]);
export type PreviewFromWebview = z.infer<typeof PreviewFromWebviewSchema>;
