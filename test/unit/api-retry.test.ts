import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortedError,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  pollDelay,
  POLL_CADENCE_MS,
  sleep,
} from '../../src/core/api/retry';
import { generateExternalId, isValidExternalId, withExternalId, withoutExternalId } from '../../src/core/api/external-id';
import { summarizeProgress } from '../../src/core/api/progress';
import { WorkflowSchema } from '../../src/core/api/schemas';

test('backoff: full jitter under an exponential ceiling capped at 30 s', () => {
  const p = DEFAULT_RETRY_POLICY;
  // random() just below 1 shows the ceiling; 0 shows the floor.
  const top = (n: number): number => backoffDelay(n, p, () => 0.999999);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 10].map(top), [999, 1999, 3999, 7999, 15999, 29999, 29999]);
  assert.equal(backoffDelay(3, p, () => 0), 0);
  assert.equal(backoffDelay(3, p, () => 0.5), 2000);
});

test('Retry-After: seconds, HTTP dates, garbage', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('7', now), 7000);
  // RFC 9110: delta-seconds is digits only, and the dates have three fixed forms. Anything else
  // (a sign, a fraction, a bare year that Date.parse would read as 2001) falls back to backoff.
  assert.equal(parseRetryAfter('0.5', now), undefined);
  assert.equal(parseRetryAfter('-5', now), undefined);
  assert.equal(parseRetryAfter('+5', now), undefined);
  assert.equal(parseRetryAfter('2001', now), 2_001_000);
  assert.equal(parseRetryAfter('2001-01-01', now), undefined);
  assert.equal(parseRetryAfter('Thursday, 01-Jan-26 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Thu Jan  1 00:00:45 2026', now), 45_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:12 +0000', now), undefined);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:12 GMT', now), 12_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

test('poll cadence is the documented 2, 5, 10, 15, then 30 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 50].map((n) => pollDelay(n)), [2000, 5000, 10_000, 15_000, 30_000, 30_000, 30_000]);
  assert.deepEqual(POLL_CADENCE_MS, [2000, 5000, 10_000, 15_000, 30_000]);
});

// Without the abort this would wait ten minutes; the timeout turns a regression into a failure.
test('sleep ends at once when its signal aborts, and refuses an already aborted one', { timeout: 60_000 }, async () => {
  const controller = new AbortController();
  const pending = sleep(600_000, controller.signal);
  setTimeout(() => controller.abort(), 5);
  await assert.rejects(pending, AbortedError);
  await assert.rejects(sleep(10, controller.signal), AbortedError);
  await sleep(1); // and plain sleeps resolve
});

test('external ids: generated keys match the contract pattern; the body key is kept; previews drop it', () => {
  for (let i = 0; i < 50; i++) assert.ok(isValidExternalId(generateExternalId()));
  assert.equal(isValidExternalId('a'.repeat(128)), true);
  assert.equal(isValidExternalId('a'.repeat(129)), false);
  assert.equal(isValidExternalId('has space'), false);
  assert.equal(isValidExternalId(''), false);

  const kept = withExternalId({ steps: [], externalId: 'mine_1' });
  assert.equal(kept.externalId, 'mine_1');
  const explicit = withExternalId({ steps: [], externalId: 'mine_1' }, 'other-2');
  assert.equal(explicit.externalId, 'other-2');
  assert.equal(explicit.body.externalId, 'other-2');
  const fresh = withExternalId({ steps: [], externalId: 'bad key!' });
  assert.notEqual(fresh.externalId, 'bad key!');
  assert.ok(isValidExternalId(fresh.body.externalId));
  assert.throws(() => withExternalId({}, 'no good'), TypeError);
  assert.deepEqual(withoutExternalId({ steps: [1], externalId: 'k' }), { steps: [1] });
});

test('progress summary: mean over steps, finished steps count 1, first queued job position', () => {
  const wf = WorkflowSchema.parse({
    id: 'wf_1',
    status: 'processing',
    steps: [
      { $type: 'imageGen', name: 'a', status: 'succeeded', jobs: [] },
      { $type: 'imageGen', name: 'b', status: 'processing', estimatedProgressRate: 0.5, jobs: [] },
      {
        $type: 'imageUpscaler',
        name: 'c',
        status: 'scheduled',
        jobs: [{ id: 'j', status: 'scheduled', cost: 1, queuePosition: { support: 'available', precedingJobs: 2 } }],
      },
    ],
  });
  const p = summarizeProgress(wf);
  assert.equal(p.estimatedProgressRate, 0.5);
  assert.equal(p.queuePosition, 2);
  assert.equal(p.terminal, false);
  const fresh = summarizeProgress(WorkflowSchema.parse({ id: 'x', status: 'unassigned', steps: [{ $type: 'imageGen', name: '0', status: 'unassigned' }] }));
  assert.equal(fresh.estimatedProgressRate, null);
  assert.equal(fresh.queuePosition, null);
});
