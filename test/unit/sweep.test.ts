import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dynamicPrompt, estimateSweepCost, expandSweep, parseAxisValues, parseAxisWord, parseSweepSpec,
  SweepSpecError, sweepBodyErrors, sweepFileBeside, workflowFileBeside, wildcardLines, wildcardNames, hasDynamicSyntax, loadWildcards, MAX_AXIS_VALUES,
} from '../../src/core/sweep';
import { lintWorkflowText } from '../../src/core/lint';

const sdxl = () => ({
  steps: [{
    $type: 'imageGen', name: 'gen',
    input: {
      engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage',
      model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
      prompt: 'a red fox in the snow', negativePrompt: 'blurry', width: 1024, height: 1024,
      steps: 25, cfgScale: 7, seed: 42, quantity: 1,
    },
  }],
});

test('axis values: lists, ranges with increments and counts, sizes, as A1111 writes them', () => {
  assert.deepEqual(parseAxisValues('4,6,8'), [4, 6, 8]);
  assert.deepEqual(parseAxisValues('10-30 (+10)'), [10, 20, 30]);
  assert.deepEqual(parseAxisValues('10-30(10)'), [10, 20, 30]);
  assert.deepEqual(parseAxisValues('1-4'), [1, 2, 3, 4]);
  assert.deepEqual(parseAxisValues('0.4-1.0 [4]'), [0.4, 0.6, 0.8, 1]);
  assert.deepEqual(parseAxisValues('0.1-0.3(0.1)'), [0.1, 0.2, 0.3]);
  assert.deepEqual(parseAxisValues('8-4(2)'), [8, 6, 4]);
  assert.deepEqual(parseAxisValues('euler, dpm++2m'), ['euler', 'dpm++2m']);
  assert.deepEqual(parseAxisValues('832x1216,1024x1024'), [{ width: 832, height: 1216 }, { width: 1024, height: 1024 }]);
  assert.deepEqual(parseAxisValues('"red, dark",blue'), ['red, dark', 'blue']);
  assert.deepEqual(parseAxisValues([3, 'euler']), [3, 'euler']);
});

test('axis values: typos are one clear error, not a million cells', () => {
  assert.throws(() => parseAxisValues('1-1000000'), /at most 1000/);
  assert.throws(() => parseAxisValues('1-5(0)'), /increment cannot be 0/);
  assert.throws(() => parseAxisValues(''), /at least one value/);
  assert.throws(() => parseAxisValues([{}]), SweepSpecError);
  assert.equal(parseAxisValues(`1-${MAX_AXIS_VALUES}`).length, MAX_AXIS_VALUES);
});

test('command-line axis words become axis specs', () => {
  assert.deepEqual(parseAxisWord('cfgScale=4,6,8'), { field: 'cfgScale', values: '4,6,8' });
  assert.deepEqual(parseAxisWord('lora:urn:air:sdxl:lora:civitai:1@2=0.5,1'), { lora: 'urn:air:sdxl:lora:civitai:1@2', values: '0.5,1' });
  assert.deepEqual(parseAxisWord('replace:red=red,blue'), { replace: 'red', values: 'red,blue' });
  assert.deepEqual(parseAxisWord('prompt=variants:3'), { prompt: 'variants', count: 3 });
  assert.throws(() => parseAxisWord('cfgScale'), /FIELD=VALUES/);
});

test('sweep files are validated with a message naming the place', () => {
  assert.throws(() => parseSweepSpec({ axes: [] }), /1 to 3 axes/);
  assert.throws(() => parseSweepSpec({ axes: [{ field: 'cfgScale' }] }), /axes/);
  assert.throws(() => parseSweepSpec({ axes: [{ field: 'a', values: '1' }], extra: 1 }), SweepSpecError);
  assert.equal(parseSweepSpec({ step: 'gen', axes: [{ field: 'cfgScale', values: [4, 6] }] }).axes.length, 1);
});

test('a 3×2 sweep gives 6 cells named after their place, each valid for the contract', () => {
  const sweep = expandSweep(sdxl(), parseSweepSpec({ axes: [
    { field: 'cfgScale', values: '4,6,8' }, { field: 'sampleMethod', values: 'euler,dpm++2m' },
  ] }));
  assert.equal(sweep.cells.length, 6);
  assert.equal(sweep.bodies.length, 1);
  const steps = sweep.bodies[0].steps as { name: string; input: Record<string, unknown>; metadata: { sweep: unknown } }[];
  assert.deepEqual(steps.map((s) => s.name), ['gen-x0-y0', 'gen-x1-y0', 'gen-x2-y0', 'gen-x0-y1', 'gen-x1-y1', 'gen-x2-y1']);
  assert.deepEqual(steps.map((s) => [s.input.cfgScale, s.input.sampleMethod]),
    [[4, 'euler'], [6, 'euler'], [8, 'euler'], [4, 'dpm++2m'], [6, 'dpm++2m'], [8, 'dpm++2m']]);
  assert.deepEqual(steps[4].metadata.sweep, { x: 1, y: 1, z: 0, values: { cfgScale: '6', sampleMethod: 'dpm++2m' }, prompt: 'a red fox in the snow' });
  assert.deepEqual(sweep.axes.map((a) => [a.axis, a.label, a.values]), [['x', 'cfgScale', ['4', '6', '8']], ['y', 'sampleMethod', ['euler', 'dpm++2m']]]);
  const errors = lintWorkflowText(JSON.stringify(sweep.bodies[0], null, 2)).filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((e) => `${e.code}: ${e.message}`), []);
});

test('the same sweep always builds the same bodies', () => {
  const spec = parseSweepSpec({ seed: 7, axes: [{ field: 'cfgScale', values: '4-8(2)' }] });
  const workflow = sdxl();
  (workflow.steps[0].input as Record<string, unknown>).prompt = '{red|blue|green} fox, {snow|forest}';
  assert.deepEqual(expandSweep(workflow, spec), expandSweep(workflow, spec));
});

test('sizes, LoRA strengths and prompt replacement change what they say', () => {
  const sweep = expandSweep(sdxl(), parseSweepSpec({ axes: [
    { field: 'size', values: '832x1216,1216x832' },
    { lora: 'urn:air:sdxl:lora:civitai:328553@368189', values: '0.5,1' },
    { replace: 'red', values: 'red,silver' },
  ] }));
  assert.equal(sweep.cells.length, 8);
  const last = (sweep.bodies[0].steps as { input: Record<string, unknown> }[])[7].input;
  assert.deepEqual([last.width, last.height, last.loras, last.prompt],
    [1216, 832, { 'urn:air:sdxl:lora:civitai:328553@368189': 1 }, 'a silver fox in the snow']);
  assert.deepEqual(sweep.axes.map((a) => a.label), ['size', 'lora 328553@368189', 'prompt: red']);
  assert.throws(() => expandSweep(sdxl(), parseSweepSpec({ axes: [{ replace: 'purple', values: 'a,b' }] })), /not in the step's prompt/);
});

test('large sweeps are split into several bodies; huge ones are refused', () => {
  const sweep = expandSweep(sdxl(), parseSweepSpec({ maxStepsPerWorkflow: 4, axes: [{ field: 'seed', values: '1-10' }] }));
  assert.deepEqual(sweep.bodies.map((b) => (b.steps as unknown[]).length), [4, 4, 2]);
  assert.deepEqual(sweep.cells.map((c) => c.body), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
  assert.ok(sweep.notes.some((n) => n.includes('3 workflows')));
  assert.throws(() => expandSweep(sdxl(), parseSweepSpec({ axes: [
    { field: 'seed', values: '1-100' }, { field: 'cfgScale', values: '1-30' },
  ] })), /3000 cells/);
});

test('a step that others read from cannot be swept; a missing seed is pointed out', () => {
  const workflow = sdxl() as { steps: unknown[] };
  workflow.steps.push({ $type: 'imageUpscaler', input: { image: { $ref: 'gen', path: 'output.images[0].url' }, numberOfRepeats: 1 } });
  assert.throws(() => expandSweep(workflow, parseSweepSpec({ axes: [{ field: 'cfgScale', values: '4,6' }] })), /reads the output/);
  const noSeed = sdxl();
  delete (noSeed.steps[0].input as Record<string, unknown>).seed;
  assert.ok(expandSweep(noSeed, parseSweepSpec({ axes: [{ field: 'cfgScale', values: '4,6' }] })).notes.some((n) => n.includes('seed')));
});

test('dynamic prompts: variants counted, enumerated and picked reproducibly, wildcards from files', () => {
  const wildcards = (name: string) => (name === 'colour' ? wildcardLines('# colours\nred\n\n{dark|light} blue\n') : undefined);
  const prompt = dynamicPrompt('a __colour__ {fox|cat|owl}, \\{literal\\}', wildcards);
  assert.equal(prompt.variants, 9);
  const all = prompt.all();
  assert.equal(all.length, 9);
  assert.equal(new Set(all).size, 9);
  assert.ok(all.includes('a dark blue owl, {literal}'));
  assert.deepEqual(dynamicPrompt('{a|b} __nope__').missingWildcards, ['nope']);
  assert.equal(dynamicPrompt('no syntax here').variants, 1);
  assert.equal(dynamicPrompt('{unbalanced').all()[0], '{unbalanced');
  const sweep = expandSweep(sdxl(), parseSweepSpec({ axes: [{ prompt: 'variants' }] }));
  assert.equal(sweep.cells.length, 1);
  const fox = sdxl();
  (fox.steps[0].input as Record<string, unknown>).prompt = 'a {red|arctic} fox';
  const variants = expandSweep(fox, parseSweepSpec({ axes: [{ prompt: 'variants' }, { field: 'cfgScale', values: '5,7' }] }));
  assert.deepEqual(variants.cells.map((c) => c.prompt), ['a red fox', 'a arctic fox', 'a red fox', 'a arctic fox']);
});

test('wildcard names: the loader reads the files the parser and the prompt rule will ask for, no more, no fewer', async () => {
  const texts = [
    'a __colour__ fox', '__a__b__', 'x __sub/dir.v2__ y', '____ and __ __', '\\{ __with-dash__ \\}', 'snake_case_tag __x__ __x__', '__ok__, __no way__',
  ];
  for (const text of texts) {
    const parsed = [...new Set(dynamicPrompt(text).missingWildcards)].sort();
    assert.deepEqual([...new Set(wildcardNames(text))].sort(), parsed, text);
    assert.equal(hasDynamicSyntax(text), parsed.length > 0 || /(^|[^\\])\{/.test(text), text);
    const asked: string[] = [];
    await loadWildcards([text], async (name) => void asked.push(name));
    assert.deepEqual(asked.sort(), parsed, `loader for ${text}`);
    // The prompt rule points at the same `__name__` the parser reads (the first one).
    if (parsed.length > 0 && !text.includes('{')) {
      const workflow = sdxl();
      (workflow.steps[0].input as Record<string, unknown>).prompt = text;
      const json = JSON.stringify(workflow);
      const finding = lintWorkflowText(json).find((f) => f.code === 'prompt-dynamic-syntax');
      assert.ok(finding, text);
      assert.equal(json.slice(finding.offset, finding.offset + finding.length), `__${wildcardNames(text)[0]}__`, text);
    }
  }
  assert.deepEqual(wildcardNames('__a__ and __b/c.d__ __a__'), ['a', 'b/c.d', 'a'], 'in order, repeats kept');
});

test('every body is linted before pricing: a refused axis value is named with its body; a valid sweep has none', () => {
  const good = expandSweep(sdxl(), parseSweepSpec({ axes: [{ field: 'cfgScale', values: '4,6' }, { field: 'sampleMethod', values: 'euler,dpm++2m' }] }));
  assert.deepEqual(sweepBodyErrors(good), []);
  const bad = expandSweep(sdxl(), parseSweepSpec({ axes: [{ field: 'sampleMethod', values: 'euler,not-a-sampler' }, { field: 'size', values: '1024x1024,99999x64' }] }));
  const errors = sweepBodyErrors(bad);
  assert.ok(errors.length >= 1);
  const pointers = errors.flatMap((e) => e.errors.map((f) => f.pointer));
  assert.ok(pointers.some((p) => /\/input\/sampleMethod$/.test(p)), pointers.join(' '));
  assert.ok(pointers.some((p) => /\/input\/width$/.test(p)), pointers.join(' '));
  assert.ok(errors.every((e) => e.errors.length > 0 && e.errors.every((f) => f.severity === 'error') && e.body < bad.bodies.length));
  // Only the cells holding a refused value are named.
  const named = new Set(errors.flatMap((e) => e.errors.map((f) => `${e.body}:${/^\/steps\/(\d+)\//.exec(f.pointer)?.[1]}`)));
  for (const cell of bad.cells) {
    const step = (bad.bodies[cell.body].steps as Array<{ name: string }>).findIndex((st) => st.name === cell.stepName);
    const refused = Object.values(cell.values).some((v) => v === 'not-a-sampler' || v.includes('99999'));
    assert.equal(named.has(`${cell.body}:${step}`), refused, JSON.stringify(cell.values));
  }
});

test('a sweep file sits beside its workflow: NAME.sweep.json <-> NAME.civitai.json (the CLI and the editor agree)', () => {
  assert.equal(sweepFileBeside('/w/fox.civitai.json'), '/w/fox.sweep.json');
  assert.equal(sweepFileBeside('fox.json'), 'fox.sweep.json');
  assert.equal(workflowFileBeside('/w/fox.sweep.json'), '/w/fox.civitai.json');
  assert.equal(workflowFileBeside(sweepFileBeside('/w/a.b.civitai.json')), '/w/a.b.civitai.json');
  assert.equal(sweepFileBeside('/w/civitai.json.d/fox.civitai.json'), '/w/civitai.json.d/fox.sweep.json', 'only the ending changes');
});

test('the whole sweep is priced before paying', () => {
  const sweep = expandSweep(sdxl(), parseSweepSpec({ axes: [{ field: 'cfgScale', values: '4,6,8' }, { field: 'sampleMethod', values: 'euler,dpm++2m' }] }));
  const cost = estimateSweepCost(sweep);
  assert.equal(cost.unknownSteps.length, 0);
  assert.ok(cost.total !== null && cost.total > 0);
  const one = estimateSweepCost(expandSweep(sdxl(), parseSweepSpec({ axes: [{ field: 'cfgScale', values: '7' }] })));
  assert.equal(cost.total, (one.total as number) * 6);
});

test('prompt-dynamic-syntax: choices and wildcards are pointed at, plain prompts are not', () => {
  const withSyntax = sdxl();
  (withSyntax.steps[0].input as Record<string, unknown>).prompt = 'a {red|white} fox, __place__';
  const findings = lintWorkflowText(JSON.stringify(withSyntax, null, 2)).filter((f) => f.code === 'prompt-dynamic-syntax');
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /`\{red\|white\}` is dynamic-prompt syntax \(2 variants\)/);
  const text = JSON.stringify(withSyntax, null, 2);
  assert.equal(text.slice(findings[0].offset, findings[0].offset + findings[0].length), '{red|white}');
  const plain = lintWorkflowText(JSON.stringify(sdxl(), null, 2)).filter((f) => f.code === 'prompt-dynamic-syntax');
  assert.deepEqual(plain, []);
  const emphasis = sdxl();
  (emphasis.steps[0].input as Record<string, unknown>).prompt = 'a {fox} in snow, snake_case_tag';
  assert.deepEqual(lintWorkflowText(JSON.stringify(emphasis)).filter((f) => f.code === 'prompt-dynamic-syntax'), []);
});
