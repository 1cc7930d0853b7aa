// `civitai-workflow submit` end to end against the local emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runSubmit, EXIT, type SubmitDeps } from '../../src/cli/commands/submit';
import type { CliIO } from '../../src/cli/command';
import { sleep } from '../../src/core/api';
import { decodePng } from '../../src/core/png';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';

const TOKEN = 'cli-token-0a1b2c3d4e5f';
let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: { unassignedMs: 3, preparingMs: 3, scheduledMs: 3, processingMs: 6 } });
});
after(async () => {
  await emu.close();
});

const dir = mkdtempSync(path.join(tmpdir(), 'cli-submit-'));
function write(name: string, value: unknown): string {
  writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return name;
}
function sink(): CliIO & { out: string; err: string } {
  const s = { out: '', err: '', cwd: dir, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t) };
  return s;
}
const deps = (extra: Partial<SubmitDeps> = {}): SubmitDeps => ({
  env: { CIVITAI_API_TOKEN: TOKEN },
  stdinIsTTY: true,
  client: { sleep: (_ms, signal) => sleep(3, signal), random: () => 0 },
  ...extra,
});
const run = async (args: string[], d: SubmitDeps = deps()) => {
  const io = sink();
  const code = await runSubmit(args, io, d);
  assert.ok(!io.out.includes(TOKEN) && !io.err.includes(TOKEN), 'the token is never printed');
  return { code, ...io };
};

const good = write('good.civitai.json', {
  $schema: '../schemas/workflow.schema.json',
  steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'a red fox in snow', width: 320, height: 256, steps: 25, seed: 3, quantity: 2 } }],
});

test('submits, follows, prints the summary and saves the images; $schema is not sent', async () => {
  const out = path.join(dir, 'out');
  const r = await run([good, '--base-url', emu.url, '--out', 'out']);
  assert.equal(r.code, EXIT.ok, r.err);
  assert.match(r.out, /workflow wf_\S+: succeeded/);
  assert.match(r.out, /cost: 2 Buzz/); // 2 × 8 × (320×256/1024²) = 1.25, charged whole
  assert.equal((r.out.match(/^image /gm) ?? []).length, 2);
  assert.match(r.out, /http:\/\/127\.0\.0\.1:\d+\/v2\/consumer\/blobs\/content\//);
  assert.match(r.err, /idempotency key [A-Za-z0-9_-]+, saved in \.civitai\/runs\/[A-Za-z0-9_-]+\.json/);
  const files = readdirSync(out).filter((f) => f.endsWith('.png'));
  assert.equal(files.length, 2);
  for (const f of files) assert.deepEqual([decodePng(readFileSync(path.join(out, f))).width], [320]);
});

test('--whatif prints the exact cost and runs nothing', async () => {
  const before = emu.workflowCount();
  const r = await run([good, '--whatif', `--base-url=${emu.url}`]);
  assert.equal(r.code, EXIT.ok);
  assert.match(r.out, /cost preview: 2 Buzz \(local estimate ≈ 1\.3\)/);
  assert.equal(emu.workflowCount(), before);
});

test('--wait 0 returns at once with the id; the workflow keeps running', async () => {
  const slow = await startEmulator({ timing: { processingMs: 600_000 } });
  try {
    const r = await run([good, '--wait', '0', '--base-url', slow.url]);
    assert.equal(r.code, EXIT.ok);
    assert.match(r.out, /still (unassigned|preparing|scheduled|processing) after 0 s/);
    assert.equal(slow.workflowCount(), 1);
  } finally {
    await slow.close();
  }
});

test('lint errors: printed, nothing sent, exit 3', async () => {
  emu.clearRequests();
  const bad = write('bad.civitai.json', { steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'x', width: 99999 } }] });
  const r = await run([bad, '--base-url', emu.url]);
  assert.equal(r.code, EXIT.validation);
  assert.match(r.err, /bad\.civitai\.json:\d+:\d+ error .*width/);
  assert.equal(emu.requests.length, 0);
});

test('a 400 from the service: mapped onto the file, exit 3', async () => {
  emu.faults.inject('submit', { type: 'status', status: 400, detail: 'Refused upstream.' });
  const r = await run([good, '--new', '--base-url', emu.url]);
  assert.equal(r.code, EXIT.validation);
  assert.match(r.err, /Refused upstream/);
});

test('auth: no token, or a token the service refuses, exit 4', async () => {
  const none = await run([good, '--base-url', emu.url], deps({ env: {} }));
  assert.equal(none.code, EXIT.auth);
  assert.match(none.err, /CIVITAI_API_TOKEN/);
  const locked = await startEmulator({ token: 'another-token' });
  try {
    const wrong = await run([good, '--base-url', locked.url]);
    assert.equal(wrong.code, EXIT.auth);
    assert.match(wrong.err, /401/);
  } finally {
    await locked.close();
  }
});

test('network or service trouble after retries: exit 5', async () => {
  const gone = await startEmulator();
  const url = gone.url;
  await gone.close();
  const r = await run([good, '--base-url', url]);
  assert.equal(r.code, EXIT.service);
  emu.faults.inject('submit', { type: 'status', status: 503 }, 5);
  const busy = await run([good, '--new', '--base-url', emu.url]);
  assert.equal(busy.code, EXIT.service);
  assert.match(busy.err, /503/);
});

test('a workflow that fails: reasons printed, exit 6', async () => {
  emu.faults.failNextWorkflow({ reason: 'blocked', blockedReason: 'moderation' });
  const r = await run([good, '--new', '--base-url', emu.url, '--out', 'never']);
  assert.equal(r.code, EXIT.workflowFailed);
  assert.match(r.out, /: failed/);
  assert.match(r.out, /step 0: blocked \(moderation\)/);
});

test('usage errors exit 2, help exits 0 and lists the exit codes', async () => {
  for (const args of [[], [good, good], [good, '--wait', 'soon'], [good, '--nope'], ['missing.civitai.json']]) {
    assert.equal((await run(args)).code, EXIT.usage, args.join(' '));
  }
  const help = await run(['--help']);
  assert.equal(help.code, EXIT.ok);
  for (const code of ['2 ', '3 ', '4 ', '5 ', '6 ']) assert.ok(help.out.includes(`\n  ${code}`), `help lists exit ${code}`);
});

test('Ctrl+C (abort) while following: exit 130', async () => {
  const slow = await startEmulator({ timing: { processingMs: 600_000 } });
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await run([good, '--base-url', slow.url, '--wait', '1000'], deps({ signal: controller.signal, client: {} }));
    assert.equal(r.code, EXIT.interrupted);
  } finally {
    await slow.close();
  }
});

test('--out saves every kind of output file, named by its type; texts are printed', async () => {
  const file = write('video-chat.civitai.json', {
    steps: [
      { $type: 'videoGen', name: 'clip', input: { engine: 'ltx2.3', operation: 'createVideo', model: '22b-distilled', prompt: 'waves', duration: 3 } },
      { $type: 'textToSpeech', name: 'voice', input: { engine: 'custom', text: 'hello', xVectorOnlyMode: false } },
      { $type: 'chatCompletion', name: 'ask', input: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hi.' }] }] } },
    ],
  });
  const r = await run([file, '--base-url', emu.url, '--out', 'media']);
  assert.equal(r.code, EXIT.ok, r.err);
  assert.match(r.out, /^video clip\/video: http/m);
  assert.match(r.out, /^audio voice\/audioBlob: http/m);
  assert.match(r.out, /^answer ask: .*Say hi\./m);
  const saved = readdirSync(path.join(dir, 'media')).sort();
  // Files start with the workflow id, which may itself hold '-' and '_' (wf_-GL-pqEM-Ijp).
  assert.deepEqual(saved.map((f) => f.replace(/^wf_.*?-(clip|voice)-/, '$1-')), ['clip-video.mp4', 'voice-audioBlob.wav']);
  assert.equal(readFileSync(path.join(dir, 'media', saved[0])).subarray(4, 8).toString('latin1'), 'ftyp');
});
