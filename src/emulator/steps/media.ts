// Steps whose outputs are files: images, videos, audio clips and 3D models. Sizes follow the input
// where the contract has them; videos and audio are short stand-ins (see docs/emulator.md).
import { imageGenOutputSize, type ImageSize } from '../../core/cost/values';
import { UPSCALER_COST } from '../../core/ecosystems/table';
import { videoSize } from '../media/video';
import type { PixelSource } from '../model';
import { num, str, type BuildContext, type SourceInfo, type StepBuilder } from './context';

/** Largest side of a generated video file (small: every frame is raw samples). */
const VIDEO_SIDE = 192;
/** Largest side an upscaled or enhanced video grows to. */
const VIDEO_MAX_SIDE = 512;
/** Most frames in one video (the rate drops for longer clips): bounds time and memory. */
const MAX_VIDEO_FRAMES = 96;
const MAX_VIDEO_SECONDS = 8;
const MAX_AUDIO_SECONDS = 8;

const PNG = 'image/png';
const MP4 = 'video/mp4';
const WAV = 'audio/wav';

export function aspectSize(ratio: unknown, megapixels = 1): ImageSize | undefined {
  if (typeof ratio !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(ratio);
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (!(a > 0 && b > 0)) return undefined;
  // Keep about `megapixels`, in multiples of 16.
  const width = Math.round(Math.sqrt((megapixels * 1024 * 1024 * a) / b) / 16) * 16;
  return { width, height: Math.round((width * b) / a / 16) * 16 };
}

/** width/height, else aspectRatio, else `fallback`. */
function requestedSize(input: Record<string, unknown>, fallback: ImageSize): ImageSize {
  const w = input.width;
  const h = input.height;
  if (typeof w === 'number' && typeof h === 'number' && w > 0 && h > 0) return { width: Math.round(w), height: Math.round(h) };
  return aspectSize(input.aspectRatio, (fallback.width * fallback.height) / (1024 * 1024)) ?? fallback;
}

function images(ctx: BuildContext, size: ImageSize, count: number): unknown[] {
  ctx.setJobs(count);
  return Array.from({ length: count }, (_, k) =>
    ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'pattern', seed: ctx.seed + k }, ...size, job: k }));
}

const quantity = (input: Record<string, unknown>, max = 16): number => Math.floor(num(input.quantity, 1, 1, max));

/** A step that transforms its source image: refused when the source cannot be read offline. */
function pixelsOf(ctx: BuildContext, field: string): { pixels: PixelSource; size: ImageSize } | undefined {
  const value = ctx.input[field];
  const info = ctx.source(value);
  if (info?.pixels && info.width && info.height) return { pixels: info.pixels, size: { width: info.width, height: info.height } };
  if (info?.blob && info.blob.type !== 'image') {
    ctx.fail([field], `The emulator reads images here; this ${info.blob.type} from "${info.label}" is not one.`);
  } else {
    ctx.fail([field], 'The image could not be loaded: the emulator is offline and reads PNG data URLs, its own blob URLs and references to earlier steps only.');
  }
  return undefined;
}

function transformed(ctx: BuildContext, field: string): unknown {
  const src = pixelsOf(ctx, field);
  if (!src) return undefined;
  return ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'same', source: src.pixels }, ...src.size });
}

/** A video file for `source` (its first frame) or the seed. */
function video(ctx: BuildContext, nominal: ImageSize, seconds: number, fps: number, first?: SourceInfo, seed = ctx.seed, maxSide = VIDEO_SIDE): unknown {
  const size = videoSize(nominal.width, nominal.height, maxSide);
  const rate = Math.max(1, Math.min(fps, Math.floor(MAX_VIDEO_FRAMES / seconds)));
  const frames = Math.max(2, Math.round(seconds * rate));
  return ctx.blob({ type: 'video', mime: MP4, recipe: { kind: 'video', fps: rate, frames, seed, firstFrame: first?.pixels }, ...size, duration: frames / rate });
}

/** A video derived from a source video (upscaled, interpolated, enhanced, cut out). */
function fromVideo(ctx: BuildContext, field: string, scale: number, fpsFactor: number): unknown {
  const src = ctx.source(ctx.input[field]);
  const recipe = src?.blob?.recipe.kind === 'video' ? src.blob.recipe : undefined;
  const width = (src?.blob?.width ?? VIDEO_SIDE) * scale;
  const height = (src?.blob?.height ?? Math.round((VIDEO_SIDE * 9) / 16)) * scale;
  const fps = Math.min(48, (recipe?.fps ?? 12) * fpsFactor);
  const seconds = recipe ? recipe.frames / recipe.fps : 3;
  const first: SourceInfo | undefined = recipe?.firstFrame ? { pixels: recipe.firstFrame, seed: 0, label: '' } : undefined;
  return video(ctx, { width, height }, seconds, fps, first, recipe?.seed ?? src?.seed ?? ctx.seed, VIDEO_MAX_SIDE);
}

function audio(ctx: BuildContext, seconds: number, job = 0): unknown {
  const s = Math.round(num(seconds, 5, 1, MAX_AUDIO_SECONDS) * 10) / 10;
  return ctx.blob({ type: 'audio', mime: WAV, recipe: { kind: 'audio', seconds: s, seed: ctx.seed }, duration: s, job });
}

export const MEDIA_STEPS: Record<string, StepBuilder> = {
  imageGen(ctx) {
    const known = imageGenOutputSize(ctx.input, undefined);
    const size = known.ok ? known.size : requestedSize(ctx.input, { width: 1024, height: 1024 });
    return { images: images(ctx, size, quantity(ctx.input)) };
  },
  textToImage(ctx) {
    return { images: images(ctx, requestedSize(ctx.input, { width: 512, height: 512 }), quantity(ctx.input)) };
  },
  comfy(ctx) {
    return { blobs: images(ctx, { width: 1024, height: 1024 }, quantity(ctx.input)) };
  },
  customComfy(ctx) {
    return { blobs: images(ctx, { width: 1024, height: 1024 }, 1), tempBlobs: [] };
  },
  imageUpscaler(ctx) {
    const src = pixelsOf(ctx, 'image');
    if (!src) return undefined;
    const repeats = num(ctx.input.numberOfRepeats, UPSCALER_COST.defaultRepeats, 0, 8);
    const factor = UPSCALER_COST.scalePerRepeat ** repeats;
    return {
      blob: ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'enlarge', factor, source: src.pixels }, width: src.size.width * factor, height: src.size.height * factor }),
    };
  },
  imageBackgroundRemoval: (ctx) => ({ image: transformed(ctx, 'image') }),
  convertImage: (ctx) => ({ blob: transformed(ctx, 'image') }),
  preprocessImage(ctx) {
    const src = ctx.firstSource();
    if (src?.pixels && src.width && src.height) return { blob: ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'same', source: src.pixels }, width: src.width, height: src.height }) };
    return { blob: ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'pattern', seed: src?.seed ?? ctx.seed }, width: 512, height: 512 }) };
  },
  imageUpload(ctx) {
    // Its input is the image itself (a URL or data), not an object: the plan passes it as `value`.
    const src = ctx.source(ctx.input.value);
    if (src?.pixels && src.width && src.height) return { blob: ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'same', source: src.pixels }, width: src.width, height: src.height }) };
    return { blob: ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'pattern', seed: src?.seed ?? ctx.seed }, width: 512, height: 512 }) };
  },
  imageToSvg(ctx) {
    const src = ctx.firstSource();
    return { svg: ctx.blob({ type: 'image', mime: 'image/svg+xml', recipe: { kind: 'svg', seed: src?.seed ?? ctx.seed }, width: src?.width ?? 512, height: src?.height ?? 512 }) };
  },
  model3DPreview(ctx) {
    const poses = Array.isArray(ctx.input.cameraPoses) ? Math.min(8, Math.max(1, ctx.input.cameraPoses.length)) : 1;
    const size = { width: Math.round(num(ctx.input.width, 512, 16, 2048)), height: Math.round(num(ctx.input.height, 512, 16, 2048)) };
    return { images: images(ctx, size, poses) };
  },
  videoFrameExtraction(ctx) {
    const src = ctx.source(ctx.input.videoUrl);
    const count = Math.floor(num(ctx.input.maxFrames, 4, 1, 8));
    const size = { width: src?.blob?.width ?? 512, height: src?.blob?.height ?? 288 };
    const seed = src?.blob?.recipe.kind === 'video' ? src.blob.recipe.seed : src?.seed ?? ctx.seed;
    ctx.setJobs(1);
    const frames = Array.from({ length: count }, () => ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'pattern', seed }, ...size }));
    return { frames, totalFramesExtracted: count };
  },
  polyGen(ctx) {
    const src = ctx.firstSource();
    const seed = src?.seed ?? ctx.seed;
    return {
      model: ctx.blob({ type: 'model3d', mime: 'model/gltf-binary', recipe: { kind: 'model3d', seed }, format: 'glb' }),
      thumbnail: ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'pattern', seed }, width: 512, height: 512 }),
    };
  },
  videoGen(ctx) {
    // Image-to-video keeps the image's shape unless the input asks for a size.
    const first = ctx.firstSource();
    const fallback = first?.width && first.height ? { width: first.width, height: first.height } : { width: 1280, height: 720 };
    const nominal = requestedSize(ctx.input, fallback);
    const seconds = num(ctx.input.duration, 5, 1, MAX_VIDEO_SECONDS);
    const fps = Math.round(num(ctx.input.fps, 12, 6, 24));
    return { video: video(ctx, nominal, seconds, fps, first) };
  },
  videoUpscaler: (ctx) => ({ video: fromVideo(ctx, 'video', Math.round(num(ctx.input.scaleFactor, 2, 1, 4)), 1) }),
  videoInterpolation: (ctx) => ({ video: fromVideo(ctx, 'video', 1, Math.round(num(ctx.input.interpolationFactor, 2, 1, 4))) }),
  videoEnhancement: (ctx) => ({ video: fromVideo(ctx, 'sourceUrl', 2, 1) }),
  videoBackgroundRemoval: (ctx) => ({ video: fromVideo(ctx, 'video', 1, 1) }),
  transcode(ctx) {
    // TranscodeOutput is the file itself (id, url, jobId), not a Blob with a type.
    const width = Math.round(num(ctx.input.width, 640, 32, VIDEO_MAX_SIDE));
    const src = ctx.source(ctx.input.sourceUrl);
    const ratio = src?.blob?.width && src.blob.height ? src.blob.height / src.blob.width : 9 / 16;
    const size = videoSize(width, Math.round(width * ratio), VIDEO_SIDE);
    return ctx.blob({ type: 'video', mime: MP4, recipe: { kind: 'video', fps: 12, frames: 36, seed: src?.seed ?? ctx.seed }, ...size, duration: 3 }, 'plain');
  },
  composeMedia(ctx) {
    const elements = Array.isArray(ctx.input.elements) ? ctx.input.elements : [];
    let start = 0;
    const resolved = elements.map((e) => {
      const duration = num((e as Record<string, unknown>)?.duration, 2, 0.5, MAX_VIDEO_SECONDS);
      const out = { startSeconds: start, duration };
      start += duration;
      return out;
    });
    const total = Math.min(MAX_VIDEO_SECONDS, Math.max(1, start));
    const wantsAudio = str((ctx.input.output as Record<string, unknown> | undefined)?.type) === 'audio'
      || (elements.length > 0 && elements.every((e) => str((e as Record<string, unknown>)?.type) === 'audio'));
    if (wantsAudio) return { type: 'audio', elements: resolved, audioBlob: audio(ctx, total) };
    return { type: 'video', elements: resolved, videoBlob: video(ctx, { width: 1280, height: 720 }, total, 12, ctx.firstSource()) };
  },
  aceStepAudio: (ctx) => ({ blob: audio(ctx, num(ctx.input.duration, 5)) }),
  miniMaxMusic3: (ctx) => ({ blob: audio(ctx, num(ctx.input.maxDuration, 5)) }),
  textToSpeech(ctx) {
    const text = str(ctx.input.text, str(ctx.input.prompt, ''));
    const words = text.split(/\s+/).filter(Boolean).length;
    return { audioBlob: audio(ctx, Math.max(1, words / 2.5)), modelType: str(ctx.input.engine) || null, speaker: str(ctx.input.speaker, '') || null };
  },
};
