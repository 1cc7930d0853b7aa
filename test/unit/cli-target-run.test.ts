// openTargetRun: what status, cancel and follow share before they talk to the service — the
// token-hiding output, `ID|KEY` and its options, the run record behind a key or an id, and the
// service the run belongs to. Offline: no command here reaches a network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunRecordStore, newRunRecord } from '../../src/core/history/run-records';
import type { CliIO } from '../../src/cli/command';
import { EXIT, openTargetRun, updateRunRecord } from '../../src/cli/session';

const TOKEN = 'target-run-secret-token';
const HELP = 'Usage: civitai-workflow thing ID|KEY\n';

function sink(dir: string): CliIO & { out: string; err: string } {
  const s = { out: '', err: '', cwd: dir, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t) };
  return s;
}

async function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'target-run-'));
  const store = RunRecordStore.forWorkspace(dir);
  const pending = await store.write(newRunRecord({ key: 'key-pending-0001', serviceUrl: 'http://127.0.0.1:9', bodyDigest: 'd1', body: { steps: [] }, by: 'cli' }));
  const started = await store.write({ ...newRunRecord({ key: 'key-started-0002', serviceUrl: 'http://127.0.0.1:8', bodyDigest: 'd2', body: { steps: [] }, by: 'cli' }), workflowId: 'wf_started' });
  return { dir, store, pending, started, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const deps = (env: Record<string, string | undefined> = {}) => ({ env: { CIVITAI_API_TOKEN: TOKEN, ...env } });

test('a workflow id with no record: the id itself, on CIVITAI_BASE_URL or Civitai', async () => {
  const w = await workspace();
  try {
    const run = await openTargetRun('thing', ['wf_other'], sink(w.dir), deps({ CIVITAI_BASE_URL: 'http://127.0.0.1:7/' }), HELP);
    assert.ok(typeof run !== 'number');
    assert.deepEqual([run.target, run.id, run.record, run.baseUrl], ['wf_other', 'wf_other', undefined, 'http://127.0.0.1:7']);
    const civitai = await openTargetRun('thing', ['wf_other'], sink(w.dir), deps(), HELP);
    assert.ok(typeof civitai !== 'number');
    assert.match(civitai.baseUrl, /^https:\/\/orchestration\.civitai\.com$/);
  } finally {
    w.done();
  }
});

test('a key or the id its record learnt: the record, its service (unless --base-url says otherwise), its workflow id if any', async () => {
  const w = await workspace();
  try {
    const byKey = await openTargetRun('thing', ['key-pending-0001'], sink(w.dir), deps({ CIVITAI_BASE_URL: 'http://127.0.0.1:7' }), HELP);
    assert.ok(typeof byKey !== 'number');
    assert.equal(byKey.record?.key, 'key-pending-0001');
    assert.equal(byKey.id, undefined, 'no answer from the service yet: no workflow id');
    assert.equal(byKey.baseUrl, 'http://127.0.0.1:9', 'the record\'s service wins over CIVITAI_BASE_URL');

    const byId = await openTargetRun('thing', ['wf_started', '--base-url', 'http://127.0.0.1:6'], sink(w.dir), deps(), HELP);
    assert.ok(typeof byId !== 'number');
    assert.deepEqual([byId.record?.key, byId.id, byId.baseUrl], ['key-started-0002', 'wf_started', 'http://127.0.0.1:6']);

    await updateRunRecord(byId, (r) => ({ ...r, status: 'canceled' }));
    assert.equal((await w.store.read('key-started-0002'))?.status, 'canceled');
    const noRecord = await openTargetRun('thing', ['wf_other'], sink(w.dir), deps(), HELP);
    assert.ok(typeof noRecord !== 'number');
    await updateRunRecord(noRecord, () => assert.fail('no record: nothing to update'));
  } finally {
    w.done();
  }
});

test('help, usage errors and a bad --base-url end there with their exit codes; the token is never printed', async () => {
  const w = await workspace();
  try {
    const help = sink(w.dir);
    assert.equal(await openTargetRun('thing', ['-h'], help, deps(), HELP), EXIT.ok);
    assert.equal(help.out, HELP);
    for (const args of [[], ['a', 'b'], ['wf_1', '--wait', '3']]) {
      const io = sink(w.dir);
      assert.equal(await openTargetRun('thing', args, io, deps(), HELP), EXIT.usage, args.join(' '));
      assert.match(io.err, /^civitai-workflow thing: /);
    }
    const valued = await openTargetRun('thing', ['wf_1', '--wait', '3'], sink(w.dir), deps(), HELP, ['wait']);
    assert.ok(typeof valued !== 'number');
    assert.equal(valued.options.get('wait'), '3');
    const bad = sink(w.dir);
    assert.equal(await openTargetRun('thing', ['wf_1', '--base-url', `https://${TOKEN}@x.test`], bad, deps(), HELP), EXIT.usage);
    assert.ok(![bad.err, bad.out].some((t) => t.includes(TOKEN)), bad.err);
    const raw = sink(w.dir);
    const run = await openTargetRun('thing', ['wf_1'], raw, deps(), HELP);
    assert.ok(typeof run !== 'number');
    run.io.stderr(`echo ${TOKEN}\n`);
    assert.match(raw.err, /^echo /);
    assert.ok(!raw.err.includes(TOKEN), 'the run\'s output hides the token');
  } finally {
    w.done();
  }
});
