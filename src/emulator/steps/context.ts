// What a step builder gets and gives back. A builder reads its (resolved) input and describes the
// step's output in the contract's shape, with a `BlobSlot` wherever one of its output files goes;
// rendering replaces each slot with the blob's JSON (or its signed URL) on every read.
import type { BlobRecipe, EmuBlob, PixelSource } from '../model';

/** Where an output blob goes: the blob object (`as: 'blob'`), its URL only, or a transcode-style object. */
export class BlobSlot {
  constructor(
    readonly index: number,
    readonly as: 'blob' | 'url' | 'plain' = 'blob',
  ) {}
}

/** A `$ref` that lands on a blob of an earlier step of the same workflow. */
export class StepBlobRef {
  constructor(
    readonly step: number,
    readonly blob: number,
    readonly info: EmuBlob,
  ) {}
}

/** A source the step reads (an image, video, audio, model): what the emulator knows about it. */
export interface SourceInfo {
  /** Readable pixels (a PNG), when the source is an image the emulator has or was sent. */
  pixels?: PixelSource;
  /** The blob it is, when it is one of the emulator's own. */
  blob?: EmuBlob;
  width?: number;
  height?: number;
  /** A stable number derived from the source, for stand-in values. */
  seed: number;
  /** How to refer to it in text (a step name, a file name, a shortened URL). */
  label: string;
}

export interface NewBlob {
  type: string;
  mime: string;
  recipe: BlobRecipe;
  width?: number;
  height?: number;
  duration?: number;
  format?: string;
  job?: number;
}

export interface BuildContext {
  type: string;
  name: string;
  /** The input, `$arguments` resolved and step `$ref`s replaced by their values or `StepBlobRef`s. */
  input: Record<string, unknown>;
  /** `input.seed` when given, else a number derived from the input (same body, same output). */
  seed: number;
  /** Virtual epoch ms of the submission. */
  now: number;
  /** Adds an output file; returns the slot to put in the output. */
  blob(spec: NewBlob, as?: BlobSlot['as']): BlobSlot;
  /** Reads one input value as a source; undefined when it is not one. */
  source(value: unknown): SourceInfo | undefined;
  /** The first source anywhere in the input (depth-first, in field order). */
  firstSource(): SourceInfo | undefined;
  /** Reports a problem with the input at `path` (relative to `input`): the submission is refused. */
  fail(path: ReadonlyArray<string | number>, message: string): void;
  /** Number of jobs the step runs (default 1). */
  setJobs(count: number): void;
}

export type StepBuilder = (ctx: BuildContext) => unknown;

// ---- small helpers the builders share ----

export const num = (value: unknown, fallback: number, min = -Infinity, max = Infinity): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;

export const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof StepBlobRef);

/** A 64-bit-looking lowercase hex string from a seed (stand-in hashes). */
export function hexOf(seed: number, length = 16): string {
  let x = seed >>> 0 || 1;
  let out = '';
  while (out.length < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
