// Result images: produced on first need from the workflow's plan (deterministic, so an evicted
// image can always be produced again while its workflow is remembered) and cached by bytes.
import { enlargePng, renderSeededPng } from './images';
import { LruMap } from './lru';
import type { EmuWorkflow } from './model';

export interface BlobLocation {
  workflowId: string;
  step: number;
  image: number;
}

export class ImageStore {
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
    wf.steps.forEach((step, s) => step.blobIds.forEach((id, image) => this.#index.set(id, { workflowId: wf.id, step: s, image })));
  }

  forget(wf: EmuWorkflow): void {
    for (const step of wf.steps) {
      for (const id of step.blobIds) {
        this.#index.delete(id);
        this.#bytes.delete(id);
      }
    }
  }

  locate(blobId: string): BlobLocation | undefined {
    return this.#index.get(blobId);
  }

  /** The PNG of one output image (rendering it, and its sources, if not cached). */
  bytes(wf: EmuWorkflow, step: number, image: number, depth = 0): Uint8Array {
    const blobId = wf.steps[step].blobIds[image];
    const cached = this.#bytes.get(blobId);
    if (cached) return cached;
    if (depth > 16) throw new Error('Image sources nest too deeply');
    const plan = wf.steps[step].plan;
    let png: Uint8Array;
    if (plan.kind === 'imageGen') {
      png = renderSeededPng(plan.width, plan.height, plan.seeds[image]);
    } else {
      const src = plan.source;
      let sourcePng: Uint8Array;
      if (src.kind === 'png') sourcePng = src.bytes;
      else if (src.kind === 'step') sourcePng = this.bytes(wf, src.step, src.image, depth + 1);
      else {
        const other = this.lookup(src.workflowId);
        if (!other) throw new Error('The source image is no longer available');
        sourcePng = this.bytes(other, src.step, src.image, depth + 1);
      }
      png = enlargePng(sourcePng, plan.factor, this.maxPixels);
    }
    this.#bytes.set(blobId, png);
    return png;
  }
}
