// quoteSweep: the service's whatif price of every body of a sweep, summed; the CLI and the editor
// both quote through it. Exercised through the real client against a loopback server whose
// answers the test writes, so the request the service sees is the one that is counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, OrchestratorClient } from '../../src/core/api';
import { quoteSweep } from '../../src/core/sweep';
import { json, startMisbehavingServer } from './misbehaving-server';

const TOKEN = 'quote-test-token';

function workflowCosting(total: number | undefined): Record<string, unknown> {
  return { id: 'wf_quote', status: 'unassigned', steps: [], ...(total === undefined ? {} : { cost: { base: total, total } }) };
}

/** A server that prices each whatif body by its `price` member (none: no cost in the answer). */
async function pricingServer() {
  const bodies: unknown[] = [];
  const server = await startMisbehavingServer((req, res, body) => {
    const parsed = JSON.parse(body) as { metadata?: { price?: number } };
    bodies.push({ url: req.url, body: parsed });
    json(res, 200, workflowCosting(parsed.metadata?.price));
  });
  return { server, bodies, client: new OrchestratorClient({ baseUrl: server.url, token: TOKEN, retry: { maxAttempts: 1 } }) };
}

const body = (price?: number) => ({ steps: [], metadata: price === undefined ? {} : { price } });

test('the quote is the sum of one whatif per body, asked in order', async () => {
  const { server, bodies, client } = await pricingServer();
  try {
    assert.equal(await quoteSweep([body(3), body(4.5), body(12)], client), 19.5);
    assert.deepEqual(bodies.map((b) => (b as { body: { metadata: { price: number } } }).body.metadata.price), [3, 4.5, 12]);
    assert.ok(bodies.every((b) => /whatif=true/.test((b as { url: string }).url)), 'every call is a whatif: nothing runs, nothing is charged');
    assert.equal(await quoteSweep([], client), 0, 'no bodies: nothing asked, nothing owed');
    assert.equal(bodies.length, 3);
  } finally {
    await server.close();
  }
});

test('a body the service does not price stops the quote with an ApiError (never counted as 0), and the rest are not asked', async () => {
  const { server, bodies, client } = await pricingServer();
  try {
    const error = await quoteSweep([body(5), body(), body(7)], client).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.kind, 'bad-response');
    assert.match(error.message, /no price/);
    assert.ok(!error.message.includes(TOKEN) && !error.hint.includes(TOKEN));
    assert.equal(bodies.length, 2, 'the third body was not quoted after the second failed');
  } finally {
    await server.close();
  }
});

test('an aborted signal stops the quote before any more bodies are asked', async () => {
  const { server, bodies, client } = await pricingServer();
  try {
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(quoteSweep([body(1), body(2)], client, stop.signal), (e: unknown) => e instanceof ApiError && e.kind === 'aborted');
    assert.equal(bodies.length, 0);
  } finally {
    await server.close();
  }
});
