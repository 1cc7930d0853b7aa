// The client (and the CLI on top of it) against a misbehaving server on 127.0.0.1: where the
// token goes, redirects, Retry-After, malformed and missing answers, gone workflows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApiError, BaseUrlError, normalizeBaseUrl, OrchestratorClient, type Sleep } from '../../src/core/api';
import { runSubmit, EXIT } from '../../src/cli/commands/submit';
import { runFollow } from '../../src/cli/commands/follow';
import type { CliIO } from '../../src/cli/command';
import { json, startMisbehavingServer } from './misbehaving-server';

const TOKEN = 'api-faults-token-1q2w3e4r';
const WORKFLOW = { id: 'wf_1', status: 'processing', steps: [] };

function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}
async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail('expected a rejection');
}

test('base URLs are normalised (scheme/host case, dot segments, trailing slash); credentials refused without being echoed', () => {
  assert.equal(normalizeBaseUrl('HTTPS://Orchestration.CIVITAI.com/./'), 'https://orchestration.civitai.com');
  assert.equal(normalizeBaseUrl(' https://example.test:443/api/v2/../ '), 'https://example.test/api');
  assert.equal(normalizeBaseUrl('http://127.0.0.1:8080//'), 'http://127.0.0.1:8080');
  for (const bad of ['https://user:pw@orchestration.civitai.com', 'https://pw@x.test', 'not a url user:pw@x', 'ftp://x.test', 'https://x.test/?a=1']) {
    assert.throws(() => normalizeBaseUrl(bad), (e: unknown) => e instanceof BaseUrlError && !e.message.includes('pw'), bad);
  }
});

test('a base URL written HTTP://…/./ still sends the token to its own origin (it used to be dropped, then 401)', async () => {
  const server = await startMisbehavingServer((_req, res) => json(res, 200, WORKFLOW));
  try {
    const shouty = server.url.replace('http://', 'HTTP://') + '/./';
    const client = new OrchestratorClient({ baseUrl: shouty, token: TOKEN });
    assert.equal((await client.getWorkflow('wf_1')).id, 'wf_1');
    assert.equal(server.seen[0].authorization, `Bearer ${TOKEN}`);
  } finally {
    await server.close();
  }
});

test('a redirect to another origin is not followed and the other origin never sees the token; same-origin redirects are', async () => {
  const other = await startMisbehavingServer((_req, res) => json(res, 200, WORKFLOW));
  const server = await startMisbehavingServer((req, res) => {
    if (req.url?.startsWith('/v2/consumer/workflows/wf_away')) {
      res.writeHead(307, { location: `${other.url}/v2/consumer/workflows/wf_1` });
      return void res.end();
    }
    if (req.method === 'POST') {
      res.writeHead(302, { location: `${other.url}/v2/consumer/workflows` });
      return void res.end();
    }
    if (req.url?.startsWith('/v2/consumer/workflows/wf_moved')) {
      res.writeHead(308, { location: '/v2/consumer/workflows/wf_1' });
      return void res.end();
    }
    json(res, 200, WORKFLOW);
  });
  try {
    const client = new OrchestratorClient({ baseUrl: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    const err = await rejection(client.getWorkflow('wf_away'));
    assert.equal(err.kind, 'http');
    assert.match(err.message, /307 redirect to http:\/\/127\.0\.0\.1:\d+ not followed/);
    assert.match(err.hint, /stays with/);
    assert.equal(other.seen.length, 0, 'the other origin got no request at all');
    assert.equal(err.attempts, 1, 'not retried');
    const moved = await client.getWorkflow('wf_moved');
    assert.equal(moved.id, 'wf_1');
    assert.equal(server.seen.at(-1)?.authorization, `Bearer ${TOKEN}`, 'followed within the origin, token kept');
    // A POST redirected away is refused the same way.
    const post = await rejection(client.submitWorkflow({ steps: [] }, { externalId: 'k1' }));
    assert.match(post.message, /302 redirect to http:\/\/127\.0\.0\.1:\d+ not followed/);
    assert.equal(other.seen.length, 0);
  } finally {
    await server.close();
    await other.close();
  }
});

test('Retry-After: nonsense (-5, fractions, garbage dates) falls back to backoff; too long says when to retry', async () => {
  let retryAfter = '-5';
  const server = await startMisbehavingServer((_req, res) => json(res, 503, { title: 'busy' }, { 'retry-after': retryAfter }));
  try {
    for (const value of ['-5', '1.5', '2001-01-01', 'soon']) {
      retryAfter = value;
      server.seen.length = 0;
      const { sleep, waits } = recordingSleep();
      const client = new OrchestratorClient({ baseUrl: server.url, token: TOKEN, sleep, random: () => 0.5 });
      const err = await rejection(client.submitWorkflow({ steps: [] }, { externalId: 'ra-key' }));
      assert.equal(err.kind, 'server');
      assert.equal(server.seen.length, 5, `${value}: five attempts`);
      assert.deepEqual(waits, [500, 1000, 2000, 4000], `${value}: the policy's backoff, not the header`);
    }
    retryAfter = '3600';
    server.seen.length = 0;
    const now = Date.parse('2026-03-01T12:00:00Z');
    const client = new OrchestratorClient({ baseUrl: server.url, token: TOKEN, sleep: recordingSleep().sleep, now: () => now });
    const err = await rejection(client.getWorkflow('wf_1'));
    assert.equal(server.seen.length, 1, 'not waited out');
    assert.equal(err.retryAfterMs, 3_600_000);
    assert.match(err.message, /asks to wait 3600 s/);
    assert.match(err.hint, /try again after 2026-03-01T13:00:00Z/);
  } finally {
    await server.close();
  }
});

test('a GET answered with malformed JSON is retried; a POST is not (the key makes a re-run safe instead)', async () => {
  let n = 0;
  const server = await startMisbehavingServer((req, res) => {
    n++;
    if (n === 1 || req.method === 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"id":"wf_1","sta');
    }
    json(res, 200, WORKFLOW);
  });
  try {
    const client = new OrchestratorClient({ baseUrl: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    assert.equal((await client.getWorkflow('wf_1')).id, 'wf_1');
    assert.equal(server.seen.length, 2);
    const err = await rejection(client.submitWorkflow({ steps: [] }, { externalId: 'k2' }));
    assert.equal(err.kind, 'bad-response');
    assert.equal(server.seen.filter((s) => s.method === 'POST').length, 1);
    assert.doesNotMatch(err.hint, /version of the extension/);
  } finally {
    await server.close();
  }
});

function sink(cwd: string): CliIO & { out: string; err: string } {
  const s = { out: '', err: '', cwd, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t) };
  return s;
}
const cliDeps = (extra: object = {}) => ({ env: { CIVITAI_API_TOKEN: TOKEN }, stdinIsTTY: false, client: { sleep: recordingSleep().sleep }, ...extra });

test('follow on a workflow the service no longer has: deleted or expired after 30 days, exit 6', async () => {
  const server = await startMisbehavingServer((_req, res) => json(res, 404, { title: 'Not Found' }));
  try {
    const io = sink(mkdtempSync(path.join(tmpdir(), 'api-faults-')));
    const code = await runFollow(['wf_gone', '--base-url', server.url], io, cliDeps());
    assert.equal(code, EXIT.workflowFailed);
    assert.match(io.err, /no longer has workflow wf_gone: it was deleted .* more than 30 days ago and expired/);
  } finally {
    await server.close();
  }
});

test('a service that never answers: a progress line at least every heartbeat, then the key and the command to follow', async () => {
  const server = await startMisbehavingServer(() => undefined /* never answers */);
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'api-faults-'));
    writeFileSync(path.join(dir, 'w.civitai.json'), JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'x', width: 320, height: 256 } }] }));
    const io = sink(dir);
    const code = await runSubmit(['w.civitai.json', '--yes', '--wait', '0', '--base-url', server.url], io, cliDeps({
      heartbeatMs: 40,
      client: { sleep: recordingSleep().sleep, requestTimeoutMs: 250, retry: { maxAttempts: 2 } },
    }));
    assert.equal(code, EXIT.service);
    const beats = (io.err.match(/^… waiting for the service to accept w\.civitai\.json \(key [A-Za-z0-9_-]+\) \(\d+ s\)$/gm) ?? []).length;
    // Two attempts of 250 ms each: about a dozen 40 ms beats; a silent wait would print none.
    assert.ok(beats >= 5, `${beats} progress lines`);
    assert.match(io.err, /no answer within 0 s|no answer within/);
    assert.match(io.err, /follow it without paying twice: civitai-workflow follow cw-/);
  } finally {
    await server.close();
  }
});

test('the CLI redacts bearer credentials and URL passwords the server echoes, not just its own token', async () => {
  const server = await startMisbehavingServer((_req, res) =>
    json(res, 400, { title: 'Bad', detail: 'saw Authorization: Bearer sk-someone-elses-0123 and https://bob:hunter2@mirror.test/x' }),
  );
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'api-faults-'));
    writeFileSync(path.join(dir, 'w.civitai.json'), JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'x', width: 320, height: 256 } }] }));
    const io = sink(dir);
    const code = await runSubmit(['w.civitai.json', '--yes', '--base-url', server.url], io, cliDeps());
    assert.equal(code, EXIT.validation);
    assert.doesNotMatch(io.err, /sk-someone-elses|hunter2|bob:/);
    assert.match(io.err, /Bearer \[redacted\]/);
    const creds = sink(dir);
    assert.equal(await runSubmit(['w.civitai.json', '--yes', '--base-url', 'https://alice:s3cret@x.test'], creds, cliDeps()), EXIT.usage);
    assert.doesNotMatch(creds.err, /s3cret|alice/);
    assert.match(creds.err, /carries a user name or password/);
  } finally {
    await server.close();
  }
});
