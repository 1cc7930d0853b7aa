// The results panel's outputs other than gallery images: videos, audio clips, 3D models, other
// files, texts and the folded JSON of each step. Shared by the extension and the webview (zod).
import * as z from 'zod/mini';

export const OUTPUT_KINDS = ['video', 'audio', 'model3d', 'file', 'text', 'json'] as const;

export const ResultsOutputSchema = z.object({
  /** A blob id, or `<step index>:<path>` for a text or JSON: the key actions name. */
  key: z.string(),
  stepIndex: z.int(),
  stepName: z.string(),
  stepType: z.string(),
  kind: z.enum(OUTPUT_KINDS),
  /** What it is, in plain words ("Answer", "video", "Output JSON"). */
  label: z.string(),
  /** Files: the saved file's webview URI, when on disk. */
  src: z.nullable(z.string()),
  state: z.enum(['saved', 'pending', 'missing', 'withheld', 'inline']),
  fileName: z.nullable(z.string()),
  /** 3D models: a webview URI of the step's preview image, when there is one. */
  previewSrc: z.nullable(z.string()),
  width: z.nullable(z.number()),
  height: z.nullable(z.number()),
  /** Seconds, when the service says. */
  duration: z.nullable(z.number()),
  format: z.nullable(z.string()),
  /** Texts: the text; JSON: the pretty-printed output. */
  text: z.nullable(z.string()),
  /** Why a file is withheld or missing. */
  note: z.nullable(z.string()),
});
export type ResultsOutput = z.infer<typeof ResultsOutputSchema>;

export const OUTPUT_ACTIONS = ['open', 'save', 'copyText', 'download'] as const;

const OutputKeySchema = z.string().check(z.minLength(1), z.maxLength(600));

/** Webview → extension: a button on an output. */
export const OutputActionMessageSchema = z.object({ type: z.literal('output'), action: z.enum(OUTPUT_ACTIONS), key: OutputKeySchema });

/**
 * Webview → extension: a video or audio element loaded its metadata (or failed to): proves the
 * file plays under the panel's CSP and resource roots.
 */
export const MediaReportSchema = z.object({
  type: z.literal('media'),
  key: OutputKeySchema,
  kind: z.enum(['video', 'audio']),
  loaded: z.boolean(),
  duration: z.nullable(z.number()),
  width: z.nullable(z.number()),
  height: z.nullable(z.number()),
  error: z.nullable(z.string()),
});
