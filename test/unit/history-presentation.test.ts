// What people read in the results panel and the history view: step headings, reproduction
// details, cost sentences, titles, relative times and day groups. Inputs are the documented
// request bodies of Civitai's recipes where possible (read from ../shared when present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildResultsState, buildStepDetails, describeAir, describeCost, entryTitle, groupByDay, historyRow, newSubmissionEntry,
  paidWith, relativeTime, stepTitle, StepSnapshotSchema, WorkflowSnapshotSchema, type HistoryEntry,
} from '../../src/core/history';
import { ResultsStateSchema } from '../../src/core/messages';

const step = (input: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  StepSnapshotSchema.parse({ $type: 'imageGen', name: '0', status: 'succeeded', input, ...extra });

test('step headings: an unnamed step reads "Step 1 · imageGen", never "0 imageGen"; a named one keeps its name', () => {
  assert.equal(stepTitle('0', 'imageGen', 0), 'Step 1 · imageGen');
  assert.equal(stepTitle('3', 'imageUpscaler', 3), 'Step 4 · imageUpscaler');
  assert.equal(stepTitle('', 'imageGen', 1), 'Step 2 · imageGen');
  assert.equal(stepTitle('portrait', 'imageGen', 0), 'portrait');
});

test('details of an SDXL step: prompts as chips with weights, model and LoRA named from metadata, settings in order', () => {
  const lora = 'urn:air:sdxl:lora:civitai:1234@5678';
  const d = buildStepDetails(step({
    engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage',
    model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
    prompt: 'masterpiece, (red fox:1.3), [blurry], <lora:foo:0.5>, snow BREAK forest',
    negativePrompt: 'worst quality, lowres',
    loras: { [lora]: 0.8 }, sampleMethod: 'euler_a', schedule: 'karras', steps: 30, cfgScale: 6, seed: 42,
  }, { metadata: { resourceNames: { [lora]: 'Fox Fur Detailer' } } }));
  assert.ok(d);
  assert.equal(d.prompt, 'masterpiece, (red fox:1.3), [blurry], <lora:foo:0.5>, snow BREAK forest');
  const chip = (text: string) => d.promptChips.find((c) => c.text === text);
  assert.equal(chip('red fox')?.weight, 1.3);
  assert.ok((chip('blurry')?.weight ?? 1) < 1);
  assert.equal(chip('<lora:foo:0.5>')?.kind, 'network');
  assert.ok(d.promptChips.some((c) => c.kind === 'break'));
  assert.equal(chip('masterpiece')?.special, 'quality', 'the SDXL profile knows its quality tags');
  assert.deepEqual(d.negativeChips.map((c) => c.text), ['worst quality', 'lowres']);
  assert.equal(d.model?.air, 'urn:air:sdxl:checkpoint:civitai:101055@128078');
  assert.equal(d.model?.name, null, 'nothing names this checkpoint: no made-up name');
  assert.equal(d.model?.description, 'Civitai checkpoint 101055, version 128078');
  assert.deepEqual(d.loras, [{ air: lora, name: 'Fox Fur Detailer', description: 'Civitai lora 1234, version 5678', strength: 0.8 }]);
  assert.deepEqual(d.settings.map((s) => `${s.label}=${s.value}`), ['Sampler=euler_a', 'Schedule=karras', 'Steps=30', 'CFG scale=6', 'Images=1 (default)']);
  assert.equal(d.fromImage, false);
  assert.equal(d.shortened, false);
});

test('details fill what the file left out with the contract default, marked as such', () => {
  const d = buildStepDetails(step({ engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'a cat' }));
  const steps = d?.settings.find((s) => s.label === 'Steps');
  assert.ok(steps, JSON.stringify(d?.settings));
  assert.match(steps.value, /^\d+ \(default\)$/);
});

test('a model profile made for the checkpoint names it (Animagine XL 4.0)', () => {
  const d = buildStepDetails(step({ engine: 'sdcpp', ecosystem: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:1188071@1408658', prompt: '1girl' }));
  assert.match(d?.model?.name ?? '', /Animagine/);
});

test('an image-to-image step is marked, a history-shortened prompt is flagged, and other step types have no details', () => {
  const variant = buildStepDetails(step({ engine: 'sdcpp', ecosystem: 'sd1', operation: 'createVariant', image: 'data:image/png;base64,iVBOR… (123456 characters)', prompt: 'x' }));
  assert.equal(variant?.fromImage, true);
  const long = buildStepDetails(step({ prompt: `${'tag, '.repeat(10)}… (9000 characters)` }));
  assert.equal(long?.shortened, true);
  assert.equal(buildStepDetails(StepSnapshotSchema.parse({ $type: 'imageUpscaler', name: 'up', status: 'succeeded', input: { image: 'x', scaleFactor: 2 } })), null);
});

test('every documented imageGen recipe body gives details without throwing, and its prompt comes back whole', (t) => {
  const dir = path.resolve('../shared/reference/civitai-docs/orchestration/recipes');
  if (!fs.existsSync(dir)) return t.skip('../shared/reference is not here');
  let checked = 0;
  for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.md')) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const block of text.matchAll(/```json\n([\s\S]*?)```/g)) {
      let body: { steps?: Array<{ $type?: string; input?: Record<string, unknown> }> };
      try { body = JSON.parse(block[1]) as typeof body; } catch { continue; }
      for (const s of Array.isArray(body.steps) ? body.steps : []) {
        if (s.$type !== 'imageGen' || !s.input) continue;
        const d = buildStepDetails(step(s.input));
        assert.ok(d, file);
        if (typeof s.input.prompt === 'string' && s.input.prompt.trim()) assert.equal(d.prompt, s.input.prompt, file);
        checked++;
      }
    }
  }
  assert.ok(checked > 10, `only ${checked} imageGen bodies found`);
});

test('AIRs in words', () => {
  assert.equal(describeAir('urn:air:sd1:checkpoint:civitai:4384@128713'), 'Civitai checkpoint 4384, version 128713');
  assert.equal(describeAir('civitai:123'), 'Civitai resource 123');
  assert.equal(describeAir('not an air at all!'), 'not an air at all!');
});

test('cost in words: one sentence, and the three figures side by side only when they differ', () => {
  assert.deepEqual(describeCost({ estimate: 40, whatif: null, charged: { total: 40, currencies: { blue: 40 } } }, true),
    { summary: '40 Buzz, paid in Blue Buzz', comparison: [] });
  assert.deepEqual(describeCost({ estimate: 39.96, whatif: { total: 40, currencies: { blue: 40 } }, charged: { total: 40, currencies: { blue: 40 } } }, true).comparison, [],
    'figures that round to the same tenth agree');
  const differ = describeCost({ estimate: 20, whatif: { total: 24, currencies: { yellow: 24 } }, charged: { total: 24, currencies: { yellow: 24 } } }, true);
  assert.deepEqual(differ.comparison.map((r) => r.label), ['Estimate', 'Quote', 'Charged']);
  assert.equal(paidWith({ yellow: 30, blue: 10 }), 'paid as 30 Yellow Buzz and 10 Blue Buzz');
  assert.equal(describeCost({ estimate: 9.6, whatif: null, charged: null }, false).summary, 'About 9.6 Buzz (local estimate)');
  assert.match(describeCost({ estimate: null, whatif: { total: 5, currencies: {}, insufficientBuzz: true }, charged: null }, false).summary, /Not enough Buzz/);
  assert.equal(describeCost({ estimate: null, whatif: null, charged: null }, true).summary, 'The service reported no charge.');
  assert.doesNotMatch(JSON.stringify(describeCost({ estimate: 1, whatif: null, charged: { total: 1, currencies: { blue: 1 } } }, true)), /\(blue/, 'no "(blue 40 Buzz)" jargon');
});

const base = (extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  ...newSubmissionEntry({ key: 'k1', serviceUrl: 'http://127.0.0.1:1', emulator: true, label: 'portrait.civitai.json', fileUri: 'file:///w/portrait.civitai.json', body: {}, estimate: 20, now: '2026-03-10T10:00:00Z' }),
  pendingBody: undefined, status: 'succeeded', ...extra,
});

test('titles use the file name; a workflow opened by id is named by its steps, not its id', () => {
  assert.equal(entryTitle(base()), 'portrait');
  const byId = base({
    fileUri: undefined, label: 'workflow wf_dyCAfhTBWGkp', workflowId: 'wf_dyCAfhTBWGkp',
    snapshot: WorkflowSnapshotSchema.parse({ id: 'wf_dyCAfhTBWGkp', status: 'succeeded', steps: [
      { $type: 'imageGen', name: '0', status: 'succeeded' }, { $type: 'imageUpscaler', name: 'upscale', status: 'succeeded' },
    ] }),
  });
  assert.equal(entryTitle(byId), 'Step 1 · imageGen + 1 more step');
  assert.doesNotMatch(entryTitle(byId), /wf_/);
  const state = buildResultsState(byId, { srcFor: () => null, serviceLabel: 'Emulator' });
  assert.equal(state.title, 'Step 1 · imageGen + 1 more step');
  assert.equal(state.emulator, true);
  assert.equal(ResultsStateSchema.safeParse(state).success, true);
});

test('relative times, short and long', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  assert.equal(relativeTime('2026-03-10T11:59:50Z', now), 'just now');
  assert.equal(relativeTime('2026-03-10T11:55:00Z', now), '5 min ago');
  assert.equal(relativeTime('2026-03-10T11:55:00Z', now, true), '5m ago');
  assert.equal(relativeTime('2026-03-10T09:00:00Z', now, true), '3h ago');
  assert.equal(relativeTime('2026-03-08T12:00:00Z', now), '2 days ago');
  assert.equal(relativeTime('2026-01-01T12:00:00Z', now), '2026-01-01');
  assert.equal(relativeTime('garbage', now), 'garbage');
});

test('history rows fit a narrow side bar and two runs of one file differ; the tooltip has everything', () => {
  const now = new Date('2026-03-10T10:05:00Z');
  const snapshot = WorkflowSnapshotSchema.parse({ id: 'wf_1', status: 'succeeded', transactions: { list: [{ type: 'debit', amount: 20, accountType: 'blue' }] } });
  const images = [0, 1, 2, 3].map((i) => ({ blobId: `b${i}`, stepIndex: 0, stepName: '0', index: i, localPath: `/r/b${i}.png` }));
  const a = historyRow(base({ workflowId: 'wf_1', snapshot, images }), now);
  const b = historyRow(base({ key: 'k2', createdAt: '2026-03-10T09:00:00Z', status: 'failed' }), now);
  assert.equal(a.title, 'portrait');
  assert.equal(a.description, '20 Buzz · 4 img · 5m ago');
  assert.ok(`${a.title}  ${a.description}`.length <= 36, 'label and description fit ~250 px of a default side bar');
  assert.notEqual(a.description, b.description);
  assert.ok(a.details.some((l) => /emulator/.test(l)));
  assert.ok(a.details.includes('Cost: 20 Buzz, paid in Blue Buzz'), a.details.join(' | '));
  assert.ok(a.details.includes('Workflow wf_1'));
  assert.equal(b.ariaLabel, 'portrait ≈ 20 Buzz · 1h ago, Failed');
});

test('entries group by local day, newest day first', () => {
  const now = new Date(2026, 2, 10, 15, 0, 0);
  const at = (d: number, h: number) => new Date(2026, 2, d, h, 0, 0).toISOString();
  const entries = [base({ key: 'a', createdAt: at(10, 14) }), base({ key: 'b', createdAt: at(10, 9) }), base({ key: 'c', createdAt: at(9, 23) }), base({ key: 'd', createdAt: at(3, 8) })];
  const groups = groupByDay(entries, now);
  assert.deepEqual(groups.map((g) => [g.label, g.entries.map((e) => e.key)]).slice(0, 2), [['Today', ['a', 'b']], ['Yesterday', ['c']]]);
  assert.equal(groups.length, 3);
  assert.notEqual(groups[2].label, 'Today');
});
