// `civitai-workflow sweep` end to end against the local emulator: priced before paying, refused
// above --max-cost, a labelled grid that imports back, and no second payment on a re-run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runSweep, SWEEP_EXIT, type SweepDeps } from '../../src/cli/commands/sweep';
import type { CliIO } from '../../src/cli/command';
import { sleep } from '../../src/core/api';
import { decodePng } from '../../src/core/png';
import { readParameters } from '../../src/core/png/text-chunks';
import { importGenerationParameters } from '../../src/core/prompt/import-params';
import importParamsCommand from '../../src/cli/commands/import-params';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';

const TOKEN = 'sweep-token-9f8e7d6c';
let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: { unassignedMs: 2, preparingMs: 2, scheduledMs: 2, processingMs: 4 } });
});
after(async () => {
  await emu.close();
});

const dir = mkdtempSync(path.join(tmpdir(), 'cli-sweep-'));
const write = (name: string, value: unknown) => {
  writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return name;
};
function sink(): CliIO & { out: string; err: string } {
  const s = { out: '', err: '', cwd: dir, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t) };
  return s;
}
const deps: SweepDeps = { env: { CIVITAI_API_TOKEN: TOKEN }, client: { sleep: (_ms, signal) => sleep(2, signal), random: () => 0 } };
const run = async (args: string[], d: SweepDeps = deps) => {
  const io = sink();
  const code = await runSweep(args, io, d);
  assert.ok(!io.out.includes(TOKEN) && !io.err.includes(TOKEN), 'the token is never printed');
  return { code, ...io };
};
const posts = () => emu.requests.filter((r) => r.route === 'submit').length;

const fox = write('fox.civitai.json', {
  steps: [{ $type: 'imageGen', name: 'gen', input: {
    engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
    prompt: 'a red fox in the snow', width: 512, height: 512, steps: 20, cfgScale: 7, seed: 11, quantity: 1,
  } }],
});
const AXES = ['cfgScale=4,6,8', 'sampleMethod=euler,dpm++2m'];

test('--write expands the sweep without any network call', async () => {
  emu.clearRequests();
  const r = await run([fox, ...AXES, '--write', 'bodies']);
  assert.equal(r.code, SWEEP_EXIT.ok, r.err);
  assert.match(r.out, /6 cells \(3 cfgScale × 2 sampleMethod\) in 1 workflow/);
  assert.match(r.out, /estimate: ≈ \d+(\.\d+)? Buzz/);
  const body = JSON.parse(readFileSync(path.join(dir, 'bodies/fox.sweep-1.civitai.json'), 'utf8'));
  assert.equal(body.steps.length, 6);
  assert.equal(emu.requests.length, 0);
});

test('a quote above --max-cost is refused before any submission', async () => {
  emu.clearRequests();
  const r = await run([fox, ...AXES, '--base-url', emu.url, '--max-cost', '1']);
  assert.equal(r.code, SWEEP_EXIT.overBudget, r.out + r.err);
  assert.match(r.err, /above --max-cost 1; nothing submitted/);
  assert.ok(emu.requests.some((q) => q.route === 'whatif'), 'the service was asked for a quote');
  assert.equal(posts(), 0);
});

test('without a terminal, nothing is submitted without --yes or --max-cost', async () => {
  emu.clearRequests();
  const r = await run([fox, ...AXES, '--base-url', emu.url]);
  assert.equal(r.code, SWEEP_EXIT.usage);
  assert.match(r.err, /without --yes or --max-cost/);
  assert.equal(posts(), 0);
});

test('at a terminal the price is asked for: no submits nothing, yes submits', async () => {
  emu.clearRequests();
  const questions: string[] = [];
  const no = await run([fox, 'cfgScale=5,9', '--base-url', emu.url], { ...deps, confirm: async (q) => (questions.push(q), false) });
  assert.equal(no.code, SWEEP_EXIT.ok, no.err);
  assert.match(questions[0], /^Submit 2 cells for \d+ Buzz\? \[y\/N\] $/);
  assert.equal(posts(), 0);
  const yes = await run([fox, 'cfgScale=5,9', '--base-url', emu.url], { ...deps, confirm: async () => true });
  assert.equal(yes.code, SWEEP_EXIT.ok, yes.err);
  assert.equal(posts(), 1);
});

test('within --max-cost it runs: 6 cells, images, sweep.json and a grid PNG that imports back', async () => {
  emu.clearRequests();
  const r = await run([fox, ...AXES, '--base-url', emu.url, '--max-cost', '1000', '--out', 'grid']);
  assert.equal(r.code, SWEEP_EXIT.ok, r.out + r.err);
  assert.match(r.out, /quote: \d+ Buzz for 6 cells/);
  assert.match(r.out, /done: 1\/1 workflows succeeded/);
  assert.equal(posts(), 1);
  const record = JSON.parse(readFileSync(path.join(dir, 'grid/sweep.json'), 'utf8'));
  assert.equal(record.cells.length, 6);
  assert.deepEqual(record.cells[4].parameters, { cfgScale: '6', sampleMethod: 'dpm++2m' });
  for (const cell of record.cells) assert.equal(cell.files.length, 1);
  const cellParams = readParameters(readFileSync(path.join(dir, 'grid', record.cells[4].files[0])));
  assert.match(cellParams ?? '', /CFG scale: 6/);
  const grid = readFileSync(path.join(dir, 'grid/grid.png'));
  const decoded = decodePng(grid);
  assert.ok(decoded.width > 3 * 256 && decoded.height > 2 * 256, `${decoded.width}x${decoded.height}`);
  const imported = importGenerationParameters(readParameters(grid) ?? '');
  assert.ok(imported, 'the grid carries parameters');
  const input = (imported.workflow.steps as Array<{ input: Record<string, unknown> }>)[0].input;
  assert.equal(input.prompt, 'a red fox in the snow');
  assert.equal(input.cfgScale, 4);
  // …and `civitai-workflow import-params grid/grid.png` turns it back into a workflow that lints.
  const io = sink();
  assert.equal(await importParamsCommand.run(['--offline', 'grid/grid.png'], io), 0, io.err);
  const back = JSON.parse(io.out) as { steps: Array<{ input: Record<string, unknown> }> };
  assert.equal(back.steps[0].input.prompt, 'a red fox in the snow');
  assert.equal(back.steps[0].input.cfgScale, 4);
});

test('re-running the same sweep re-attaches instead of paying again; --new pays again', async () => {
  const before = emu.workflowCount();
  const again = await run([fox, ...AXES, '--base-url', emu.url, '--yes']);
  assert.equal(again.code, SWEEP_EXIT.ok, again.err);
  assert.equal(emu.workflowCount(), before, 'no new workflow');
  const fresh = await run([fox, ...AXES, '--base-url', emu.url, '--yes', '--new']);
  assert.equal(fresh.code, SWEEP_EXIT.ok, fresh.err);
  assert.equal(emu.workflowCount(), before + 1);
});

test('a cell the contract refuses is named before anything is sent', async () => {
  emu.clearRequests();
  const r = await run([fox, 'sampleMethod=euler,dpmpp2m', '--base-url', emu.url, '--yes']);
  assert.equal(r.code, SWEEP_EXIT.validation);
  assert.match(r.err, /dpmpp2m/);
  assert.equal(emu.requests.length, 0);
});

test('axes come from the sweep file beside the workflow', async () => {
  write('fox.sweep.json', { axes: [{ field: 'steps', values: '10-30(+10)' }] });
  const r = await run([fox, '--write', 'fromfile']);
  assert.equal(r.code, SWEEP_EXIT.ok, r.err);
  assert.match(r.out, /3 cells \(3 steps\)/);
  const viaSweepFile = await run(['fox.sweep.json', '--write', 'fromfile2']);
  assert.equal(viaSweepFile.code, SWEEP_EXIT.ok, viaSweepFile.err);
  assert.ok(existsSync(path.join(dir, 'fromfile2/fox.sweep-1.civitai.json')));
  const bad = await run([fox, 'cfgScale=1-1000000', '--write', 'x']);
  assert.equal(bad.code, SWEEP_EXIT.usage);
  assert.match(bad.err, /at most 1000/);
  assert.ok(readdirSync(dir).includes('fromfile'));
});

test('dynamic prompts read wildcard files from ./wildcards, one cell per variant', async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.join(dir, 'wildcards'), { recursive: true });
  write('wildcards/animal.txt', '# animals\nfox\nowl\n{hare|lynx}\n');
  write('wild.civitai.json', {
    steps: [{ $type: 'imageGen', input: {
      engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
      prompt: 'a {red|white} __animal__ in the snow', width: 512, height: 512, seed: 1,
    } }],
  });
  const r = await run(['wild.civitai.json', 'prompt=variants', '--write', 'wild']);
  assert.equal(r.code, SWEEP_EXIT.ok, r.err);
  assert.match(r.out, /8 cells \(8 prompt\)/);
  const body = JSON.parse(readFileSync(path.join(dir, 'wild/wild.sweep-1.civitai.json'), 'utf8'));
  assert.ok(body.steps.some((s: { input: { prompt: string } }) => s.input.prompt === 'a white lynx in the snow'));
  assert.equal(body.steps[0].metadata.sweep.prompt, 'a red fox in the snow');
});
