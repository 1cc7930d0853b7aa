// Every kind of output, from the emulator's real answers to the results panel's state: which
// blobs count as images (gallery) and which as videos, audio, 3D models or files, the texts
// shown with Copy, the folded JSON, and the panel messages' schemas accepting all of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowSchema, workflowBlobs, workflowImages } from '../../src/core/api/schemas';
import { applySnapshot, buildResultsState, HistoryEntrySchema, newSubmissionEntry, parseHistory, WorkflowSnapshotSchema, type HistoryEntry } from '../../src/core/history';
import { parseFromWebview, ResultsStateSchema } from '../../src/core/messages';
import { outputBlobs, outputTexts } from '../../src/core/results/step-outputs';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';

let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: { unassignedMs: 1, preparingMs: 1, scheduledMs: 1, processingMs: 2 } });
});
after(async () => {
  await emu.close();
});

const MODEL = 'urn:air:sdxl:checkpoint:civitai:101055@128078';

async function run(body: unknown): Promise<ReturnType<typeof WorkflowSchema.parse>> {
  const res = await fetch(`${emu.url}/v2/consumer/workflows?wait=5`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  return WorkflowSchema.parse(await res.json());
}

test('a workflow of many kinds: images go to the gallery, everything else to the outputs, each once', async () => {
  const wf = await run({
    steps: [
      { $type: 'imageGen', name: 'still', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: MODEL, prompt: 'a red fox', width: 1024, height: 1024, seed: 3 } },
      { $type: 'videoGen', name: 'clip', input: { engine: 'ltx2.3', operation: 'createVideo', model: '22b-distilled', prompt: 'a fox runs', images: [{ $ref: 'still', path: 'output.images[0].url' }], duration: 3 } },
      { $type: 'textToSpeech', name: 'voice', input: { engine: 'custom', text: 'hello there fox', xVectorOnlyMode: false } },
      { $type: 'polyGen', name: 'mesh', input: { engine: 'comfy', model: 'hunyuan3D', operation: 'imageTo3D', imageUrl: { $ref: 'still', path: 'output.images[0].url' } } },
      { $type: 'chatCompletion', name: 'ask', input: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Name the fox.' }] }] } },
      { $type: 'wdTagging', name: 'tags', input: { mediaUrl: { $ref: 'still', path: 'output.images[0].url' } } },
    ],
  });
  assert.equal(wf.status, 'succeeded');
  assert.deepEqual(workflowImages(wf).map((i) => i.stepName), ['still', 'mesh'], 'the generated image and the 3D preview are images');
  assert.deepEqual(workflowBlobs(wf, ['video', 'audio', 'model3d', 'file']).map((b) => `${b.stepName}:${b.media}:${b.path}`), ['clip:video:video', 'voice:audio:audioBlob', 'mesh:model3d:model']);

  const snapshot = WorkflowSnapshotSchema.parse(wf);
  let entry: HistoryEntry = applySnapshot({ ...newSubmissionEntry({ key: 'k1', serviceUrl: emu.url, emulator: true, label: 'fox.civitai.json', body: {}, estimate: null, now: 'n' }) }, snapshot, 'n');
  const thumb = workflowImages(wf).find((i) => i.stepName === 'mesh')!;
  const video = workflowBlobs(wf, ['video'])[0];
  entry = {
    ...entry,
    images: [{ blobId: thumb.blob.id, stepIndex: 3, stepName: 'mesh', index: 0, localPath: '/r/mesh-0.png' }],
    files: [{ blobId: video.blob.id, stepIndex: 1, stepName: 'clip', type: 'video', localPath: '/r/clip-video.mp4' }],
  };
  // History survives a reload with its files.
  assert.deepEqual(parseHistory([entry]).entries[0].files, entry.files);
  assert.equal(HistoryEntrySchema.safeParse({ ...entry, files: [{ blobId: '', stepIndex: 0, stepName: 'x', type: 'video' }] }).success, false);

  const state = buildResultsState(entry, { srcFor: (p) => `webview:${p}`, serviceLabel: 'Emulator' });
  assert.equal(ResultsStateSchema.safeParse(state).success, true, 'the panel message schema accepts every kind');
  assert.deepEqual(state.images.map((i) => i.stepName), ['still', 'mesh']);
  const kinds = state.outputs!.map((o) => `${o.stepName}:${o.kind}:${o.state}`);
  assert.deepEqual(kinds, [
    'clip:video:saved', 'clip:json:inline',
    'voice:audio:pending', 'voice:json:inline',
    'mesh:model3d:pending', 'mesh:json:inline',
    'ask:text:inline', 'ask:json:inline',
    'tags:json:inline',
  ], 'the imageGen step only has gallery images: no JSON for it');
  const byKey = new Map(state.outputs!.map((o) => [`${o.stepName}:${o.kind}`, o]));
  assert.equal(byKey.get('clip:video')!.src, 'webview:/r/clip-video.mp4');
  assert.equal(byKey.get('clip:video')!.fileName, 'clip-video.mp4');
  assert.equal(byKey.get('voice:audio')!.duration, 1.2, 'three words, read at 2.5 words a second');
  assert.equal(byKey.get('mesh:model3d')!.format, 'glb');
  assert.equal(byKey.get('mesh:model3d')!.previewSrc, 'webview:/r/mesh-0.png', 'the 3D model shows its step\'s preview image');
  assert.match(byKey.get('ask:text')!.text!, /Name the fox\./);
  assert.match(byKey.get('tags:json')!.text!, /"no_humans"/);
});

test('the walker: untyped blobs of image steps are images, texts per type, bounded on hostile input', () => {
  assert.deepEqual(outputBlobs('imageGen', { images: [{ id: 'a', url: 'u' }] }).map((b) => b.media), ['image']);
  assert.deepEqual(outputBlobs('aceStepAudio', { blob: { id: 'a', type: 'audio', url: 'u' } }).map((b) => b.media), ['audio']);
  assert.deepEqual(outputBlobs('transcode', { id: 't', available: true, url: 'u', jobId: 'j' }).map((b) => [b.media, b.path]), [['video', '(output)']]);
  assert.deepEqual(outputBlobs('echo', { message: 'hi' }), []);
  assert.deepEqual(outputTexts('promptEnhancement', { enhancedPrompt: 'p', enhancedNegativePrompt: null, issues: [], recommendations: [] }).map((t) => t.label), ['Enhanced prompt']);
  assert.deepEqual(outputTexts('chatCompletion', { choices: [{ index: 0, message: { content: 'a' } }, { index: 1, message: { content: 'b' } }] }).map((t) => t.label), ['Answer 1', 'Answer 2']);
  // Deep nesting and huge arrays: bounded, no stack overflow.
  let deep: unknown = { id: 'x', url: 'u' };
  for (let i = 0; i < 10_000; i++) deep = { next: deep };
  assert.deepEqual(outputBlobs('comfy', deep), []);
  assert.equal(outputBlobs('comfy', { blobs: Array.from({ length: 5000 }, (_, i) => ({ id: `b${i}`, url: 'u' })) }).length, 500);
});

test('panel messages: output actions and media reports are validated', () => {
  assert.equal(parseFromWebview({ type: 'output', action: 'copyText', key: '1:choices[0].message.content' }).ok, true);
  assert.equal(parseFromWebview({ type: 'output', action: 'delete', key: 'b' }).ok, false);
  assert.equal(parseFromWebview({ type: 'media', key: 'b', kind: 'video', loaded: true, duration: 3, width: 192, height: 128, error: null }).ok, true);
  assert.equal(parseFromWebview({ type: 'media', key: 'b', kind: 'image', loaded: true, duration: 3, width: null, height: null, error: null }).ok, false);
});
