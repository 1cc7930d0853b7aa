// The CLI resolves AIRs against the emulator: `lint --resolve` adds the service's findings, and
// `submit` refuses an unknown or unusable resource with its own exit code before any POST.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runSubmit, EXIT } from '../../src/cli/commands/submit';
import { runLint } from '../../src/cli/commands/lint';
import type { CliIO } from '../../src/cli/command';
import { sleep } from '../../src/core/api';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { RESTRICTED_TEST_AIRS, UNKNOWN_TEST_AIR } from '../../src/emulator/resources';

const TOKEN = 'cli-resolve-token-9f8e7d';
let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: { unassignedMs: 3, preparingMs: 3, scheduledMs: 3, processingMs: 6 } });
});
after(async () => {
  await emu.close();
});

const dir = mkdtempSync(path.join(tmpdir(), 'cli-resolve-'));
function write(name: string, model: string, loras: Record<string, number> = {}): string {
  const body = { steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'a lighthouse', model, loras, width: 256, height: 256, steps: 4, seed: 1 } }] };
  writeFileSync(path.join(dir, name), JSON.stringify(body, null, 2));
  return name;
}
function sink(): CliIO & { out: string; err: string } {
  const s = { out: '', err: '', cwd: dir, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t) };
  return s;
}
const client = { sleep: (_ms: number, signal?: AbortSignal) => sleep(3, signal), random: () => 0 };
const posts = () => emu.requests.filter((r) => r.method === 'POST').length;

// The file the e2e test opens in VS Code (its checkpoint gets the 404 error there).
const unknown = 'unknown-checkpoint.civitai.json';
copyFileSync(path.resolve(__dirname, '../e2e-workspace/resources', unknown), path.join(dir, unknown));
const known = write('known.civitai.json', 'urn:air:sdxl:checkpoint:civitai:101055@128078', { [RESTRICTED_TEST_AIRS.permission]: 0.8 });

test('submit: an unknown checkpoint stops it with the resource exit code, and nothing is POSTed', async () => {
  assert.ok(readFileSync(path.join(dir, unknown), 'utf8').includes(UNKNOWN_TEST_AIR));
  const before = posts();
  for (const extra of [[], ['--whatif']]) {
    const io = sink();
    const code = await runSubmit([unknown, '--base-url', emu.url, '--yes', ...extra], io, { env: { CIVITAI_API_TOKEN: TOKEN }, client });
    assert.equal(code, EXIT.resource);
    assert.equal(EXIT.resource, 8);
    assert.match(io.err, /no such resource: the service would run its default model and bill you/);
    assert.match(io.err, /not submitted \(--no-resolve skips this check\)/);
    assert.ok(!io.err.includes(TOKEN) && !io.out.includes(TOKEN));
  }
  assert.equal(posts(), before, 'the emulator saw no POST');
  assert.ok(emu.requests.some((r) => r.route === 'getResource' && r.status === 404));
});

test('submit --no-resolve sends it anyway; a usable file with a fee is submitted with a warning', async () => {
  const before = posts();
  const io = sink();
  assert.equal(await runSubmit([unknown, '--base-url', emu.url, '--no-resolve', '--yes'], io, { env: { CIVITAI_API_TOKEN: TOKEN }, client }), EXIT.ok, io.err);
  assert.equal(posts(), before + 1);
  const io2 = sink();
  assert.equal(await runSubmit([known, '--base-url', emu.url, '--yes'], io2, { env: { CIVITAI_API_TOKEN: TOKEN }, client }), EXIT.ok, io2.err);
  assert.match(io2.err, /warning .*needs permission to use; fee: 25 Buzz per image.*\[resource-permission-required\]/);
  assert.match(io2.out, /succeeded/);
});

test('submit --help documents --no-resolve and exit code 8', async () => {
  const io = sink();
  assert.equal(await runSubmit(['--help'], io, { env: {} }), EXIT.ok);
  assert.match(io.out, /--no-resolve/);
  assert.match(io.out, /^ {2}8 {4}a resource \(AIR\) is unknown/m);
});

test('lint --resolve adds the resource findings (exit 1 on the 404); without it, nothing is asked', async () => {
  const asked = () => emu.requests.filter((r) => r.route === 'getResource').length;
  const before = asked();
  const plain = sink();
  assert.equal(await runLint([unknown, '--base-url', emu.url], plain, { env: { CIVITAI_API_TOKEN: TOKEN } }), 0, plain.out);
  assert.equal(asked(), before);

  const io = sink();
  const code = await runLint(['--resolve', '--base-url', emu.url, '--format', 'json', unknown, known], io, { env: { CIVITAI_API_TOKEN: TOKEN }, client });
  assert.equal(code, 1);
  const [a, b] = JSON.parse(io.out) as Array<{ diagnostics: Array<{ code: string; severity: string; pointer: string }> }>;
  assert.deepEqual(a.diagnostics.filter((d) => d.code.startsWith('resource-')).map((d) => [d.code, d.severity, d.pointer]), [['resource-not-found', 'error', '/steps/0/input/model']]);
  assert.deepEqual(b.diagnostics.filter((d) => d.code.startsWith('resource-')).map((d) => [d.code, d.severity]), [['resource-permission-required', 'warning']]);
});

test('lint --resolve without a token says once why resolution is off and lints as usual', async () => {
  const io = sink();
  const code = await runLint(['--resolve', '--base-url', emu.url, unknown, known], io, { env: {} });
  assert.equal(code, 0);
  assert.equal((io.err.match(/AIR resolution is off/g) ?? []).length, 1);
  assert.match(io.err, /needs an API token/);
});

test('submit: when the resources service fails, it says which AIRs went unchecked and goes on', async () => {
  emu.faults.inject('getResource', { type: 'status', status: 503 }, 50);
  try {
    const io = sink();
    const code = await runSubmit([known, '--base-url', emu.url, '--whatif'], io, { env: { CIVITAI_API_TOKEN: TOKEN }, client });
    assert.equal(code, EXIT.ok, io.err);
    assert.match(io.err, /could not check urn:air:sdxl:checkpoint:civitai:101055@128078: /);
    assert.match(io.out, /cost preview: \d+ Buzz/);
  } finally {
    emu.faults.clear();
  }
});
