// Output files: made on first need from their recipe (deterministic, so an evicted file can always
// be made again while its workflow is remembered) and cached by bytes.
import { enlargePng } from './images';
import { renderSeededPng } from './images';
import { LruMap } from './lru';
import { renderGlb } from './media/glb';
import { renderSvg } from './media/svg';
import { renderVideoMp4 } from './media/video';
import { renderWav } from './media/wav';
import type { EmuBlob, EmuWorkflow, PixelSource } from './model';

export interface BlobLocation {
  workflowId: string;
  step: number;
  blob: number;
}

export class BlobStore {
  readonly #bytes: LruMap<string, Uint8Array>;
  /** blobId → where it comes from; entries go when their workflow is forgotten. */
  readonly #index = new Map<string, BlobLocation>();

  constructor(
    maxBytes: number,
    private readonly maxPixels: number,
    private readonly lookup: (workflowId: string) => EmuWorkflow | undefined,
  ) {
    this.#bytes = new LruMap<string, Uint8Array>(Infinity, maxBytes, (b) => b.length);
  }

  get cachedBytes(): number {
    return this.#bytes.weight;
  }

  register(wf: EmuWorkflow): void {
    wf.steps.forEach((step, s) => step.blobs.forEach((b, blob) => this.#index.set(b.id, { workflowId: wf.id, step: s, blob })));
  }

  forget(wf: EmuWorkflow): void {
    for (const step of wf.steps) {
      for (const b of step.blobs) {
        this.#index.delete(b.id);
        this.#bytes.delete(b.id);
      }
    }
  }

  locate(blobId: string): BlobLocation | undefined {
    return this.#index.get(blobId);
  }

  /** The bytes of one output file (making it, and its sources, if not cached). */
  bytes(wf: EmuWorkflow, step: number, blob: number, depth = 0): Uint8Array {
    const info = wf.steps[step].blobs[blob];
    const cached = this.#bytes.get(info.id);
    if (cached) return cached;
    if (depth > 16) throw new Error('Sources nest too deeply');
    const bytes = this.#make(wf, info, depth);
    this.#bytes.set(info.id, bytes);
    return bytes;
  }

  #make(wf: EmuWorkflow, info: EmuBlob, depth: number): Uint8Array {
    const r = info.recipe;
    const pixels = (source: PixelSource): Uint8Array => this.#pixels(wf, source, depth + 1);
    switch (r.kind) {
      case 'pattern':
        return renderSeededPng(info.width ?? 512, info.height ?? 512, r.seed);
      case 'enlarge':
        return enlargePng(pixels(r.source), r.factor, this.maxPixels);
      case 'same':
        return pixels(r.source);
      case 'video':
        return renderVideoMp4({ width: info.width ?? 192, height: info.height ?? 112, fps: r.fps, frames: r.frames, seed: r.seed, firstFrame: r.firstFrame && pixels(r.firstFrame) });
      case 'audio':
        return renderWav(r.seconds, r.seed);
      case 'model3d':
        return renderGlb(r.seed);
      case 'svg':
        return renderSvg(info.width ?? 512, info.height ?? 512, r.seed);
      case 'bytes':
        return r.bytes;
    }
  }

  #pixels(wf: EmuWorkflow, src: PixelSource, depth: number): Uint8Array {
    if (src.kind === 'png') return src.bytes;
    if (src.kind === 'step') return this.bytes(wf, src.step, src.blob, depth);
    const other = this.lookup(src.workflowId);
    if (!other) throw new Error('The source image is no longer available');
    return this.bytes(other, src.step, src.blob, depth);
  }
}
