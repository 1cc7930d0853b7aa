import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildResultsState, failureAdvice, newSubmissionEntry, WorkflowSnapshotSchema, compactSnapshot, chargedByCurrency, type HistoryEntry,
} from '../../src/core/history';
import { ResultsStateSchema } from '../../src/core/messages';

const workflow = (overrides: Record<string, unknown> = {}) => WorkflowSnapshotSchema.parse({
  id: 'wf_1',
  status: 'succeeded',
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: '2026-01-01T00:00:01Z',
  completedAt: '2026-01-01T00:00:09Z',
  transactions: { list: [{ type: 'debit', amount: 10, accountType: 'blue' }, { type: 'debit', amount: 3, accountType: 'yellow' }] },
  steps: [{
    $type: 'imageGen', name: '0', status: 'succeeded',
    input: { seed: 42, quantity: 1 },
    jobs: [{ id: 'j1', status: 'succeeded', cost: 13 }],
    output: { images: [
      { id: 'b1', type: 'image', available: true, url: 'https://x/b1.png', width: 1024, height: 1024 },
    ] },
  }],
  ...overrides,
});

const entryWith = (snapshot: ReturnType<typeof workflow>, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  ...newSubmissionEntry({ key: 'k', serviceUrl: 'u', emulator: true, label: 'cat.civitai.json', body: {}, estimate: 9.6, now: '2026-01-01T00:00:00Z' }),
  workflowId: 'wf_1', status: snapshot.status, snapshot, pendingBody: undefined, ...extra,
});

const view = { srcFor: (p: string) => `webview:${p}`, serviceLabel: 'Emulator' };

test('a succeeded workflow with a saved image shows it, its seed and the three costs', () => {
  const e = entryWith(workflow(), {
    images: [{ blobId: 'b1', stepIndex: 0, stepName: '0', index: 0, localPath: '/r/b1.png' }],
    whatif: { total: 13, currencies: { blue: 13 }, at: 't' },
  });
  const state = buildResultsState(e, view);
  assert.equal(ResultsStateSchema.safeParse(state).success, true);
  assert.equal(state.terminal, true);
  assert.equal(state.canCancel, false);
  assert.deepEqual(state.images.map((i) => [i.key, i.state, i.src, i.seed, i.fileName]), [['b1', 'saved', 'webview:/r/b1.png', 42, 'b1.png']]);
  assert.deepEqual(state.cost, {
    summary: '13 Buzz, paid as 10 Blue Buzz and 3 Yellow Buzz',
    comparison: [{ label: 'Estimate', value: '≈ 9.6 Buzz' }, { label: 'Quote', value: '13 Buzz' }, { label: 'Charged', value: '13 Buzz' }],
    estimate: 9.6, whatif: { total: 13, currencies: { blue: 13 }, insufficientBuzz: undefined }, charged: { total: 13, currencies: { blue: 10, yellow: 3 } },
  });
  assert.equal(state.steps[0].progress, 1);
});

test('images not yet downloaded are pending; withheld ones say why; a vanished file is missing', () => {
  const snap = workflow({
    status: 'processing',
    steps: [{ $type: 'imageGen', name: '0', status: 'processing', input: { quantity: 3, seed: 7 }, estimatedProgressRate: 40,
      jobs: [{ id: 'j', status: 'scheduled', queuePosition: { support: 'available', precedingJobs: 3, startAt: '2026-01-01T00:01:00Z' } }],
      output: { images: [
        { id: 'a', available: true, url: 'https://x/a' },
        { id: 'b', available: false, url: null, blockedReason: 'nsfw' },
        { id: 'c', available: true, url: 'https://x/c' },
      ] } }],
  });
  const state = buildResultsState(entryWith(snap, { images: [{ blobId: 'c', stepIndex: 0, stepName: '0', index: 2, localPath: '/r/c.png' }] }),
    { ...view, srcFor: () => null });
  assert.deepEqual(state.images.map((i) => i.state), ['pending', 'withheld', 'missing']);
  assert.match(state.images[1].note!, /nsfw/);
  assert.equal(state.images[0].seed, null, 'a batch does not guess per-image seeds');
  assert.equal(state.steps[0].progress, 0.4);
  assert.equal(state.steps[0].jobs[0].queuePosition, 3);
  assert.equal(state.canCancel, true);
  assert.equal(state.terminal, false);
  assert.equal(state.cost.whatif, null);
});

test('failed jobs carry the guide’s advice by reason', () => {
  const snap = workflow({
    status: 'failed', transactions: null,
    steps: [{ $type: 'imageGen', name: 'portrait', status: 'failed', jobs: [
      { id: 'j1', status: 'failed', reason: 'blocked', blockedReason: 'prompt' },
      { id: 'j2', status: 'failed', reason: 'no_provider_available' },
    ] }],
  });
  const state = buildResultsState(entryWith(snap), view);
  assert.deepEqual(state.failures.map((f) => [f.step, f.reason]), [['portrait', 'blocked'], ['portrait', 'no_provider_available']]);
  assert.match(state.failures[0].advice, /prompt/);
  assert.match(state.failures[0].advice, /change the prompt/);
  assert.match(state.failures[1].advice, /size/);
  assert.equal(state.cost.charged, null);
});

test('an expired workflow without job details still explains itself', () => {
  const snap = workflow({ status: 'expired', steps: [{ $type: 'imageGen', name: '0', status: 'expired', jobs: [] }] });
  const state = buildResultsState(entryWith(snap), view);
  assert.equal(state.failures.length, 1);
  assert.match(state.failures[0].advice, /deadline/);
});

test('failureAdvice covers the documented reasons and is honest about unknown ones', () => {
  assert.match(failureAdvice(null), /no reason/);
  assert.match(failureAdvice('timeout'), /safe/);
  assert.match(failureAdvice('weird_reason'), /weird_reason/);
});

test('an entry still being submitted has no steps and cannot be cancelled yet', () => {
  const e = newSubmissionEntry({ key: 'k', serviceUrl: 'u', emulator: false, label: 'l', body: {}, estimate: null, now: 'n' });
  const state = buildResultsState(e, view);
  assert.equal(state.status, 'submitting');
  assert.equal(state.workflowId, null);
  assert.equal(state.canCancel, false);
  assert.equal(ResultsStateSchema.safeParse(state).success, true);
});

test('credits offset debits per currency', () => {
  assert.deepEqual(chargedByCurrency({ list: [
    { type: 'debit', amount: 5, accountType: 'blue' }, { type: 'credit', amount: 5, accountType: 'blue' }, { type: 'debit', amount: 2, accountType: 'green' },
  ] }), { green: 2 });
});

test('compactSnapshot cuts long strings such as data-URL sources', () => {
  const snap = workflow({ steps: [{ $type: 'imageGen', name: '0', status: 'succeeded', input: { image: 'data:image/png;base64,' + 'A'.repeat(10000) } }] });
  const small = compactSnapshot(snap);
  const image = (small.steps[0].input as { image: string }).image;
  assert.ok(image.length < 200);
  assert.match(image, /10022 characters/);
  assert.equal(WorkflowSnapshotSchema.safeParse(small).success, true);
});
