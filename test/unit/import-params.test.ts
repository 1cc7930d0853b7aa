import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorkflow, importGenerationParameters, modelPlaceholder, parseGenerationParameters, parseSettings } from '../../src/core/prompt/import-params';
import { formatGenerationParameters, parametersTextForStep } from '../../src/core/prompt/export-params';
import { encodePng } from '../../src/core/png/encode';
import { readParameters, withParameters } from '../../src/core/png/text-chunks';
import { CONTRACT_AIR_PATTERN } from '../../src/core/air';
import importParamsCommand from '../../src/cli/commands/import-params';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'params', name), 'utf8');

test('parses the example block from the Animagine XL 4.0 card comments', () => {
  const p = parseGenerationParameters(fixture('animagine-card-comment.txt'))!;
  assert.ok(p.prompt.startsWith('masterpiece, high score, great score, absurdres,\n(nsfw:1.3)'));
  assert.ok(p.prompt.endsWith('<lora:covered navel XL-v1:0.8>'));
  assert.ok(p.negativePrompt!.startsWith('lowres, bad anatomy, (bad hands:1.1), text, error,\nmissing finger'));
  assert.ok(p.negativePrompt!.endsWith('username, blurry'));
  const get = (k: string) => p.settings.find((s) => s.key === k)?.value;
  assert.equal(get('Steps'), '25');
  assert.equal(get('Sampler'), 'Euler a');
  assert.equal(get('Schedule type'), 'Automatic');
  assert.equal(get('CFG scale'), '6');
  assert.equal(get('Seed'), '3985944291');
  assert.equal(get('Size'), '832x1216');
  assert.equal(get('Model hash'), '1d5b43ff75');
  assert.equal(get('Model'), 'animagineXL40_v40');
  assert.equal(get('Clip skip'), '2');
  assert.equal(get('Lora hashes'), 'covered navel XL-v1: 980456a41be0');
  assert.equal(get('Version'), 'v1.10.1');
  assert.equal(p.settings.length, 13);
});

test('builds an SDXL sdcpp workflow from the card block: model by hash, Euler a mapped, clip skip dropped, LoRA reported', () => {
  const r = importGenerationParameters(fixture('animagine-card-comment.txt'))!;
  const step = r.workflow.steps[0];
  const input = step.input;
  assert.equal(r.ecosystem, 'sdxl');
  assert.equal(r.engine, 'sdcpp');
  assert.equal(r.modelChosen, true);
  assert.deepEqual(
    { engine: input.engine, ecosystem: input.ecosystem, operation: input.operation, model: input.model, width: input.width, height: input.height, steps: input.steps, cfgScale: input.cfgScale, sampleMethod: input.sampleMethod, seed: input.seed },
    { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:1188071@1337429', width: 832, height: 1216, steps: 25, cfgScale: 6, sampleMethod: 'euler_a', seed: 3985944291 },
  );
  assert.equal(input.clipSkip, undefined);
  assert.equal(input.schedule, undefined); // "Automatic"
  assert.ok(!String(input.prompt).includes('<lora:'));
  assert.ok(String(input.prompt).endsWith('navel, covered navel'));
  const meta = step.metadata!.importedParameters as Record<string, string>;
  assert.equal(meta.ENSD, '31337');
  assert.equal(meta['Clip skip'], '2');
  assert.match(meta['Resources without AIR'], /LoRA "covered navel XL-v1" \(hash 980456a41be0\) at 0\.8/);
  const text = r.notes.map((n) => n.message).join('\n');
  assert.match(text, /Ecosystem sdxl \(Stable Diffusion XL\): from the model hash/);
  assert.match(text, /Not written .*: clipSkip/);
  assert.ok(r.notes.some((n) => n.severity === 'warning' && /covered navel XL-v1/.test(n.message)));
});

test('ecosystem from the size when nothing names the model, and a placeholder model that fails the AIR pattern', () => {
  const sd1 = importGenerationParameters('a cat\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 5, Size: 512x768, Model: someMix, Clip skip: 2')!;
  assert.equal(sd1.ecosystem, 'sd1');
  assert.equal(sd1.modelChosen, false);
  const input = sd1.workflow.steps[0].input;
  assert.equal(input.model, modelPlaceholder('sd1'));
  assert.equal(CONTRACT_AIR_PATTERN.test(String(input.model)), false);
  assert.equal(input.clipSkip, 2);
  assert.deepEqual([input.sampleMethod, input.schedule], ['dpm++2m', 'karras']);
  assert.ok(sd1.notes.some((n) => /guessed from the size 512×768/.test(n.message)));
  assert.ok(sd1.notes.some((n) => n.severity === 'warning' && /Choose the checkpoint.*someMix/.test(n.message)));

  const xl = importGenerationParameters('a cat\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 5, Size: 1024x1024')!;
  assert.equal(xl.ecosystem, 'sdxl');
  assert.ok(xl.notes.some((n) => /guessed from the size 1024×1024 \(1\.05 MP/.test(n.message)));
});

test('a sampler only ComfyUI has switches the engine to comfy', () => {
  const r = importGenerationParameters('cat\nSteps: 30, Sampler: DPM++ SDE, Schedule type: Karras, CFG scale: 7, Seed: 1, Size: 1024x1024')!;
  assert.equal(r.engine, 'comfy');
  assert.deepEqual([r.workflow.steps[0].input.sampler, r.workflow.steps[0].input.scheduler], ['dpmpp_sde', 'karras']);
  assert.ok(r.notes.some((n) => /Engine comfy/.test(n.message)));
});

test('Civitai resources: checkpoint and LoRA AIRs are used; entries without AIR are reported', () => {
  const resources = JSON.stringify([
    { type: 'checkpoint', air: 'urn:air:sd1:checkpoint:civitai:4384@128713' },
    { type: 'lora', air: 'urn:air:sd1:lora:civitai:1@2', weight: 0.6 },
    { type: 'lora', modelVersionId: 77, modelName: 'Mystery', weight: 0.5 },
  ]);
  const r = importGenerationParameters(`cat, dog\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 9, Size: 1024x1024, Civitai resources: ${resources}, Hires upscale: 2, Hires steps: 10, Denoising strength: 0.4`)!;
  const input = r.workflow.steps[0].input;
  // The AIR wins over the size.
  assert.equal(r.ecosystem, 'sd1');
  assert.equal(input.model, 'urn:air:sd1:checkpoint:civitai:4384@128713');
  assert.deepEqual(input.loras, { 'urn:air:sd1:lora:civitai:1@2': 0.6 });
  assert.ok(r.notes.some((n) => n.severity === 'warning' && /lora "Mystery" \(version 77, https:\/\/civitai\.com\/api\/v1\/model-versions\/77\) at 0\.5/.test(n.message)));
  // The hires fix is a second step redrawing the first image at twice the size.
  assert.equal(r.workflow.steps.length, 2);
  assert.deepEqual(r.workflow.steps[1].input.image, { $ref: 'imported', path: 'output.images[0].url' });
  assert.deepEqual([r.workflow.steps[1].input.width, r.workflow.steps[1].input.height, r.workflow.steps[1].input.strength, r.workflow.steps[1].input.steps], [2048, 2048, 0.4, 10]);
  assert.equal((r.workflow.steps[0].metadata!.importedParameters as Record<string, string>)['Hires upscale'], '2');
});

test('settings parsing handles quotes, JSON values and garbage', () => {
  assert.deepEqual(parseSettings('A: 1, B: "x, y: \\"z\\"", C: [1, {"a": "]"}], D: 2'), [
    { key: 'A', value: '1' },
    { key: 'B', value: 'x, y: "z"' },
    { key: 'C', value: '[1, {"a": "]"}]' },
    { key: 'D', value: '2' },
  ]);
  for (const junk of ['', '   ', ':::', 'Steps:', '"unterminated', 'Civitai resources: [', '\u0000']) {
    assert.doesNotThrow(() => importGenerationParameters(junk));
  }
  assert.equal(importGenerationParameters(''), undefined);
  // Just a prompt is still an import.
  assert.equal(importGenerationParameters('just a cat')?.workflow.steps[0].input.prompt, 'just a cat');
});

test('a bad Civitai resources value is ignored with a warning', () => {
  const r = importGenerationParameters('cat\nSteps: 20, Size: 512x512, Civitai resources: [{"type": 5}]')!;
  assert.ok(r.notes.some((n) => n.severity === 'warning' && /Civitai resources/.test(n.message)));
});

test('round trip: export parameters, save them in a PNG, import them back: same values', () => {
  const inputs: Array<Record<string, unknown>> = [
    {
      engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:1188071@1337429',
      prompt: '1girl, firefly \\(honkai: star rail\\), (smile:1.2), masterpiece, high score', negativePrompt: 'lowres, "quoted", blurry',
      width: 832, height: 1216, steps: 28, cfgScale: 5, sampleMethod: 'euler_a', schedule: 'karras', quantity: 2,
      loras: { 'urn:air:sdxl:lora:civitai:123@456': 0.8 },
    },
    { engine: 'comfy', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'cat', width: 512, height: 768, steps: 30, cfgScale: 7, sampler: 'dpmpp_2m', scheduler: 'karras', clipSkip: 2 },
    { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'masterpiece, best quality, 1girl', width: 1344, height: 768, cfgScale: 4, steps: 30 },
  ];
  const png = Buffer.from(encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(12) }));
  for (const input of inputs) {
    const seed = 1234567;
    const text = formatGenerationParameters(input, seed);
    const saved = withParameters(png, text);
    const back = importGenerationParameters(readParameters(saved)!)!;
    const got = back.workflow.steps[0].input;
    assert.deepEqual(got, { ...input, seed }, text);
    assert.equal(back.workflow.steps[0].metadata, undefined, `nothing left over for ${text}`);
  }
});

test('export fills the contract defaults for absent fields', () => {
  const text = formatGenerationParameters({ engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'x' }, 7);
  assert.match(text, /Steps: 30, .*CFG scale: 4, Seed: 7, Size: 1024x1024/);
  const p = buildWorkflow(parseGenerationParameters(text)!);
  assert.equal(p.ecosystem, 'anima');
  assert.equal(p.workflow.steps[0].input.model, undefined);
});

// ---- CLI: import-params ----


function cliIO(cwd: string, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return {
    // Site lookups go to a closed loopback port: refused at once, never off the machine.
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd, isTTY: false, readStdin: async () => Buffer.from(stdin), env: { CIVITAI_SITE_URL: 'http://127.0.0.1:9' } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

test('CLI import-params reads a PNG, a text file and stdin; JSON to stdout, notes to stderr', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-params-'));
  const text = fixture('animagine-card-comment.txt');
  const png = withParameters(Buffer.from(encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(12) })), text);
  writeFileSync(join(dir, 'image.png'), png);
  writeFileSync(join(dir, 'params.txt'), text);
  const expected = importGenerationParameters(text)!.workflow;
  for (const [args, stdin] of [[['image.png'], ''], [['params.txt'], ''], [['-'], text], [[], text]] as const) {
    const c = cliIO(dir, stdin);
    assert.equal(await importParamsCommand.run(args, c.io), 0, c.err());
    assert.deepEqual(JSON.parse(c.out()), expected);
    assert.match(c.err(), /^info: Ecosystem sdxl/m);
    assert.match(c.err(), /^warning: Not found as AIRs, so not in the workflow: LoRA "covered navel XL-v1"/m);
    // The LoRA's hash was looked up; the site could not be reached, which is said once.
    assert.match(c.err(), /^import-params: could not look up 1 model version \(ids or file hashes\) on the Civitai site: 1 \(980456a41be0\): the site could not be reached$/m);
  }
});

test('CLI import-params: --out writes the file, --engine comfy prefers comfy, bad input and usage exit 1 and 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-params-'));
  writeFileSync(join(dir, 'p.txt'), 'cat\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512');
  let c = cliIO(dir);
  assert.equal(await importParamsCommand.run(['--engine', 'comfy', '--out', 'w.civitai.json', 'p.txt'], c.io), 0);
  assert.equal(c.out(), '');
  const written = JSON.parse(readFileSync(join(dir, 'w.civitai.json'), 'utf8'));
  assert.equal(written.steps[0].input.engine, 'comfy');
  assert.equal(written.steps[0].input.sampler, 'euler_ancestral');
  c = cliIO(dir);
  assert.equal(await importParamsCommand.run(['missing.txt'], c.io), 1);
  assert.match(c.err(), /cannot read missing\.txt/);
  writeFileSync(join(dir, 'plain.png'), Buffer.from(encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) })));
  c = cliIO(dir);
  assert.equal(await importParamsCommand.run(['plain.png'], c.io), 1);
  assert.match(c.err(), /a PNG without generation parameters \(no "parameters" text chunk\)/);
  c = cliIO(dir, '   ');
  assert.equal(await importParamsCommand.run(['-'], c.io), 1);
  c = cliIO(dir);
  assert.equal(await importParamsCommand.run(['--engine', 'x', 'p.txt'], c.io), 2);
  c = cliIO(dir);
  assert.equal(await importParamsCommand.run(['a', 'b'], c.io), 2);
  c = cliIO(dir);
  assert.equal(await importParamsCommand.run(['--help'], c.io), 0);
  assert.match(c.out(), /Usage: civitai-workflow import-params/);
});

test('parametersTextForStep picks the imageGen step of a workflow body', () => {
  const body = { steps: [{ $type: 'imageUpscaler', input: {} }, { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'cat' } }] };
  assert.equal(parametersTextForStep(body, 0, 1), undefined);
  assert.equal(parametersTextForStep(body, 5, 1), undefined);
  assert.equal(parametersTextForStep('junk', 0, 1), undefined);
  const text = parametersTextForStep(body, 1, 99, { version: '0.1.0' })!;
  assert.match(text, /^cat\nSteps: 20, CFG scale: 7, Seed: 99, Size: 512x512, Model: "urn:air:sd1:checkpoint:civitai:4384@128713", .*Version: civitai-workflows 0\.1\.0/);
  assert.equal(importGenerationParameters(text)!.workflow.steps[0].input.seed, 99);
});
