// The results panel's outputs beyond the image gallery, from a history entry: each video, audio
// clip, 3D model or other file a step produced (with its saved file, when downloaded), each text it
// answered with, and its whole output as JSON for the steps that are not just images.
import type { ResultsOutput } from '../messages/outputs';
import { outputBlobs, outputTexts, type OutputBlob } from '../results/step-outputs';
import type { HistoryEntry } from './entry';

/** Longest JSON shown (the panel folds it; the saved history is already compacted). */
const MAX_JSON = 50_000;

const KIND: Record<string, ResultsOutput['kind']> = { video: 'video', audio: 'audio', model3d: 'model3d', file: 'file' };

function fileNameOf(path: string | undefined): string | null {
  return path ? path.split(/[\\/]/).pop() || null : null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function buildOutputs(entry: HistoryEntry, srcFor: (localPath: string) => string | null): ResultsOutput[] {
  const out: ResultsOutput[] = [];
  const savedFiles = new Map((entry.files ?? []).map((f) => [f.blobId, f]));
  const savedImages = new Map(entry.images.map((i) => [i.blobId, i]));
  (entry.snapshot?.steps ?? []).forEach((step, stepIndex) => {
    if (step.status !== 'succeeded' || step.output === undefined || step.output === null) return;
    const base = { stepIndex, stepName: step.name, stepType: step.$type };
    const blobs = outputBlobs(step.$type, step.output);
    const texts = outputTexts(step.$type, step.output);
    const preview = blobs.find((b) => b.media === 'image');
    const previewPath = preview ? savedImages.get(preview.blob.id)?.localPath : undefined;
    for (const b of blobs) {
      if (b.media === 'image') continue;
      out.push(fileOutput(b, base, savedFiles.get(b.blob.id), srcFor, b.media === 'model3d' && previewPath ? srcFor(previewPath) : null));
    }
    texts.forEach((t) => out.push({
      ...base, key: `${stepIndex}:${t.path}`, kind: 'text', label: t.label, src: null, state: 'inline', fileName: null,
      previewSrc: null, width: null, height: null, duration: null, format: null, text: t.text, note: null,
    }));
    const onlyImages = blobs.length > 0 && blobs.every((b) => b.media === 'image') && texts.length === 0;
    if (!onlyImages) {
      const json = JSON.stringify(step.output, null, 2);
      out.push({
        ...base, key: `${stepIndex}:output`, kind: 'json', label: 'Output JSON', src: null, state: 'inline', fileName: null,
        previewSrc: null, width: null, height: null, duration: null, format: null,
        text: json.length > MAX_JSON ? `${json.slice(0, MAX_JSON)}\n… (${json.length} characters)` : json, note: null,
      });
    }
  });
  return out;
}

function fileOutput(
  b: OutputBlob,
  base: { stepIndex: number; stepName: string; stepType: string },
  saved: { localPath?: string; withheld?: string } | undefined,
  srcFor: (localPath: string) => string | null,
  previewSrc: string | null,
): ResultsOutput {
  const src = saved?.localPath ? srcFor(saved.localPath) : null;
  const withheld = saved?.withheld ?? (b.blob.blockedReason ? `Blocked by moderation: ${b.blob.blockedReason}` : b.blob.available === false && !b.blob.url ? 'The service withheld this file.' : null);
  const state: ResultsOutput['state'] = src ? 'saved' : withheld ? 'withheld' : saved?.localPath ? 'missing' : 'pending';
  return {
    ...base,
    key: b.blob.id,
    kind: KIND[b.media] ?? 'file',
    // Where the step put it (`video`, `audioBlob`, `epochs[0].model`): tells files of one step apart.
    label: b.path,
    src,
    state,
    fileName: fileNameOf(saved?.localPath),
    previewSrc,
    width: num(b.blob.width),
    height: num(b.blob.height),
    duration: num(b.blob.duration),
    format: typeof b.blob.format === 'string' ? b.blob.format : null,
    text: null,
    note: src ? null : withheld ?? (saved?.localPath ? 'The saved file is gone; download it again.' : null),
  };
}
