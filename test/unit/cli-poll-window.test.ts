// pollUntilEndOrDeadline: the bounded follow that `submit`/`follow --wait` and `sweep --wait`
// share. The deadline is not an error (the workflow keeps running upstream: its last state is the
// answer); Ctrl+C and service errors are. Against a loopback server whose answers the test writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, OrchestratorClient } from '../../src/core/api';
import { pollUntilEndOrDeadline } from '../../src/cli/session';
import { json, startMisbehavingServer } from './misbehaving-server';

const workflow = (status: string) => ({ id: 'wf_poll', status, steps: [] });

/** Answers each GET with the next status of `statuses` (the last one repeats), after `delayMs`. */
async function server(statuses: string[], delayMs = 0) {
  let n = 0;
  const s = await startMisbehavingServer(async (_req, res) => {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    json(res, 200, workflow(statuses[Math.min(n++, statuses.length - 1)]));
  });
  return { s, client: new OrchestratorClient({ baseUrl: s.url, token: 't', retry: { maxAttempts: 1 } }) };
}

test('a workflow that ends is returned in its final state, every change reported on the way', async () => {
  const { s, client } = await server(['succeeded']);
  try {
    const seen: string[] = [];
    const end = await pollUntilEndOrDeadline(client, 'wf_poll', { onProgress: (p) => seen.push(p.status) });
    assert.equal(end?.status, 'succeeded');
    assert.deepEqual(seen, ['succeeded']);
  } finally {
    await s.close();
  }
});

test('at the deadline the last state seen is the answer, not an error; before any answer it is undefined', { timeout: 20_000 }, async () => {
  const { s, client } = await server(['processing']);
  try {
    // Without the deadline this would poll for ever (the status never changes): the test's timeout.
    const latest = await pollUntilEndOrDeadline(client, 'wf_poll', { deadline: Date.now() + 300 });
    assert.equal(latest?.status, 'processing');
  } finally {
    await s.close();
  }
  const slow = await server(['processing'], 1_000);
  try {
    assert.equal(await pollUntilEndOrDeadline(slow.client, 'wf_poll', { deadline: Date.now() + 100 }), undefined);
  } finally {
    await slow.s.close();
  }
});

test('Ctrl+C (the outer signal) rejects as aborted, even with a deadline still ahead', { timeout: 20_000 }, async () => {
  const { s, client } = await server(['processing']);
  try {
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 200);
    await assert.rejects(
      pollUntilEndOrDeadline(client, 'wf_poll', { deadline: Date.now() + 60_000, signal: interrupt.signal }),
      (e: unknown) => e instanceof ApiError && e.kind === 'aborted',
    );
  } finally {
    await s.close();
  }
});

test('a service error is not mistaken for the deadline', async () => {
  const s = await startMisbehavingServer((_req, res) => json(res, 404, { title: 'Not Found', status: 404 }));
  try {
    const client = new OrchestratorClient({ baseUrl: s.url, token: 't', retry: { maxAttempts: 1 } });
    await assert.rejects(pollUntilEndOrDeadline(client, 'wf_gone', { deadline: Date.now() + 60_000 }), (e: unknown) => e instanceof ApiError && e.kind === 'not-found');
  } finally {
    await s.close();
  }
});
