// What a step's output holds, whatever its type: the files (blobs) and the texts worth showing.
// One walker for the client, the CLI, the history and the results panel, so they all agree on
// which blobs a workflow produced and how each is shown.

export type OutputMedia = 'image' | 'video' | 'audio' | 'model3d' | 'file';

/** A blob as outputs carry it (contract `Blob` and its typed members; TranscodeOutput too). */
export interface OutputBlobLike {
  id: string;
  type?: string | null;
  url?: string | null;
  available?: boolean | null;
  blockedReason?: string | null;
  width?: number | null;
  height?: number | null;
  duration?: number | null;
  format?: string | null;
  [key: string]: unknown;
}

export interface OutputBlob {
  /** Where it sits in the output, e.g. `images[0]`, `video`, `epochs[1].model`. */
  path: string;
  media: OutputMedia;
  blob: OutputBlobLike;
}

export interface OutputText {
  path: string;
  /** What the text is, in the panel's words ("Answer", "Enhanced prompt"…). */
  label: string;
  text: string;
}

const MEDIA: Record<string, OutputMedia> = { image: 'image', video: 'video', audio: 'audio', model3d: 'model3d' };

/** Step types whose untyped blobs are images (older answers and tests leave `type` out). */
const IMAGE_STEPS = new Set(['imageGen', 'imageUpscaler', 'textToImage', 'convertImage', 'preprocessImage', 'imageBackgroundRemoval', 'model3DPreview', 'videoFrameExtraction']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isBlobLike(v: Record<string, unknown>): v is OutputBlobLike {
  return typeof v.id === 'string' && v.id !== '' && ('url' in v || 'available' in v);
}

function mediaOf(stepType: string, blob: OutputBlobLike): OutputMedia {
  if (typeof blob.type === 'string' && blob.type) return MEDIA[blob.type] ?? 'file';
  if (IMAGE_STEPS.has(stepType)) return 'image';
  if (stepType === 'transcode') return 'video';
  return 'file';
}

/** Every blob in a step's output, in document order (bounded: at most 500). */
export function outputBlobs(stepType: string, output: unknown): OutputBlob[] {
  const out: OutputBlob[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (out.length >= 500 || depth > 12) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1));
      return;
    }
    if (!isObject(value)) return;
    if (isBlobLike(value)) {
      out.push({ path: path || '(output)', media: mediaOf(stepType, value), blob: value });
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, depth + 1);
  };
  walk(output, '', 0);
  return out;
}

const MAX_TEXT = 100_000;
const cut = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

/** The texts a step answered with (chat answers, enhanced prompts, captions, transcripts). */
export function outputTexts(stepType: string, output: unknown): OutputText[] {
  if (!isObject(output)) return [];
  const texts: OutputText[] = [];
  const add = (path: string, label: string, value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '') texts.push({ path, label, text: cut(value) });
  };
  switch (stepType) {
    case 'chatCompletion': {
      const choices = Array.isArray(output.choices) ? output.choices.filter(isObject) : [];
      choices.forEach((c, i) => {
        const message = isObject(c.message) ? c.message : {};
        add(`choices[${i}].message.content`, choices.length > 1 ? `Answer ${i + 1}` : 'Answer', message.content);
        add(`choices[${i}].message.refusal`, 'Refusal', message.refusal);
      });
      break;
    }
    case 'promptEnhancement':
      add('enhancedPrompt', 'Enhanced prompt', output.enhancedPrompt);
      add('enhancedNegativePrompt', 'Enhanced negative prompt', output.enhancedNegativePrompt);
      break;
    case 'mediaCaptioning':
      add('caption', 'Caption', output.caption);
      break;
    case 'audioCaptioning':
      for (const [k, v] of Object.entries(isObject(output.results) ? output.results : {})) {
        if (!isObject(v)) continue;
        add(`results.${k}.text`, 'Caption', v.text);
        add(`results.${k}.lyrics`, 'Lyrics', v.lyrics);
      }
      break;
    case 'transcription':
      add('text', 'Transcript', output.text);
      break;
    case 'echo':
      add('message', 'Message', output.message);
      break;
    default:
      break;
  }
  return texts;
}
