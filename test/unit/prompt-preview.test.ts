import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { buildPromptPreview } from '../../src/core/prompt/preview-model';
import { PROMPT_RULES } from '../../src/core/prompt/rules';
import { PreviewFromWebviewSchema, PreviewToWebviewSchema, PromptPreviewStateSchema } from '../../src/core/prompt/preview-messages';
import { estimateWorkflowCost } from '../../src/core/cost/estimate';
import type { RuleContext } from '../../src/core/rules/types';
import type { HistoryEntry } from '../../src/core/history/entry';

const ANIMAGINE = 'urn:air:sdxl:checkpoint:civitai:1188071@1337429';

function fileWith(steps: Array<Record<string, unknown>>) {
  const text = JSON.stringify({ steps: steps.map((input) => ({ $type: 'imageGen', input })) }, null, 2);
  const doc = parseWorkflowDocument(text);
  const findings = PROMPT_RULES.flatMap((r) => r.check({ doc, steps: [] } as unknown as RuleContext));
  return { text, doc, findings };
}

test('the step under the cursor becomes chips with weights, special kinds and inline findings', () => {
  const { text, doc, findings } = fileWith([
    { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: ANIMAGINE, prompt: 'masterpiece, 1girl, ((smile)), year 2020, cat, cat', negativePrompt: 'lowres', width: 832, height: 1216, cfgScale: 9 },
  ]);
  const { state } = buildPromptPreview({ doc, offset: text.indexOf('1girl'), fileName: 'a.civitai.json', findings });
  PromptPreviewStateSchema.parse(state);
  const step = state.step!;
  assert.equal(step.profile?.name, 'Animagine XL 4.0');
  const prompt = step.prompts.find((p) => p.field === 'prompt')!;
  assert.deepEqual(prompt.chips.map((c) => c.text), ['masterpiece', '1girl', 'smile', 'year 2020', 'cat', 'cat']);
  assert.equal(prompt.chips[2].weight, 1.21);
  assert.equal(prompt.chips[0].special, 'quality');
  assert.equal(prompt.chips[3].special, 'temporal');
  assert.ok(prompt.chips[0].findings.some((f) => f.code === 'prompt-quality-tag-position'));
  assert.ok(prompt.chips[5].findings.some((f) => f.code === 'prompt-duplicate-tag'));
  assert.equal(prompt.chips[4].findings.length, 0);
  assert.equal(text.slice(prompt.chips[2].offset, prompt.chips[2].offset + prompt.chips[2].length), '((smile))');
  assert.deepEqual(prompt.tokens && prompt.tokens.chunks, 1);
  // Parameters: written values, contract defaults and the profile's advice.
  const cfg = step.parameters.find((p) => p.name === 'cfgScale')!;
  assert.deepEqual([cfg.value, cfg.defaulted, cfg.recommended, cfg.withinRecommendation], ['9', false, '4–7 (5)', false]);
  const steps = step.parameters.find((p) => p.name === 'steps')!;
  assert.deepEqual([steps.value, steps.defaulted, steps.withinRecommendation], ['20', true, false]);
  const sampler = step.parameters.find((p) => p.name === 'sampleMethod')!;
  assert.equal(sampler.recommended, 'euler_a (Euler a)');
  assert.deepEqual(step.frame, { width: 832, height: 1216, megapixels: 1.01, aspect: '13:19', defaulted: false, recommendedSize: true });
  assert.equal(step.estimate.buzz, estimateWorkflowCost(doc.value).steps[0].buzz);
});

test('defaults fill in for Anima; the cursor picks the right step among several', () => {
  const { text, doc } = fileWith([
    { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'first step' },
    { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'second step' },
  ]);
  const first = buildPromptPreview({ doc, offset: text.indexOf('first step'), fileName: 'x', findings: [] }).state.step!;
  assert.equal(first.index, 0);
  assert.equal(first.frame?.width, 512);
  const second = buildPromptPreview({ doc, offset: text.indexOf('second step'), fileName: 'x', findings: [] }).state.step!;
  assert.equal(second.index, 1);
  assert.deepEqual(second.frame, { width: 1024, height: 1024, megapixels: 1.05, aspect: '1:1', defaulted: true, recommendedSize: true });
  const rows = Object.fromEntries(second.parameters.map((p) => [p.name, [p.value, p.defaulted]]));
  assert.deepEqual(rows.steps, ['30', true]);
  assert.deepEqual(rows.cfgScale, ['4', true]);
  assert.deepEqual(rows.seed, ['random', true]);
  // Anima is not a CLIP model: no token estimate.
  assert.equal(second.prompts[0].tokens, null);
  // Outside every step in a file with two: a message instead.
  const none = buildPromptPreview({ doc, offset: 0, fileName: 'x', findings: [] }).state;
  assert.equal(none.step, null);
  assert.match(none.message!, /cursor inside an imageGen step/);
});

test('the step\'s last saved results come from history entries of the same file', () => {
  const { text, doc } = fileWith([{ engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: ANIMAGINE, prompt: 'cat' }]);
  const entry = (key: string, createdAt: string, images: HistoryEntry['images'], fileUri = 'file:///w/a.civitai.json'): HistoryEntry =>
    ({ key, submitted: true, serviceUrl: 'x', emulator: true, label: key, fileUri, createdAt, updatedAt: createdAt, status: 'succeeded', timeline: [], estimate: null, images }) as HistoryEntry;
  const history = [
    entry('old', '2025-01-01T00:00:00Z', [{ blobId: 'a', stepIndex: 0, stepName: '0', index: 0, localPath: '/r/old.png' }]),
    entry('new', '2025-02-01T00:00:00Z', [
      { blobId: 'b', stepIndex: 0, stepName: '0', index: 0, localPath: '/r/new0.png', seed: 7, width: 832, height: 1216 },
      { blobId: 'c', stepIndex: 0, stepName: '0', index: 1, withheld: 'blocked' },
      { blobId: 'd', stepIndex: 1, stepName: '1', index: 0, localPath: '/r/other-step.png' },
    ]),
    entry('elsewhere', '2025-03-01T00:00:00Z', [{ blobId: 'e', stepIndex: 0, stepName: '0', index: 0, localPath: '/r/else.png' }], 'file:///w/b.civitai.json'),
  ];
  const model = buildPromptPreview({ doc, offset: text.indexOf('cat'), fileName: 'a', fileUri: 'file:///w/a.civitai.json', findings: [], history });
  assert.deepEqual(model.resultFiles.map((r) => r.localPath), ['/r/new0.png']);
  assert.equal(model.resultFiles[0].seed, 7);
  assert.equal(model.state.step!.resultsNote, null);
  const none = buildPromptPreview({ doc, offset: text.indexOf('cat'), fileName: 'a', fileUri: 'file:///w/c.civitai.json', findings: [], history });
  assert.match(none.state.step!.resultsNote!, /No saved results/);
});

test('message schemas accept what the panel sends and refuse anything else', () => {
  assert.ok(PreviewFromWebviewSchema.safeParse({ type: 'ready' }).success);
  assert.ok(PreviewFromWebviewSchema.safeParse({ type: 'reveal', offset: 3, length: 2 }).success);
  assert.ok(!PreviewFromWebviewSchema.safeParse({ type: 'reveal', offset: -1, length: 2 }).success);
  assert.ok(!PreviewFromWebviewSchema.safeParse({ type: 'runCommand', command: 'x' }).success);
  assert.ok(!PreviewToWebviewSchema.safeParse({ type: 'state', state: { fileName: 1 } }).success);
});

test('a broken file still yields a state, never a throw', () => {
  for (const text of ['', '{', '{"steps": [ {"$type": "imageGen", "input": {"prompt": "(((" ', '{"steps": 5}']) {
    const doc = parseWorkflowDocument(text);
    const { state } = buildPromptPreview({ doc, offset: text.length, fileName: 'x', findings: [] });
    PromptPreviewStateSchema.parse(state);
  }
});

test('the preview shows the exact CLIP count per chunk, and says so when the encoder is not CLIP', () => {
  const long = Array.from({ length: 40 }, (_, i) => `tag${i} word`).join(', ');
  const { text, doc, findings } = fileWith([
    { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: ANIMAGINE, prompt: long },
    { engine: 'comfy', ecosystem: 'anima', operation: 'createImage', model: 'urn:air:anima:checkpoint:civitai:1@1', prompt: 'anima prompt, 1girl' },
  ]);
  const sdxl = buildPromptPreview({ doc, offset: text.indexOf('tag3 word'), fileName: 'x', findings }).state.step!.prompts[0];
  PromptPreviewStateSchema.parse(buildPromptPreview({ doc, offset: text.indexOf('tag3 word'), fileName: 'x', findings }).state);
  // tagN word: `tag`, the digits one by one, `word`; 39 commas.
  assert.ok(sdxl.tokens && sdxl.tokens.chunks === 3 && sdxl.tokens.perChunk.reduce((a, b) => a + b, 0) === sdxl.tokens.count);
  assert.equal(sdxl.encoder, null);
  assert.equal(sdxl.chips[0].chunk, 1);
  assert.equal(sdxl.chips[39].chunk, 3);
  const anima = buildPromptPreview({ doc, offset: text.indexOf('anima prompt'), fileName: 'x', findings }).state.step!.prompts[0];
  assert.equal(anima.tokens, null);
  assert.match(String(anima.encoder), /does not use a CLIP text encoder/);
});
