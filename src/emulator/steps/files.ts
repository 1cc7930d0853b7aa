// Steps whose outputs are files of other kinds: trained models, archives, node-pack snapshots.
import { safetensors, zipOf } from '../media/files';
import { isObject, num, str, type BuildContext, type StepBuilder } from './context';

const PNG = 'image/png';
const SAFETENSORS = 'application/octet-stream';

function epochCount(ctx: BuildContext): number {
  const params = isObject(ctx.input.trainingParameters) ? ctx.input.trainingParameters : ctx.input;
  return Math.floor(num(params.maxTrainEpochs ?? params.epochs, 2, 1, 3));
}

function modelFile(ctx: BuildContext, epoch: number): Uint8Array {
  return safetensors({ emulator: 'true', engine: str(ctx.input.engine, 'unknown'), epoch: String(epoch) });
}

export const FILE_STEPS: Record<string, StepBuilder> = {
  training(ctx) {
    const epochs = Array.from({ length: epochCount(ctx) }, (_, i) => ({
      epochNumber: i + 1,
      model: ctx.blob({ type: 'model', mime: SAFETENSORS, recipe: { kind: 'bytes', bytes: modelFile(ctx, i + 1) }, format: 'safetensors' }),
      samples: [ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'pattern', seed: ctx.seed + i }, width: 512, height: 512 })],
    }));
    return { moderationStatus: 'approved', epochs };
  },
  imageResourceTraining(ctx) {
    const epochs = Array.from({ length: epochCount(ctx) }, (_, i) => ({
      epochNumber: i + 1,
      blobName: `epoch_${i + 1}.safetensors`,
      blobSize: modelFile(ctx, i + 1).length,
      blobUrl: ctx.blob({ type: 'model', mime: SAFETENSORS, recipe: { kind: 'bytes', bytes: modelFile(ctx, i + 1) }, format: 'safetensors' }, 'url'),
      sampleImages: [ctx.blob({ type: 'image', mime: PNG, recipe: { kind: 'pattern', seed: ctx.seed + i }, width: 512, height: 512 }, 'url')],
    }));
    return { moderationStatus: 'approved', epochs, sampleImagesPrompts: [] };
  },
  blobArchive(ctx) {
    const entries = Array.isArray(ctx.input.entries) ? ctx.input.entries.filter(isObject) : [];
    const files = entries.map((e, i) => ({
      name: `${str(e.fileName, '') || str(e.blobId, `entry-${i}`)}.txt`,
      text: `Blob ${str(e.blobId)}: the emulator archives a note in place of the file.\n`,
    }));
    const format = ctx.input.format === 'tar' ? 'tar' : 'zip';
    return {
      // A ZIP either way: the emulator writes no tar files (the format field says what was asked).
      url: ctx.blob({ type: 'archive', mime: 'application/zip', recipe: { kind: 'bytes', bytes: zipOf(files) }, format: 'zip' }, 'url'),
      entryCount: entries.length,
      format,
      expiresAt: new Date(ctx.now + 24 * 3600_000).toISOString(),
    };
  },
  comfyNodepackSnapshot(ctx) {
    const packs = Array.isArray(ctx.input.nodepacks) ? ctx.input.nodepacks.filter((p): p is string => typeof p === 'string') : [];
    const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
    const results = packs.map((nodepack) => ({
      nodepack,
      layerAir: `urn:air:other:layer:civitai:${nodepack.replace(/[^A-Za-z0-9_-]/g, '-')}@emulator`,
      layer: ctx.blob({ type: 'file', mime: 'application/zip', recipe: { kind: 'bytes', bytes: zipOf([{ name: `${nodepack}/README.txt`, text: 'Emulator layer.\n' }]) } }),
      objectInfo: ctx.blob({ type: 'file', mime: 'application/json', recipe: { kind: 'bytes', bytes: json({ nodepack, nodes: {} }) } }),
      web: ctx.blob({ type: 'file', mime: 'application/zip', recipe: { kind: 'bytes', bytes: zipOf([]) } }),
    }));
    return { results };
  },
};
