import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import estimate from '../../src/cli/commands/estimate';
import type { CliIO } from '../../src/cli/command';

function io(cwd: string): CliIO & { out: string; err: string } {
  const sink = {
    out: '',
    err: '',
    cwd,
    isTTY: false,
    stdout: (t: string) => void (sink.out += t),
    stderr: (t: string) => void (sink.err += t),
  };
  return sink;
}

const dir = mkdtempSync(path.join(tmpdir(), 'cli-estimate-'));
const write = (name: string, value: unknown): string => {
  writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return name;
};

const animaDefaults = write('anima.civitai.json', {
  steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'a fox' } }],
});
const mixed = write('mixed.civitai.json', {
  steps: [
    { $type: 'imageGen', name: 'base', input: { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:1@2', prompt: 'x', quantity: 4 } },
    { $type: 'imageGen', input: { engine: 'comfy', ecosystem: 'anima', operation: 'createImage', prompt: 'x' } },
  ],
});
const broken = write('broken.civitai.json', '{ "steps": [ ');

test('JSON output: the documented shape, exact numbers', async () => {
  const sink = io(dir);
  const code = await estimate.run(['--format', 'json', animaDefaults], sink);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(sink.out), [
    { file: animaDefaults, total: 9.6, known: 9.6, unknownSteps: [], steps: [{ index: 0, name: '0', buzz: 9.6, source: 'anima.md', formula: '8 × (1024×1024 / 1048576) × (30 / 25) × 1' }] },
  ]);
});

test('unknown steps are null with their reason, and the total is null', async () => {
  const sink = io(dir);
  assert.equal(await estimate.run(['--format=json', mixed, animaDefaults], sink), 0);
  const [first, second] = JSON.parse(sink.out);
  assert.equal(first.total, null);
  assert.equal(first.known, 16);
  assert.deepEqual(first.unknownSteps, ['1']);
  assert.deepEqual({ ...first.steps[0], formula: undefined }, { index: 0, name: 'base', buzz: 16, source: 'sd1.md', formula: undefined });
  assert.equal(first.steps[1].buzz, null);
  assert.match(first.steps[1].reason, /No recipe publishes a price for comfy \+ anima.*Preview Cost/);
  assert.equal(second.total, 9.6);
});

test('text output rounds for display and explains each step', async () => {
  const sink = io(dir);
  assert.equal(await estimate.run([animaDefaults, mixed], sink), 0);
  assert.match(sink.out, /anima\.civitai\.json: ≈ 9\.6 Buzz/);
  assert.match(sink.out, /step 0: 9\.6 Buzz \(sdcpp \+ anima \(createImage\): 8 × \(1024×1024 \/ 1048576\) × \(30 \/ 25\) × 1; recipes\/anima\.md; defaults: /);
  // The file with an unknown step shows the known part and names the unknown step.
  assert.match(sink.out, /mixed\.civitai\.json: ≈ 16 Buzz known \+ unknown step "1"/);
  assert.match(sink.out, /step 1: unknown — No recipe publishes a price for comfy \+ anima \(createImage\)\. Preview Cost/);
});

test('a file that cannot be parsed or read exits 1; the others are still estimated', async () => {
  const sink = io(dir);
  assert.equal(await estimate.run(['--format', 'json', broken, 'missing.civitai.json', animaDefaults], sink), 1);
  const results = JSON.parse(sink.out);
  assert.equal(results.length, 3);
  assert.match(results[0].error, /not valid JSON/);
  assert.match(results[1].error, /no such file/);
  assert.equal(results[2].total, 9.6);
  assert.match(sink.err, /broken\.civitai\.json/);
});

test('usage errors exit 2', async () => {
  for (const args of [[], ['--format', 'xml', animaDefaults], ['--bogus', animaDefaults], ['--format']]) {
    const sink = io(dir);
    assert.equal(await estimate.run(args, sink), 2, args.join(' '));
    assert.match(sink.err, /Usage: civitai-workflow estimate/);
  }
  const help = io(dir);
  assert.equal(await estimate.run(['--help'], help), 0);
  assert.match(help.out, /Exit codes/);
});

test('the project fixtures estimate to the guides\' numbers', async () => {
  const fixtures = path.resolve(__dirname, '..', 'fixtures');
  const sink = io(fixtures);
  assert.equal(await estimate.run(['--format', 'json', 'anima-sdcpp-create.civitai.json', 'sd1-sdcpp-create.civitai.json'], sink), 0);
  const [anima, sd1] = JSON.parse(sink.out);
  assert.equal(anima.total, 9.6); // 1024², 30 steps
  assert.equal(sd1.total, 4); // 512², 20 steps: the sdcpp SD1 reference exactly
});
