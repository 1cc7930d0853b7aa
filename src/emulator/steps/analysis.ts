// Steps that judge or measure their input: tags, ratings, moderation, hashes, scans, metadata.
// Values are stand-ins derived from the input (same input, same answer), always the harmless
// outcome: the emulator's own images are plain gradients.
import { createHash } from 'node:crypto';
import { hexOf, isObject, str, type BuildContext, type StepBuilder } from './context';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function sourceSeed(ctx: BuildContext): number {
  return ctx.firstSource()?.seed ?? ctx.seed;
}

export const ANALYSIS_STEPS: Record<string, StepBuilder> = {
  wdTagging(ctx) {
    const seed = sourceSeed(ctx);
    const shape = seed % 2 === 0 ? 'circle' : 'square';
    return {
      tags: { no_humans: 0.97, abstract: 0.91, gradient: 0.88, simple_background: 0.74, [shape]: 0.62 },
      rating: { general: 0.97, sensitive: 0.025, questionable: 0.004, explicit: 0.001 },
    };
  },
  mediaRating(ctx) {
    const out: Record<string, unknown> = { nsfwLevel: 'pg', blockedReason: null, isBlocked: false, labels: [] };
    if (ctx.input.includeAIRecognition === true) out.aiRecognition = { label: 'ai', confidence: 0.99 };
    if (ctx.input.includeAnimeRecognition === true) out.animeRecognition = { label: 'not_anime', confidence: 0.93 };
    if (ctx.input.includeHumanRecognition === true) out.humanRecognition = { label: 'no_human', confidence: 0.98, humanScore: 0.02, noHumanScore: 0.98 };
    if (ctx.input.includeAgeClassification === true) out.ageClassification = { detections: [], status: 'ok', ran: true, detector: 'emulator', minorDetected: false, error: null };
    if (ctx.input.includeFaceRecognition === true) out.faceRecognition = { faces: [], similarityMatrix: null };
    if (ctx.input.includeBodyAgeClassification === true) out.bodyAgeClassification = { detections: [], status: 'ok', ran: true, childDetected: false, minorDetected: false, oodDetected: false, error: null };
    return out;
  },
  ageClassification: () => ({ labels: {}, hasMinor: false, numPredictions: 0, numFlagged: 0, faceRecognitionAvailable: false }),
  mediaHash(ctx) {
    const seed = sourceSeed(ctx);
    const types = Array.isArray(ctx.input.hashTypes) ? ctx.input.hashTypes.filter((t): t is string => typeof t === 'string') : [];
    return { hashes: Object.fromEntries(types.map((t, i) => [t, hexOf(seed + i * 7919, t.endsWith('256') ? 64 : 16)])) };
  },
  xGuardModeration: () => ({ results: [], blocked: false, triggeredLabels: [] }),
  shieldstralModeration: () => ({ results: [], blocked: false, triggeredPolicies: [] }),
  qwenImageBench(ctx) {
    const items = Array.isArray(ctx.input.items) ? ctx.input.items.filter(isObject) : [];
    const dimensions = Array.isArray(ctx.input.dimensions) ? ctx.input.dimensions.filter((d): d is string => typeof d === 'string') : [];
    const results = Object.fromEntries(items.map((item, i) => {
      const scores = dimensions.map((name, k) => ({ name, score: 3 + ((ctx.seed + i + k) % 3), children: [] }));
      const total = scores.length ? scores.reduce((n, s) => n + s.score, 0) / scores.length : null;
      return [str(item.id, String(i)), { fieldScores: Object.fromEntries(scores.map((s) => [s.name, s.score])), totalScore: total, scores, errors: {}, error: null }];
    }));
    return { results };
  },
  modelClamScan: (ctx) => ({ exitCode: 0, output: `${str(ctx.input.model, 'model')}: OK (emulator)`, status: 'clean', infected: false, infectedFileCount: 0, scannedFileCount: 1 }),
  modelPickleScan: (ctx) => ({
    exitCode: 0,
    output: `${str(ctx.input.model, 'model')}: no pickle imports (emulator)`,
    globalImports: [],
    dangerousImports: [],
    status: 'clean',
    dangerousImportsFound: false,
    skipped: false,
    skipReason: null,
    scannedFileCount: 1,
    infectedFileCount: 0,
    dangerousGlobalCount: 0,
  }),
  modelHash(ctx) {
    // Hashes of the model reference (the emulator has no file): stable and well-formed.
    const digest = sha256(str(ctx.input.model, JSON.stringify(ctx.input.model ?? '')));
    return { sha256: digest.toUpperCase(), autoV1: digest.slice(0, 8).toUpperCase(), autoV2: digest.slice(0, 10).toUpperCase(), autoV3: digest.slice(2, 14).toUpperCase(), blake3: sha256(`b3:${digest}`).toUpperCase(), crc32: digest.slice(-8).toUpperCase() };
  },
  modelParseMetadata: (ctx) => ({ metadata: JSON.stringify({ format: 'pt', source: str(ctx.input.model, 'model'), note: 'emulator metadata' }) }),
  videoMetadata(ctx) {
    const src = ctx.source(ctx.input.video);
    const recipe = src?.blob?.recipe.kind === 'video' ? src.blob.recipe : undefined;
    const seconds = recipe ? recipe.frames / recipe.fps : 5;
    return {
      width: src?.blob?.width ?? 1280,
      height: src?.blob?.height ?? 720,
      fps: recipe?.fps ?? 24,
      duration: timeSpan(seconds),
    };
  },
};

/** `00:00:05.5000000`: .NET's TimeSpan text, as the contract's duration strings are. */
export function timeSpan(seconds: number): string {
  const whole = Math.floor(seconds);
  const frac = Math.round((seconds - whole) * 1e7);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}${frac ? `.${String(frac).padStart(7, '0')}` : ''}`;
}

