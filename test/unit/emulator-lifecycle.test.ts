// The emulator's clock-driven lifecycle, evaluated at chosen instants (no real time involved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStates, rollUp, terminalAt, type StepTiming } from '../../src/emulator/model';
import { planWorkflow, type PlanContext } from '../../src/emulator/plan';
import { LruMap } from '../../src/emulator/lru';
import { BlobSigner } from '../../src/emulator/signing';
import { FaultController } from '../../src/emulator/faults';

const T: StepTiming = { unassignedMs: 100, preparingMs: 200, scheduledMs: 100, processingMs: 400 }; // 800 per step
const ctx = (extra: Partial<PlanContext> = {}): PlanContext => ({ owner: 'u', now: 0, maxImagePixels: 4096 * 4096, blobByUrl: () => undefined, ...extra });
const gen = (name: string, input: Record<string, unknown> = {}) => ({
  $type: 'imageGen',
  name,
  input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:1@2', prompt: 'x', ...input },
});

function plan(body: Record<string, unknown>, extra: Partial<PlanContext> = {}) {
  const r = planWorkflow(body, ctx(extra));
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.workflow;
}

test('one step walks unassigned → preparing → scheduled → processing → succeeded', () => {
  const wf = plan({ steps: [gen('a')] });
  const at = (t: number) => computeStates(wf, T, t)[0];
  assert.deepEqual(
    [0, 50, 150, 299, 350, 450, 700, 799, 800, 5000].map((t) => at(t).status),
    ['unassigned', 'unassigned', 'preparing', 'preparing', 'scheduled', 'processing', 'processing', 'processing', 'succeeded', 'succeeded'],
  );
  // estimatedProgressRate: download progress while preparing, generation progress while processing, null otherwise.
  assert.equal(at(50).progress, null);
  assert.equal(at(200).progress, 0.5);
  assert.equal(at(350).progress, null);
  assert.equal(at(600).progress, 0.5);
  assert.equal(at(900).progress, null);
  // Queue position falls while waiting and is gone once processing.
  const queue = [0, 150, 350, 450].map((t) => at(t).precedingJobs);
  assert.equal(queue[0], 3);
  assert.ok(queue[1]! <= 3 && queue[2]! <= queue[1]!);
  assert.equal(queue[3], null);
  assert.equal(terminalAt(wf, T), 800);
});

test('a step fed by another starts when its source ends; the workflow rolls up', () => {
  const wf = plan({ steps: [gen('hero', { width: 512, height: 512 }), { $type: 'imageUpscaler', input: { image: { $ref: 'hero', path: 'output.images[0].url' } } }] });
  assert.deepEqual(wf.steps[1].deps, [0]);
  assert.deepEqual([wf.steps[1].blobs[0].width, wf.steps[1].blobs[0].height], [1024, 1024]);
  const at = (t: number) => computeStates(wf, T, t);
  assert.deepEqual(at(500).map((s) => s.status), ['processing', 'unassigned']);
  assert.equal(at(500)[1].precedingJobs, null, 'not queued before its source ends');
  assert.deepEqual(at(850).map((s) => s.status), ['succeeded', 'unassigned']);
  assert.equal(at(850)[1].precedingJobs, 3, 'queued once its source is done');
  assert.equal(rollUp(at(850)).status, 'processing');
  assert.deepEqual(at(1600).map((s) => s.status), ['succeeded', 'succeeded']);
  assert.equal(rollUp(at(1600)).status, 'succeeded');
  assert.equal(rollUp(at(1600)).completedAt, 1600);
});

test('a failing step fails the workflow and cancels the steps that need it', () => {
  const wf = plan(
    { steps: [gen('hero'), { $type: 'imageUpscaler', input: { image: { $ref: 'hero', path: 'output.images[0].url' } } }] },
    { stepFailure: { reason: 'no_provider_available' } },
  );
  const states = computeStates(wf, T, 900);
  assert.deepEqual(states.map((s) => s.status), ['failed', 'canceled']);
  assert.equal(states[0].failure?.reason, 'no_provider_available');
  assert.equal(rollUp(states).status, 'failed');
});

test('cancel: running steps stop, finished ones stay finished', () => {
  const wf = plan({ steps: [gen('a'), gen('b', { steps: 30 })] });
  wf.canceledAt = 500;
  assert.deepEqual(computeStates(wf, T, 350).map((s) => s.status), ['scheduled', 'scheduled']);
  assert.deepEqual(computeStates(wf, T, 450).map((s) => s.status), ['processing', 'processing']);
  assert.deepEqual(computeStates(wf, T, 600).map((s) => s.status), ['canceled', 'canceled']);
  assert.equal(rollUp(computeStates(wf, T, 600)).status, 'canceled');
  const done = plan({ steps: [gen('a')] });
  done.canceledAt = 900;
  assert.equal(computeStates(done, T, 1000)[0].status, 'succeeded');
});

test('planning: $arguments resolved, quantity seeds, prices from the estimate, service-style errors', () => {
  const wf = plan({ arguments: { seed: 10, n: 3 }, steps: [gen('a', { seed: { $ref: '$arguments', path: 'seed' }, quantity: { $ref: '$arguments', path: 'n' } })] });
  assert.deepEqual(wf.steps[0].blobs.map((b) => (b.recipe.kind === 'pattern' ? b.recipe.seed : null)), [10, 11, 12]);
  assert.equal(wf.steps[0].jobs.length, 3);
  assert.equal(wf.steps[0].buzz, 24); // SDXL sdcpp default 1024², 20 steps: 8 per image
  assert.deepEqual(wf.cost, { base: 24, total: 24, tips: { civitai: 0, creators: 0 }, factors: { a: 24 } });

  const bad = planWorkflow(
    { steps: [gen('a'), gen('a'), { $type: 'teleport', input: {} }, { $type: 'imageUpscaler', input: { image: { $ref: 'nobody', path: 'output.blob.url' } } }] },
    ctx(),
  );
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.deepEqual(Object.keys(bad.errors).sort(), ['steps[1].name', 'steps[2].$type', 'steps[3].input.image']);
  }
  const remote = planWorkflow({ steps: [{ $type: 'imageUpscaler', input: { image: 'https://example.com/x.png' } }] }, ctx());
  assert.ok(!remote.ok && /could not be loaded/.test(remote.errors['steps[0].input.image'][0]));
  const cycle = planWorkflow({ steps: [{ $type: 'imageUpscaler', name: 'a', input: { image: { $ref: 'b', path: 'output.blob.url' } } }, { $type: 'imageUpscaler', name: 'b', input: { image: { $ref: 'a', path: 'output.blob.url' } } }] }, ctx());
  assert.ok(!cycle.ok && cycle.errors.steps);
});

test('outputs over the pixel limit fail with no_provider_available instead of exhausting memory', () => {
  const wf = plan(
    { steps: [gen('hero', { width: 1024, height: 1024 }), { $type: 'imageUpscaler', input: { image: { $ref: 'hero', path: 'output.images[0].url' }, numberOfRepeats: 3 } }] },
    { maxImagePixels: 2048 * 2048 },
  );
  assert.equal(wf.steps[1].failure?.reason, 'no_provider_available');
  assert.equal(wf.steps[0].failure, undefined);
});

test('LRU map: evicts least recently used by count and by weight', () => {
  const evicted: string[] = [];
  const m = new LruMap<string, Uint8Array>(3, 10, (v) => v.length, (k) => evicted.push(k));
  m.set('a', new Uint8Array(2));
  m.set('b', new Uint8Array(2));
  m.set('c', new Uint8Array(2));
  m.get('a');
  m.set('d', new Uint8Array(2)); // count: b goes (a was used)
  assert.deepEqual(evicted, ['b']);
  m.set('e', new Uint8Array(7)); // weight: c, a, d … until ≤ 10
  assert.ok(m.weight <= 10);
  assert.ok(m.has('e'));
  m.set('huge', new Uint8Array(50)); // alone over the cap: kept, everything else goes
  assert.equal(m.size, 1);
});

test('blob URL signatures: valid until expiry, tamper-proof', () => {
  const s = new BlobSigner('k');
  const token = s.sign({ blobId: 'blob_1', expiresAt: 1000 });
  assert.deepEqual(s.verify(token, 999), { ok: true, token: { blobId: 'blob_1', expiresAt: 1000 } });
  assert.equal(s.verify(token, 1000).ok, false);
  assert.equal((s.verify(token, 1000) as { problem: string }).problem, 'expired');
  const [payload] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ b: 'blob_2', e: 1000 })).toString('base64url') + token.slice(payload.length);
  assert.equal((s.verify(forged, 0) as { problem: string }).problem, 'bad-signature');
  assert.equal((new BlobSigner('other').verify(token, 0) as { problem: string }).problem, 'bad-signature');
  assert.equal((s.verify('garbage', 0) as { problem: string }).problem, 'malformed');
});

test('fault controller: counts uses, matches routes, plans step failures', () => {
  const f = new FaultController();
  f.inject('submit', { type: 'status', status: 500 }, 2).inject('any', { type: 'delay', ms: 1 });
  assert.equal(f.pending, 3);
  assert.equal(f.take('getWorkflow')?.type, 'delay');
  assert.equal(f.take('submit')?.type, 'status');
  assert.equal(f.take('submit')?.type, 'status');
  assert.equal(f.take('submit'), undefined);
  f.failNextWorkflow({ reason: 'blocked' });
  assert.equal(f.takeStepFailure()?.reason, 'blocked');
  assert.equal(f.takeStepFailure(), undefined);
});
