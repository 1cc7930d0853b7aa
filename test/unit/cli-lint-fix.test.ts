import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import lint from '../../src/cli/commands/lint';
import type { CliIO } from '../../src/cli/command';

function io(cwd: string): CliIO & { out: string; err: string } {
  const sink = { out: '', err: '', cwd, isTTY: false, stdout: (t: string) => void (sink.out += t), stderr: (t: string) => void (sink.err += t) };
  return sink;
}

const dir = mkdtempSync(path.join(tmpdir(), 'cli-lint-fix-'));
const step = (input: Record<string, unknown>) => ({
  $type: 'imageGen',
  input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a lighthouse', ...input },
});
const write = (name: string, value: unknown, prefix = ''): string => {
  writeFileSync(path.join(dir, name), prefix + JSON.stringify(value, null, 2) + '\n');
  return name;
};
const read = (name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8').replace(/^\uFEFF/, '')) as { steps: Array<{ input: Record<string, unknown> }> };

test('--fix applies every preferred fix, neighbouring removals included, and exits 0 when nothing is left', async () => {
  const file = write('fixable.civitai.json', { steps: [step({ width: 1000, height: 1030, clipSkip: 2, uCache: 'normal', sampler: 'euler_ancestral' })] });
  const sink = io(dir);
  const code = await lint.run(['--fix', file], sink);
  assert.equal(code, 0, sink.out + sink.err);
  const input = read(file).steps[0].input;
  assert.equal(input.width, 1008);
  assert.equal(input.height, 1024);
  assert.equal(input.sampleMethod, 'euler_a');
  assert.equal('clipSkip' in input, false);
  assert.equal('sampler' in input, false);
  assert.match(sink.err, /fixable\.civitai\.json: fixed \d+ problems/);
  assert.match(sink.out, /0 errors/);
});

test('--fix leaves what has no preferred fix and reports it (exit 1)', async () => {
  const file = write('partial.civitai.json', { steps: [step({ width: 1000, sampler: 'dpmpp_sde' })] });
  const sink = io(dir);
  assert.equal(await lint.run(['--fix', file], sink), 1);
  const input = read(file).steps[0].input;
  assert.equal(input.width, 1008);
  assert.equal(input.sampler, 'dpmpp_sde', 'a value without counterpart is not removed behind the user\'s back');
  assert.match(sink.out, /\[field-of-other-engine\]/);
  assert.doesNotMatch(sink.out, /dimension-not-multiple-of-16/);
});

test('--fix rewrites the older payload shape and keeps a byte order mark', async () => {
  const older = {
    callbackUrl: 'https://example.com/hook',
    steps: [{ $type: 'imageGen', input: { engine: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'x', sampler: 'Euler a' } }],
  };
  const file = write('older.civitai.json', older, '\uFEFF');
  const sink = io(dir);
  assert.equal(await lint.run(['--fix', '--format', 'json', file], sink), 0, sink.out);
  assert.deepEqual(JSON.parse(sink.out)[0].diagnostics.filter((d: { severity: string }) => d.severity === 'error'), []);
  const raw = readFileSync(path.join(dir, file), 'utf8');
  assert.equal(raw.charCodeAt(0), 0xfeff);
  assert.equal(read(file).steps[0].input.sampleMethod, 'euler_a');
});

test('without --fix nothing is written', async () => {
  const file = write('untouched.civitai.json', { steps: [step({ width: 1000 })] });
  const before = readFileSync(path.join(dir, file), 'utf8');
  assert.equal(await lint.run([file], io(dir)), 1);
  assert.equal(readFileSync(path.join(dir, file), 'utf8'), before);
});

test('--fix on a read-only file reports that it cannot write (exit 2)', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: a read-only file is still writable');
    return;
  }
  const file = write('readonly.civitai.json', { steps: [step({ width: 1000 })] });
  chmodSync(path.join(dir, file), 0o444);
  const sink = io(dir);
  assert.equal(await lint.run(['--fix', file], sink), 2);
  assert.match(sink.err, /cannot write the fixes/);
});
