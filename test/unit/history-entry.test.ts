import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseHistory, upsertEntry, pruneHistory, isUnfinished, newIdempotencyKey, withStatus, newSubmissionEntry,
  IDEMPOTENCY_KEY_PATTERN, type HistoryEntry,
} from '../../src/core/history';

const entry = (key: string, status: HistoryEntry['status'], createdAt = '2026-01-01T00:00:00.000Z'): HistoryEntry => ({
  ...newSubmissionEntry({ key, serviceUrl: 'https://x', emulator: false, label: key, body: { steps: [] }, estimate: 1, now: createdAt }),
  status,
});

test('parseHistory keeps valid entries and drops corrupt ones with a reason', () => {
  const good = entry('k1', 'succeeded');
  const raw = [good, { key: 'bad key with spaces' }, 42, { ...good, status: 'exploded' }, good];
  const { entries, dropped } = parseHistory(JSON.parse(JSON.stringify(raw)));
  assert.deepEqual(entries.map((e) => e.key), ['k1']);
  assert.equal(dropped.length, 4);
  assert.match(dropped[0], /^entry 1: /);
  assert.match(dropped[2], /status/);
  assert.match(dropped[3], /duplicate/);
});

test('parseHistory tolerates nothing stored and refuses a non-list', () => {
  assert.deepEqual(parseHistory(undefined), { entries: [], dropped: [] });
  const r = parseHistory({ not: 'a list' });
  assert.equal(r.entries.length, 0);
  assert.equal(r.dropped.length, 1);
});

test('parseHistory fills defaults for entries written by an older version', () => {
  const { timeline: _t, images: _i, estimate: _e, ...old } = entry('k2', 'processing');
  const { entries } = parseHistory([old]);
  assert.deepEqual(entries[0].images, []);
  assert.deepEqual(entries[0].timeline, []);
  assert.equal(entries[0].estimate, null);
});

test('upsertEntry replaces by key and keeps newest first', () => {
  let list = [entry('a', 'succeeded', '2026-01-01T00:00:00Z'), entry('b', 'failed', '2026-01-03T00:00:00Z')];
  list = upsertEntry(list, entry('c', 'processing', '2026-01-02T00:00:00Z'));
  assert.deepEqual(list.map((e) => e.key), ['b', 'c', 'a']);
  list = upsertEntry(list, { ...entry('a', 'canceled', '2026-01-01T00:00:00Z') });
  assert.equal(list.length, 3);
  assert.equal(list.find((e) => e.key === 'a')?.status, 'canceled');
});

test('unfinished means submitting or not terminal; rejected is finished', () => {
  assert.equal(isUnfinished(entry('a', 'submitting')), true);
  assert.equal(isUnfinished(entry('a', 'scheduled')), true);
  assert.equal(isUnfinished(entry('a', 'processing')), true);
  assert.equal(isUnfinished(entry('a', 'succeeded')), false);
  assert.equal(isUnfinished(entry('a', 'expired')), false);
  assert.equal(isUnfinished(entry('a', 'rejected')), false);
});

test('pruneHistory keeps the newest finished entries and every unfinished one', () => {
  const list = [entry('u1', 'processing'), entry('f1', 'succeeded'), entry('f2', 'failed'), entry('u2', 'submitting'), entry('f3', 'succeeded')];
  assert.deepEqual(pruneHistory(list, 1).map((e) => e.key), ['u1', 'f1', 'u2']);
});

test('idempotency keys fit the contract pattern and differ', () => {
  const a = newIdempotencyKey();
  const b = newIdempotencyKey();
  assert.match(a, IDEMPOTENCY_KEY_PATTERN);
  assert.notEqual(a, b);
  assert.match(newIdempotencyKey(() => 'a/b c'.repeat(60)), IDEMPOTENCY_KEY_PATTERN);
});

test('withStatus appends a timeline event only on a change', () => {
  let e = entry('k', 'submitting');
  e = withStatus(e, 'processing', 't1');
  e = withStatus(e, 'processing', 't2');
  e = withStatus(e, 'succeeded', 't3');
  assert.deepEqual(e.timeline.map((t) => t.status), ['submitting', 'processing', 'succeeded']);
  assert.equal(e.updatedAt, 't3');
});

test('a new submission entry holds the body until an id is known', () => {
  const e = newSubmissionEntry({ key: 'k', serviceUrl: 'u', emulator: true, label: 'l', body: { steps: [1] }, estimate: null, now: 'n' });
  assert.equal(e.status, 'submitting');
  assert.deepEqual(e.pendingBody, { steps: [1] });
  assert.equal(e.workflowId, undefined);
  assert.equal(e.submitted, true);
});

test('applySnapshot records the id, drops the pending body and notes the status once', async () => {
  const { applySnapshot, WorkflowSnapshotSchema } = await import('../../src/core/history');
  const e = newSubmissionEntry({ key: 'k', serviceUrl: 'u', emulator: false, label: 'l', body: { steps: [1] }, estimate: null, now: 't0' });
  const snap = WorkflowSnapshotSchema.parse({ id: 'wf_9', status: 'processing', steps: [] });
  const a = applySnapshot({ ...e, lastError: 'network down' }, snap, 't1');
  assert.equal(a.workflowId, 'wf_9');
  assert.equal(a.pendingBody, undefined);
  assert.equal(a.status, 'processing');
  assert.equal(a.lastError, undefined);
  const b = applySnapshot(a, snap, 't2');
  assert.deepEqual(b.timeline.map((t) => t.status), ['submitting', 'processing']);
  const noId = applySnapshot(e, WorkflowSnapshotSchema.parse({ status: 'processing', steps: [] }), 't1');
  assert.deepEqual(noId.pendingBody, { steps: [1] }, 'without an id the body is still needed to re-attach');
});
