// The CLI under faults: killed mid-POST, interrupted, timed out, lost connections, hostile server
// data. Counted on the emulator (POSTs, workflows) or on a misbehaving server on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { runSubmit, EXIT, type SubmitDeps } from '../../src/cli/commands/submit';
import { runFollow } from '../../src/cli/commands/follow';
import { runStatus } from '../../src/cli/commands/status';
import { runCancel } from '../../src/cli/commands/cancel';
import type { CliIO } from '../../src/cli/command';
import { sleep } from '../../src/core/api';
import { encodePng } from '../../src/core/png';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { json, startMisbehavingServer } from './misbehaving-server';

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'cli-faults-token-9z8y7x6w';
const WORKFLOW = {
  steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'a lighthouse at dusk', width: 320, height: 256, steps: 25, seed: 7 } }],
};

let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: { unassignedMs: 3, preparingMs: 3, scheduledMs: 3, processingMs: 6 } });
});
after(async () => {
  await emu.close();
});

/** A fresh working directory with the workflow file in it (run records land in its .civitai/). */
function workspace(body: unknown = WORKFLOW): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-faults-'));
  writeFileSync(path.join(dir, 'job.civitai.json'), JSON.stringify(body, null, 2));
  return { dir, file: 'job.civitai.json' };
}
function sink(cwd: string): CliIO & { out: string; err: string } {
  const s = { out: '', err: '', cwd, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t) };
  return s;
}
const deps = (extra: Partial<SubmitDeps> = {}): SubmitDeps => ({
  env: { CIVITAI_API_TOKEN: TOKEN },
  stdinIsTTY: false,
  client: { sleep: (_ms, signal) => sleep(3, signal), random: () => 0 },
  ...extra,
});
type Runner = typeof runSubmit;
async function run(runner: Runner, cwd: string, args: string[], d: SubmitDeps = deps()) {
  const io = sink(cwd);
  const code = await runner(args, io, d);
  assert.ok(!io.out.includes(TOKEN) && !io.err.includes(TOKEN), 'the token is never printed');
  return { code, out: io.out, err: io.err };
}
const submits = (e: EmulatorHandle) => e.requests.filter((r) => r.route === 'submit').length;

/** Starts the real CLI in a child process (no terminal on stdin). */
function spawnCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd,
    env: { ...process.env, CIVITAI_API_TOKEN: TOKEN },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { out: '', err: '' };
  child.stdout.on('data', (c) => (output.out += String(c)));
  child.stderr.on('data', (c) => (output.err += String(c)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}
async function until(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  for (const start = Date.now(); !check(); await sleep(20)) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
  }
}

// ---- never pays twice ----

test('killed mid-POST, then the same command again: one workflow, re-attached by the saved key', async () => {
  // The POST is held (wait) while the workflow runs: the kill lands after it exists upstream.
  const slow = await startEmulator({ timing: { processingMs: 3_600_000 }, speed: 50 });
  try {
    const { dir, file } = workspace();
    const args = ['submit', file, '--yes', '--wait', '2', '--base-url', slow.url];
    const first = spawnCli(args, dir);
    await until(() => slow.workflowCount() === 1, 'the POST to arrive');
    first.child.kill('SIGKILL');
    await first.exited;
    const records = readdirSync(path.join(dir, '.civitai', 'runs'));
    assert.equal(records.length, 1, 'the run record was on disk before the POST');
    const record = JSON.parse(readFileSync(path.join(dir, '.civitai', 'runs', records[0]), 'utf8'));
    assert.equal(record.status, 'submitting');
    assert.equal(record.workflowId, undefined, 'killed before the answer');

    const again = await run(runSubmit, dir, args.slice(1));
    assert.equal(again.code, EXIT.ok, again.err);
    assert.match(again.err, new RegExp(`re-attaching .*idempotency key ${record.key}`));
    assert.equal(slow.workflowCount(), 1, 'one workflow, one charge');
    assert.equal(submits(slow), 2, 'the second POST carried the same key');
    assert.equal(new Set(slow.requests.filter((r) => r.route === 'submit').map((r) => r.externalId)).size, 1);
  } finally {
    await slow.close();
  }
});

test('--wait 1 runs out, then the same command again: one workflow, followed not re-paid; --new pays again', async () => {
  const slow = await startEmulator({ timing: { processingMs: 3_600_000 }, speed: 50 });
  try {
    const { dir, file } = workspace();
    const first = await run(runSubmit, dir, [file, '--yes', '--wait', '1', '--base-url', slow.url]);
    assert.equal(first.code, EXIT.ok, first.err);
    const id = /workflow (wf_\S+): /.exec(first.out)?.[1];
    assert.ok(id, first.out);
    assert.match(first.out, new RegExp(`follow it: civitai-workflow follow ${id} --base-url ${slow.url.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(first.out + first.err, /this version of the extension|same file and externalId/);

    const again = await run(runSubmit, dir, [file, '--yes', '--wait', '1', '--base-url', slow.url]);
    assert.equal(again.code, EXIT.ok, again.err);
    assert.match(again.err, new RegExp(`already ran as workflow ${id}.*Use --new to run it again`));
    assert.equal(slow.workflowCount(), 1);
    assert.equal(submits(slow), 1, 'no second POST at all');

    const fresh = await run(runSubmit, dir, [file, '--yes', '--new', '--wait', '0', '--base-url', slow.url]);
    assert.equal(fresh.code, EXIT.ok, fresh.err);
    assert.equal(slow.workflowCount(), 2, '--new really submits again');
  } finally {
    await slow.close();
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) test(`${signal === 'SIGINT' ? 'Ctrl+C' : 'SIGTERM'} while following (a real ${signal}): prints the id and the commands to follow or cancel it; exit 130`, async () => {
  const slow = await startEmulator({ timing: { processingMs: 3_600_000 }, speed: 100 });
  try {
    const { dir, file } = workspace();
    const cli = spawnCli(['submit', file, '--yes', '--base-url', slow.url], dir);
    await until(() => /workflow wf_\S+: \w+\n/.test(cli.output.err), 'the workflow id');
    cli.child.kill(signal);
    assert.equal(await cli.exited, EXIT.interrupted, cli.output.err);
    const id = /workflow (wf_\S+):/.exec(cli.output.err)![1];
    assert.match(cli.output.err, new RegExp(`interrupted: workflow ${id} keeps running`));
    assert.match(cli.output.err, new RegExp(`follow it: civitai-workflow follow ${id} --base-url`));
    assert.match(cli.output.err, new RegExp(`cancel it: civitai-workflow cancel ${id}`));
    assert.ok(!cli.output.err.includes(TOKEN));
    assert.equal(slow.workflowCount(), 1);
  } finally {
    await slow.close();
  }
});

test('Ctrl+C during the POST prints the key; follow KEY re-attaches without a second workflow', async () => {
  const slow = await startEmulator({ timing: { processingMs: 3_600_000 } });
  try {
    const { dir, file } = workspace();
    const controller = new AbortController();
    const pending = run(runSubmit, dir, [file, '--yes', '--base-url', slow.url], deps({ signal: controller.signal }));
    await until(() => slow.workflowCount() === 1, 'the POST');
    controller.abort();
    const r = await pending;
    assert.equal(r.code, EXIT.interrupted);
    const key = /idempotency key ([A-Za-z0-9_-]+)\)/.exec(r.err)?.[1];
    assert.ok(key, r.err);
    assert.match(r.err, new RegExp(`follow it without paying twice: civitai-workflow follow ${key} --base-url`));

    const status = await run(runStatus, dir, [key]);
    assert.equal(status.code, EXIT.ok);
    assert.match(status.out, /has not answered with a workflow id yet/);

    const followed = await run(runFollow, dir, [key, '--wait', '0']);
    assert.equal(followed.code, EXIT.ok, followed.err);
    assert.match(followed.out, /workflow wf_\S+: (unassigned|preparing|scheduled|processing)\n/);
    assert.equal(slow.workflowCount(), 1);

    const cancelled = await run(runCancel, dir, [key]);
    assert.equal(cancelled.code, EXIT.ok, cancelled.err);
    assert.equal(slow.workflowCount(), 0);
    // A cancelled run is not re-attached: the same command submits it again.
    const rerun = await run(runSubmit, dir, [file, '--yes', '--wait', '0', '--base-url', slow.url]);
    assert.equal(rerun.code, EXIT.ok, rerun.err);
    assert.equal(slow.workflowCount(), 1);
  } finally {
    await slow.close();
  }
});

test('every answer lost (connection reset after the work): the key and the follow command are printed; following finds the one workflow', async () => {
  const { dir, file } = workspace();
  const before = emu.workflowCount();
  emu.faults.clear();
  emu.faults.inject('submit', { type: 'drop' }, 5);
  const r = await run(runSubmit, dir, [file, '--yes', '--base-url', emu.url]);
  assert.equal(r.code, EXIT.service, r.err);
  const key = /idempotency key ([A-Za-z0-9_-]+)/.exec(r.err)?.[1];
  assert.ok(key);
  assert.match(r.err, new RegExp(`follow it without paying twice: civitai-workflow follow ${key}`));
  assert.equal(emu.workflowCount(), before + 1, 'created once despite five attempts');
  const followed = await run(runFollow, dir, [key, '--base-url', emu.url]);
  assert.equal(followed.code, EXIT.ok, followed.err);
  assert.match(followed.out, /: succeeded/);
  assert.equal(emu.workflowCount(), before + 1);
});

test('the connection lost while following: the id and the follow command are printed, exit 5; following later works', async () => {
  const slow = await startEmulator({ timing: { processingMs: 3_600_000 }, speed: 100 });
  try {
    const { dir, file } = workspace();
    slow.faults.inject('getWorkflow', { type: 'drop' }, 5);
    const r = await run(runSubmit, dir, [file, '--yes', '--base-url', slow.url]);
    assert.equal(r.code, EXIT.service, r.err);
    const id = /workflow (wf_\S+):/.exec(r.err)?.[1];
    assert.ok(id, r.err);
    assert.match(r.err, new RegExp(`workflow ${id} may still be running; follow it: civitai-workflow follow ${id} --base-url`));
    const status = await run(runStatus, dir, [id]);
    assert.equal(status.code, EXIT.ok, status.err);
    assert.match(status.out, new RegExp(`workflow ${id}: (processing|scheduled|preparing|unassigned)`));
    assert.equal(slow.workflowCount(), 1);
  } finally {
    await slow.close();
  }
});

test('--external-id KEY: the same key never runs twice, and is refused for a different body', async () => {
  const { dir, file } = workspace();
  const before = emu.workflowCount();
  const a = await run(runSubmit, dir, [file, '--yes', '--external-id', 'nightly-42', '--base-url', emu.url]);
  assert.equal(a.code, EXIT.ok, a.err);
  const b = await run(runSubmit, dir, [file, '--yes', '--external-id', 'nightly-42', '--base-url', emu.url]);
  assert.equal(b.code, EXIT.ok, b.err);
  assert.equal(emu.workflowCount(), before + 1);
  writeFileSync(path.join(dir, 'other.civitai.json'), JSON.stringify({ ...WORKFLOW, tags: ['changed'] }));
  const c = await run(runSubmit, dir, ['other.civitai.json', '--yes', '--external-id', 'nightly-42', '--base-url', emu.url]);
  assert.equal(c.code, EXIT.usage);
  assert.match(c.err, /used for a different body/);
  assert.equal((await run(runSubmit, dir, [file, '--yes', '--external-id', '../x', '--base-url', emu.url])).code, EXIT.usage);
});

// ---- spending guard ----

test('no terminal: refuses without --yes or --max-cost; --max-cost is checked against the whatif price first', async () => {
  const { dir, file } = workspace();
  emu.clearRequests();
  const refused = await run(runSubmit, dir, [file, '--base-url', emu.url]);
  assert.equal(refused.code, EXIT.usage);
  assert.match(refused.err, /--yes, or --max-cost/);
  assert.equal(emu.requests.length, 0, 'nothing sent');

  const tooDear = await run(runSubmit, dir, [file, '--max-cost', '0.5', '--base-url', emu.url]);
  assert.equal(tooDear.code, EXIT.overBudget);
  assert.match(tooDear.err, /prices this at 1 Buzz, above --max-cost 0\.5/);
  assert.equal(emu.requests.filter((r) => r.route === 'whatif').length, 1);
  assert.equal(submits(emu), 0, 'not submitted');
  assert.equal(existsSync(path.join(dir, '.civitai')), false, 'no run record for a run that never started');

  const fine = await run(runSubmit, dir, [file, '--max-cost', '1', '--base-url', emu.url]);
  assert.equal(fine.code, EXIT.ok, fine.err);
  assert.equal(submits(emu), 1);
  assert.equal((await run(runSubmit, dir, [file, '--max-cost', 'lots', '--base-url', emu.url])).code, EXIT.usage);
});

// ---- files stay inside --out ----

const HOSTILE_IDS = ['../../escaped', '/etc/cron.d/x', '..', 'a/../../../b', 'C:\\Windows\\x', 'nul\u0000byte', '....//....//x', '%2e%2e%2fx'];

test('no file is written outside --out, whatever ids and step names the server sends; javascript: URLs are skipped with a warning', async () => {
  const png = encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(12) });
  let id = '';
  const server = await startMisbehavingServer((req, res) => {
    if (req.url?.startsWith('/content/')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from(png));
      return;
    }
    const images = [
      { type: 'image', id: 'blob_1', available: true, url: `${server.url}/content/a`, width: 2, height: 2 },
      { type: 'image', id: 'blob_2', available: true, url: 'javascript:alert(1)', width: 2, height: 2 },
    ];
    json(res, 200, {
      id, status: 'succeeded', steps: [{ $type: 'imageGen', name: id, status: 'succeeded', output: { images } }],
    });
  });
  try {
    for (const hostile of HOSTILE_IDS) {
      id = hostile;
      const { dir, file } = workspace();
      const out = path.join(dir, 'deep', 'out');
      const r = await run(runSubmit, dir, [file, '--yes', '--new', '--base-url', server.url, '--out', 'deep/out']);
      assert.equal(r.code, EXIT.ok, `${JSON.stringify(hostile)}: ${r.err}`);
      assert.match(r.err, /warning: image .*blob_2 skipped: its URL is not http\(s\)/);
      const saved = readdirSync(out);
      assert.equal(saved.length, 1, JSON.stringify(hostile));
      assert.match(saved[0], /^[A-Za-z0-9._-]+\.png$/);
      // Nothing else anywhere in the workspace but the workflow, the run record and --out.
      assert.deepEqual(readdirSync(dir).sort(), ['.civitai', 'deep', 'job.civitai.json']);
      assert.deepEqual(readdirSync(path.join(dir, 'deep')), ['out']);
    }
  } finally {
    await server.close();
  }
});

test('follow, status, cancel: usage errors exit 2, --help exits 0 and names ID|KEY', async () => {
  const { dir } = workspace();
  for (const runner of [runFollow, runStatus, runCancel]) {
    assert.equal((await run(runner, dir, [])).code, EXIT.usage);
    assert.equal((await run(runner, dir, ['a', 'b'])).code, EXIT.usage);
    const creds = await run(runner, dir, ['wf_1', '--base-url', 'https://me:pa55word@x.test']);
    assert.equal(creds.code, EXIT.usage);
    assert.doesNotMatch(creds.err, /pa55word/);
    const help = await run(runner, dir, ['--help']);
    assert.equal(help.code, EXIT.ok);
    assert.match(help.out, /ID\|KEY/);
  }
  assert.equal((await run(runFollow, dir, ['wf_1', '--wait', 'soon'])).code, EXIT.usage);
});

test('an image download that keeps failing after success: exit 5, and the command that picks the workflow up again (no re-submit)', async () => {
  const { dir, file } = workspace();
  const before = emu.workflowCount();
  emu.faults.clear();
  emu.faults.inject('blobContent', { type: 'status', status: 500 }, 50);
  emu.faults.inject('refreshBlob', { type: 'status', status: 500 }, 50);
  const r = await run(runSubmit, dir, [file, '--yes', '--out', 'out', '--base-url', emu.url]);
  emu.faults.clear();
  assert.equal(r.code, EXIT.service, r.err);
  const id = /workflow (wf_\S+): succeeded/.exec(r.out)?.[1];
  assert.ok(id, r.out);
  assert.match(r.err, new RegExp(`workflow ${id} is on the service; pick it up again: civitai-workflow follow ${id} --base-url \\S+ --out out`));
  const again = await run(runFollow, dir, [id, '--out', 'out', '--base-url', emu.url]);
  assert.equal(again.code, EXIT.ok, again.err);
  assert.equal(readdirSync(path.join(dir, 'out')).length, 1);
  assert.equal(emu.workflowCount(), before + 1);
});
