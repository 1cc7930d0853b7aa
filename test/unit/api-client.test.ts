// The orchestrator client against the local emulator over loopback: every call, every fault.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  ApiError,
  failureReasons,
  OrchestratorClient,
  sleep as realSleep,
  workflowImages,
  type OrchestratorClientOptions,
  type Sleep,
} from '../../src/core/api';
import { decodePng } from '../../src/core/png';
import { createManualClock, startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator';

const TOKEN = 'tok_SECRET-9f8e7d6c5b4a';
const FAST: EmulatorOptions['timing'] = { unassignedMs: 4, preparingMs: 4, scheduledMs: 4, processingMs: 8 };

const anima = (extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...top,
  steps: [{ $type: 'imageGen', name: 'hero', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'a lighthouse', width: 256, height: 192, steps: 25, ...extra } }],
});

/** A sleep that records what it was asked to wait and then waits (almost) nothing. */
function recordingSleep(): { delays: number[]; sleep: Sleep } {
  const delays: number[] = [];
  return { delays, sleep: (ms, signal) => (delays.push(ms), realSleep(0, signal)) };
}

let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: FAST });
});
after(async () => {
  await emu.close();
});

function client(extra: Partial<OrchestratorClientOptions> = {}): OrchestratorClient {
  return new OrchestratorClient({ baseUrl: emu.url, token: TOKEN, sleep: recordingSleep().sleep, random: () => 0.5, ...extra });
}

const submits = (): typeof emu.requests => emu.requests.filter((r) => r.route === 'submit');
/** 200 or 202: whether a fast emulated workflow already ended depends on the machine's load. */
const accepted = (status: number): boolean => status === 200 || status === 202;

function assertNoToken(err: unknown): void {
  const views = [String(err), (err as Error)?.stack ?? '', JSON.stringify(err), inspect(err, { depth: 8 })];
  for (const v of views) assert.ok(!v.includes(TOKEN), `token leaked into: ${v.slice(0, 200)}`);
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assertNoToken(err);
    return err;
  }
  assert.fail('expected a rejection');
}

test('submit, poll to success, download real PNGs of the requested size', async () => {
  emu.faults.clear();
  const c = client({ sleep: (_ms, s) => realSleep(2, s) });
  const seen: string[] = [];
  const { workflow, externalId, httpStatus } = await c.submitWorkflow(anima({ quantity: 2, seed: 7 }));
  assert.equal(httpStatus, workflow.status === 'succeeded' ? 200 : 202);
  assert.match(externalId, /^[A-Za-z0-9_-]{1,128}$/);
  const done = await c.pollUntilTerminal(workflow.id!, { onProgress: (p) => seen.push(p.status) });
  assert.equal(done.status, 'succeeded');
  assert.equal(seen.at(-1), 'succeeded');
  const images = workflowImages(done);
  assert.equal(images.length, 2);
  const pngs = await Promise.all(images.map((i) => c.downloadImage(i.blob)));
  for (const png of pngs) {
    const img = decodePng(png);
    assert.deepEqual([img.width, img.height], [256, 192]);
  }
  assert.notDeepEqual(pngs[0], pngs[1], 'seeds 7 and 8 give different images');
  assert.equal(done.cost?.total, Math.ceil((8 * 256 * 192 * 25 * 2) / (1024 * 1024 * 25)));
  // Blob content is fetched without the token: signed URLs may live on another host.
  const contentRequests = emu.requests.filter((r) => r.route === 'blobContent');
  assert.ok(contentRequests.length >= 2);
  assert.ok(contentRequests.every((r) => !r.authorized));
});

test('wait: 200 when the workflow ends in time', async () => {
  const c = client();
  const r = await c.submitWorkflow(anima(), { wait: 5 });
  assert.equal(r.httpStatus, 200);
  assert.equal(r.workflow.status, 'succeeded');
});

test('the idempotency key reaches the caller before the request is sent', async () => {
  const c = client();
  const before = submits().length;
  let sentBeforeCallback = -1;
  const r = await c.submitWorkflow(anima(), {
    onExternalId: async (key) => {
      await realSleep(5);
      sentBeforeCallback = submits().length - before;
      assert.match(key, /^[A-Za-z0-9_-]+$/);
    },
  });
  assert.equal(sentBeforeCallback, 0);
  assert.equal(submits().at(-1)?.externalId, r.externalId);
});

test('429 honours Retry-After and the retry carries the same externalId', async () => {
  emu.faults.clear();
  emu.clearRequests();
  const rec = recordingSleep();
  const c = client({ sleep: rec.sleep });
  emu.faults.inject('submit', { type: 'status', status: 429, retryAfter: '3' });
  const r = await c.submitWorkflow(anima());
  assert.deepEqual(rec.delays, [3000]);
  const posts = submits();
  assert.equal(posts.length, 2);
  assert.equal(posts[0].status, 429);
  assert.ok(accepted(posts[1].status));
  assert.equal(posts[0].externalId, r.externalId);
  assert.equal(posts[1].externalId, r.externalId);
});

test('Retry-After as an HTTP date', async () => {
  emu.faults.clear();
  const rec = recordingSleep();
  const now = Date.parse('2026-03-01T10:00:00Z');
  const c = client({ sleep: rec.sleep, now: () => now });
  emu.faults.inject('getWorkflow', { type: 'status', status: 429, retryAfter: 'Sun, 01 Mar 2026 10:00:04 GMT' });
  const { workflow } = await c.submitWorkflow(anima());
  await c.getWorkflow(workflow.id!);
  assert.deepEqual(rec.delays, [4000]);
});

test('500 and 503 are retried with exponential backoff and full jitter', async () => {
  emu.faults.clear();
  emu.clearRequests();
  const rec = recordingSleep();
  const c = client({ sleep: rec.sleep, random: () => 0.5 });
  emu.faults.inject('submit', { type: 'status', status: 500 }).inject('submit', { type: 'status', status: 503 });
  const r = await c.submitWorkflow(anima());
  assert.deepEqual(rec.delays, [500, 1000]);
  assert.equal(submits().length, 3);
  assert.ok(submits().every((p) => p.externalId === r.externalId));
  assert.equal(emu.requests.filter((x) => x.route === 'submit' && accepted(x.status)).length, 1);
});

test('gives up after five tries', async () => {
  emu.faults.clear();
  emu.clearRequests();
  const rec = recordingSleep();
  const c = client({ sleep: rec.sleep });
  emu.faults.inject('queryWorkflows', { type: 'status', status: 502 }, 10);
  const err = await rejection(c.queryWorkflows({ tags: ['x'] }));
  assert.equal(err.kind, 'server');
  assert.equal(err.status, 502);
  assert.equal(err.attempts, 5);
  assert.equal(emu.requests.filter((r) => r.route === 'queryWorkflows').length, 5);
  assert.equal(rec.delays.length, 4);
  emu.faults.clear();
});

test('400, 401, 403 and 404 are never retried, and explain themselves', async () => {
  emu.faults.clear();
  emu.clearRequests();
  const c = client();
  const invalid = await rejection(c.submitWorkflow(anima({ width: 99999 })));
  assert.equal(invalid.kind, 'validation');
  assert.deepEqual(Object.keys(invalid.validationErrors ?? {}), ['steps[0].input.width']);
  assert.equal(invalid.retryable, false);

  emu.faults.inject('submit', { type: 'status', status: 403, detail: 'Mature content is not allowed for this tier.' });
  const forbidden = await rejection(c.submitWorkflow(anima()));
  assert.equal(forbidden.kind, 'forbidden');
  assert.match(forbidden.message, /Mature content is not allowed/);

  const missing = await rejection(c.getWorkflow('wf_doesnotexist'));
  assert.equal(missing.kind, 'not-found');

  const locked = await startEmulator({ token: 'the-only-token', timing: FAST });
  try {
    const wrong = await rejection(new OrchestratorClient({ baseUrl: locked.url, token: TOKEN, sleep: recordingSleep().sleep }).getWorkflow('wf_x'));
    assert.equal(wrong.kind, 'auth');
    assert.match(wrong.hint, /token/i);
    const none = await rejection(new OrchestratorClient({ baseUrl: locked.url, sleep: recordingSleep().sleep }).getWorkflow('wf_x'));
    assert.equal(none.kind, 'auth');
    assert.equal(locked.requests.length, 2);
  } finally {
    await locked.close();
  }
  assert.deepEqual(emu.requests.map((r) => r.status), [400, 403, 404]);
});

test('a dropped answer to a submission is retried with the same key: exactly one workflow exists', async () => {
  emu.faults.clear();
  emu.clearRequests();
  const before = emu.workflowCount();
  emu.faults.inject('submit', { type: 'drop', after: 'work' });
  const c = client();
  const r = await c.submitWorkflow(anima());
  const posts = submits();
  assert.equal(posts.length, 2);
  assert.equal(posts[0].status, 0, 'the first answer was dropped');
  assert.ok(accepted(posts[1].status));
  assert.equal(posts[0].externalId, r.externalId);
  assert.equal(posts[1].externalId, r.externalId);
  assert.equal(emu.workflowCount(), before + 1);
});

test('an unreadable answer is a bad-response error, not a crash; re-posting the key re-attaches', async () => {
  emu.faults.clear();
  const before = emu.workflowCount();
  emu.faults.inject('submit', { type: 'malformed' });
  const c = client();
  let key = '';
  const err = await rejection(c.submitWorkflow(anima(), { onExternalId: (k) => void (key = k) }));
  assert.equal(err.kind, 'bad-response');
  assert.match(err.message, /not JSON/);
  assert.equal(submits().filter((p) => p.externalId === key).length, 1, 'not retried');
  const again = await c.submitWorkflow(anima(), { externalId: key });
  assert.equal(emu.workflowCount(), before + 1);
  assert.ok(again.workflow.id);

  // A GET is retried on a malformed answer (reading changes nothing upstream) …
  emu.clearRequests();
  emu.faults.inject('getWorkflow', { type: 'malformed' });
  assert.equal((await c.getWorkflow(again.workflow.id!)).id, again.workflow.id);
  assert.equal(emu.requests.filter((r) => r.method === 'GET').length, 2, 'one retry after the malformed answer');
  // … and gives up after the policy's attempts when it stays malformed.
  emu.faults.inject('getWorkflow', { type: 'malformed', body: '{"id":"x","status":"exploded","steps":[]}' }, 5);
  const shape = await rejection(c.getWorkflow(again.workflow.id!));
  assert.equal(shape.attempts, 5);
  assert.equal(shape.kind, 'bad-response');
  assert.match(shape.message, /status/);
});

test('timeouts are retried (the key makes that safe)', async () => {
  emu.faults.clear();
  emu.clearRequests();
  const c = client({ requestTimeoutMs: 2_500 });
  emu.faults.inject('submit', { type: 'delay', ms: 600_000 });
  const before = emu.workflowCount();
  const r = await c.submitWorkflow(anima());
  assert.ok(r.workflow.id);
  assert.equal(emu.workflowCount(), before + 1);
  const err = await rejection(client({ requestTimeoutMs: 50, retry: { maxAttempts: 1 } }).getWorkflow((emu.faults.inject('getWorkflow', { type: 'delay', ms: 600_000 }), r.workflow.id!)));
  assert.equal(err.kind, 'timeout');
  emu.faults.clear();
});

test('previewCost never sends the key, so the later submission really runs', async () => {
  emu.faults.clear();
  emu.clearRequests();
  const c = client({ sleep: (_ms, s) => realSleep(2, s) });
  const body = anima({}, { externalId: 'preview-then-run-1' });
  const preview = await c.previewCost(body);
  assert.equal(preview.workflow.id ?? null, null);
  assert.equal(preview.total, 1); // 8 × (256×192/1024²) × 25/25 = 0.375, charged as a whole Buzz
  const whatifs = emu.requests.filter((r) => r.route === 'whatif');
  assert.equal(whatifs.length, 1);
  assert.equal(whatifs[0].externalId, undefined);
  const before = emu.workflowCount();
  const run = await c.submitWorkflow(body);
  assert.equal(run.externalId, 'preview-then-run-1');
  assert.ok(run.workflow.id);
  assert.equal(emu.workflowCount(), before + 1);
  assert.equal((await c.pollUntilTerminal(run.workflow.id!)).status, 'succeeded');
});

test('a submission answered with a whatif echo (no id) is refused, not taken for a run', async () => {
  const c = client();
  // Someone else previewed with the key (the trap the client avoids in previewCost).
  const res = await fetch(`${emu.url}/v2/consumer/workflows?whatif=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(anima({}, { externalId: 'trap-key' })),
  });
  assert.equal(res.status, 200);
  const err = await rejection(c.submitWorkflow(anima({}, { externalId: 'trap-key' })));
  assert.equal(err.kind, 'bad-response');
  assert.match(err.message, /no id/);
});

/** A sleep that never ends by itself: only the client's own abort handling can stop the wait. */
const hang: Sleep = () => new Promise<void>(() => undefined);

// A regression here would hang on a 10-minute wait; the timeout turns that into a failure.
test('AbortSignal stops waiting at once: in flight, during backoff, between polls', { timeout: 60_000 }, async () => {
  emu.faults.clear();

  // In flight: the service holds the answer for ten minutes; abort once it has the request.
  emu.faults.inject('submit', { type: 'delay', ms: 600_000 });
  let controller = new AbortController();
  const inFlight = client({ sleep: hang }).submitWorkflow(anima(), { signal: controller.signal });
  while (!emu.requests.some((r) => r.route === 'submit' && r.fault === 'delay')) await realSleep(5);
  controller.abort();
  let err = await rejection(inFlight);
  assert.equal(err.kind, 'aborted');

  // During a backoff wait (Retry-After: 50 s), with a sleep that never ends by itself.
  emu.faults.clear();
  emu.faults.inject('submit', { type: 'status', status: 429, retryAfter: '50' });
  controller = new AbortController();
  const backoff = client({ sleep: hang, onRetry: () => void setTimeout(() => controller.abort(), 0) });
  err = await rejection(backoff.submitWorkflow(anima(), { signal: controller.signal }));
  assert.equal(err.kind, 'aborted');
  assert.equal(err.operation, 'POST /v2/consumer/workflows');

  // Between polls: abort while waiting for the next poll.
  const slow = await startEmulator({ timing: { processingMs: 600_000 } });
  try {
    const sc = new OrchestratorClient({ baseUrl: slow.url, token: TOKEN, sleep: hang });
    const { workflow } = await sc.submitWorkflow(anima());
    controller = new AbortController();
    let polls = 0;
    const pending = sc.pollUntilTerminal(workflow.id!, {
      signal: controller.signal,
      onProgress: () => {
        polls++;
        setTimeout(() => controller.abort(), 0);
      },
    });
    err = await rejection(pending);
    assert.equal(err.kind, 'aborted');
    assert.equal(polls, 1);
  } finally {
    await slow.close();
  }
  // An already-aborted signal sends nothing.
  emu.clearRequests();
  err = await rejection(client().getWorkflow('wf_x', { signal: AbortSignal.abort() }));
  assert.equal(err.kind, 'aborted');
  assert.equal(emu.requests.length, 0);
});

test('cancel (DeleteWorkflow): 204, then the workflow is gone; a retried delete that already worked succeeds', async () => {
  emu.faults.clear();
  const slow = await startEmulator({ timing: { processingMs: 600_000 } });
  try {
    const c = new OrchestratorClient({ baseUrl: slow.url, token: TOKEN, sleep: recordingSleep().sleep });
    const { workflow } = await c.submitWorkflow(anima());
    await c.cancelWorkflow(workflow.id!);
    assert.equal((await rejection(c.getWorkflow(workflow.id!))).kind, 'not-found');

    const second = await c.submitWorkflow(anima());
    slow.faults.inject('deleteWorkflow', { type: 'drop', after: 'work' });
    await c.cancelWorkflow(second.workflow.id!);
    assert.deepEqual(slow.requests.filter((r) => r.route === 'deleteWorkflow').map((r) => r.status), [204, 0, 404]);
    assert.equal((await rejection(c.cancelWorkflow('wf_never'))).kind, 'not-found');
  } finally {
    await slow.close();
  }
});

test('queryWorkflows by tag, with paging', async () => {
  emu.faults.clear();
  const c = client();
  const tag = `batch-${Date.now()}`;
  const ids = new Set<string>();
  for (let i = 0; i < 3; i++) ids.add((await c.submitWorkflow(anima({}, { tags: [tag, `n${i}`] }))).workflow.id!);
  const first = await c.queryWorkflows({ tags: [tag], take: 2 });
  assert.equal(first.items.length, 2);
  assert.ok(first.next);
  const second = await c.queryWorkflows({ tags: [tag], take: 2, cursor: first.next! });
  assert.equal(second.items.length, 1);
  assert.deepEqual(new Set([...first.items, ...second.items].map((w) => w.id)), ids);
  const both = await c.queryWorkflows({ tags: [tag, 'n1'] });
  assert.equal(both.items.length, 1);
});

test('blobs: GetBlob redirects to a signed URL, refresh gives a new one, expired URLs are refreshed on download', async () => {
  const clock = createManualClock();
  const short = await startEmulator({ timing: FAST, blobUrlTtlMs: 60_000, clock });
  try {
    const c = new OrchestratorClient({ baseUrl: short.url, token: TOKEN, sleep: (_m, s) => realSleep(2, s) });
    const { workflow } = await c.submitWorkflow(anima(), { wait: 5 });
    const [image] = workflowImages(workflow);
    const { url } = await c.getBlob(image.blob.id);
    assert.match(url, /\/v2\/consumer\/blobs\/content\//);
    const fresh = await c.refreshBlobUrl(image.blob.id);
    assert.equal(fresh.id, image.blob.id);
    assert.ok(fresh.url && fresh.url !== image.blob.url);
    clock.advance(120_000); // both URLs seen so far have expired
    const expired = await rejection(c.downloadBlob(image.blob.url!));
    assert.equal(expired.kind, 'forbidden');
    assert.match(expired.hint, /expired/);
    const bytes = await c.downloadImage(image.blob); // refreshes, then downloads
    assert.equal(decodePng(bytes).width, 256);
    assert.equal((await rejection(c.getBlob('blob_nope'))).kind, 'not-found');
  } finally {
    await short.close();
  }
});

test('step failures: blocked and no_provider_available come back with reasons; dependants are canceled', async () => {
  emu.faults.clear();
  const c = client({ sleep: (_m, s) => realSleep(2, s) });
  emu.faults.failNextWorkflow({ reason: 'blocked', blockedReason: 'Prompt flagged by moderation' });
  const chain = {
    steps: [
      (anima().steps as unknown[])[0],
      { $type: 'imageUpscaler', input: { image: { $ref: 'hero', path: 'output.images[0].url' } } },
    ],
  };
  const blocked = await c.pollUntilTerminal((await c.submitWorkflow(chain)).workflow.id!);
  assert.equal(blocked.status, 'failed');
  assert.deepEqual(blocked.steps.map((s) => s.status), ['failed', 'canceled']);
  assert.deepEqual(failureReasons(blocked), [{ stepName: 'hero', reason: 'blocked', blockedReason: 'Prompt flagged by moderation' }]);

  emu.faults.failNextWorkflow({ reason: 'no_provider_available' });
  const none = await c.pollUntilTerminal((await c.submitWorkflow(anima())).workflow.id!);
  assert.equal(none.status, 'failed');
  assert.equal(failureReasons(none)[0].reason, 'no_provider_available');
  assert.equal(workflowImages(none).length, 0);
});

test('the token never appears in any error, even when the server echoes it', async () => {
  emu.faults.clear();
  const c = client();
  emu.faults.inject('submit', { type: 'status', status: 400, detail: `Your token ${TOKEN} is odd` });
  const echoed = await rejection(c.submitWorkflow(anima()));
  assert.match(echoed.message, /\[redacted\]/);

  // network: nobody listens any more
  const gone = await startEmulator();
  const goneUrl = gone.url;
  await gone.close();
  const network = await rejection(new OrchestratorClient({ baseUrl: goneUrl, token: TOKEN, sleep: recordingSleep().sleep }).getWorkflow('wf_1'));
  assert.equal(network.kind, 'network');
  assert.equal(network.attempts, 5);

  // rate-limited beyond the longest wait we accept, server error, not found, aborted, bad-response
  emu.faults.inject('getWorkflow', { type: 'status', status: 429, retryAfter: '3600' });
  const limited = await rejection(c.getWorkflow('wf_1'));
  assert.equal(limited.kind, 'rate-limited');
  assert.equal(limited.retryAfterMs, 3_600_000);
  emu.faults.inject('getWorkflow', { type: 'status', status: 500 }, 5);
  assert.equal((await rejection(c.getWorkflow('wf_1'))).kind, 'server');
  assert.equal((await rejection(c.getWorkflow('wf_1'))).kind, 'not-found');
  assert.equal((await rejection(c.getWorkflow('wf_1', { signal: AbortSignal.abort() }))).kind, 'aborted');
  const existing = (await c.submitWorkflow(anima())).workflow.id!;
  emu.faults.inject('getWorkflow', { type: 'malformed' }, 5);
  assert.equal((await rejection(c.getWorkflow(existing))).kind, 'bad-response');
  emu.faults.inject('getWorkflow', { type: 'delay', ms: 600_000 });
  assert.equal((await rejection(client({ requestTimeoutMs: 30, retry: { maxAttempts: 1 } }).getWorkflow('wf_1'))).kind, 'timeout');

  // and the client itself does not print it
  assert.ok(!inspect(c).includes(TOKEN));
  assert.ok(!JSON.stringify(c).includes(TOKEN));
  emu.faults.clear();
});

test('plain http to a non-loopback host is refused when a token would travel', () => {
  assert.throws(() => new OrchestratorClient({ baseUrl: 'http://example.com', token: TOKEN }), /plain http/);
  assert.doesNotThrow(() => new OrchestratorClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN }));
  assert.doesNotThrow(() => new OrchestratorClient({ baseUrl: 'http://example.com' }));
  assert.throws(() => new OrchestratorClient({ baseUrl: 'ftp://example.com' }), /http/);
  try {
    new OrchestratorClient({ baseUrl: 'http://example.com', token: TOKEN });
  } catch (err) {
    assertNoToken(err);
  }
});
