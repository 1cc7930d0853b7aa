// The contract pass as a person sees it: one finding per problem, at the exact place, saying what
// to do. Rules are switched off here so these tests depend on the contract pass alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintWorkflow } from '../../src/core/lint';
import type { Finding } from '../../src/core/findings';

const contractOnly = (text: string): Finding[] => lintWorkflow(text, { rules: false }).findings;
const show = (f: readonly Finding[]): string => JSON.stringify(f.map((x) => `${x.code} ${x.pointer} ${x.range.start.line}:${x.range.start.character} ${x.message}`), null, 1);

function workflow(input: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, steps: [{ $type: 'imageGen', input }] }, null, 2);
}

const SD1 = { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'a cat' };
const SDXL = { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a cat' };
const COMFY_SD1 = { ...SD1, engine: 'comfy' };
const ANIMA = { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'a cat' };

function only(findings: readonly Finding[]): Finding {
  assert.equal(findings.length, 1, show(findings));
  return findings[0];
}

test('a field that must not be there: on its key, naming the combination and the replacement', () => {
  const text = [
    '{',
    '  "steps": [',
    '    {',
    '      "$type": "imageGen",',
    '      "input": {',
    '        "engine": "sdcpp", "ecosystem": "sdxl", "operation": "createImage",',
    '        "model": "urn:air:sdxl:checkpoint:civitai:101055@128078",',
    '        "prompt": "a cat",',
    '        "sampler": "euler"',
    '      }',
    '    }',
    '  ]',
    '}',
  ].join('\n');
  const f = only(contractOnly(text));
  assert.equal(f.code, 'unknown-property');
  assert.equal(f.severity, 'error');
  assert.equal(f.pointer, '/steps/0/input/sampler');
  assert.deepEqual(f.range, { start: { line: 8, character: 8 }, end: { line: 8, character: 17 } });
  assert.equal(
    f.message,
    '`sampler` is not a field of sdcpp + sdxl createImage; use `sampleMethod` (the sdcpp name for it). ' +
      'The service drops fields it does not know without a word, so this value would have no effect.',
  );
});

test('the guides\' replacements: scheduler, denoiseStrength, strength, clipSkip, Anima model', () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...SD1, scheduler: 'karras' }, 'scheduler', /use `schedule`/],
    [{ ...SD1, operation: 'createVariant', image: 'https://e.com/a.png', denoiseStrength: 0.5 }, 'denoiseStrength', /use `strength`/],
    [{ ...COMFY_SD1, operation: 'createVariant', image: 'https://e.com/a.png', strength: 0.5 }, 'strength', /use `denoiseStrength`/],
    [{ ...COMFY_SD1, sampleMethod: 'euler' }, 'sampleMethod', /use `sampler`/],
    [{ ...COMFY_SD1, embeddings: [] }, 'embeddings', /comfy has no `embeddings`; remove it/],
    [{ ...SDXL, clipSkip: 2 }, 'clipSkip', /SDXL has no clipSkip; remove it/],
    [{ ...ANIMA, clipSkip: 2 }, 'clipSkip', /Anima has no clipSkip; remove it/],
    [{ ...ANIMA, model: 'urn:air:anima:checkpoint:civitai:1@2' }, 'model', /Anima ships its own model: delete `model`, or use `diffuserModel`/],
    [{ ...SD1, image: 'https://e.com/a.png' }, 'image', /only accepted with `operation` "createVariant"/],
    [{ ...SD1, controlNets: [] }, 'controlNets', /only accepted with `engine` "comfy"/],
    [{ ...SD1, negative_prompt: 'x' }, 'negative_prompt', /did you mean `negativePrompt`\?/],
  ];
  for (const [input, field, message] of cases) {
    const f = only(contractOnly(workflow(input)));
    assert.equal(f.code, 'unknown-property', field);
    assert.equal(f.pointer, `/steps/0/input/${field}`);
    assert.match(f.message, message);
  }
});

test('a value out of range: one finding on the value, with the bound and what to do', () => {
  const text = workflow({ ...COMFY_SD1, width: 2048, height: 512 });
  const f = only(contractOnly(text));
  assert.equal(f.code, 'out-of-range');
  assert.equal(f.pointer, '/steps/0/input/width');
  assert.equal(f.offset, text.indexOf('2048'));
  assert.equal(f.length, 4);
  assert.match(f.message, /^`width` 2048 is above the maximum 1024 for comfy \+ sd1 createImage; engine `sdcpp` allows up to 2048, or generate smaller and upscale afterwards/);
  assert.match(f.message, /guide says .*2048.*contract caps comfy SD1 at 1024/);
  const low = only(contractOnly(workflow({ ...SD1, steps: 0 })));
  assert.equal(low.message, '`steps` 0 is below the minimum 1 for sdcpp + sd1 createImage. The service does not refuse it, so nothing else warns you before the run.');
});

test('a missing field: on the brace of the object that lacks it', () => {
  const text = workflow({ engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', prompt: 'a cat' });
  const f = only(contractOnly(text));
  assert.equal(f.code, 'missing-property');
  assert.equal(f.pointer, '/steps/0/input');
  assert.equal(f.offset, text.indexOf('{', text.indexOf('"input"')));
  assert.equal(f.length, 1);
  assert.equal(f.message, 'Missing required field `model` for sdcpp + sd1 createImage.');
  const noEngine = only(contractOnly(workflow({ prompt: 'a cat' })));
  assert.equal(noEngine.code, 'missing-property');
  assert.match(noEngine.message, /`input` needs `engine`: one of `openai`.*`sdcpp`, `comfy`/);
  const noSteps = only(contractOnly('{ "tags": [] }'));
  assert.equal(noSteps.pointer, '');
  assert.match(noSteps.message, /no `steps`/);
});

test('wrong type and wrong enum values say what is expected', () => {
  const width = only(contractOnly(workflow({ ...SD1, width: '512' })));
  assert.equal(width.code, 'wrong-type');
  assert.equal(width.message, '`width` must be an integer, not a string "512"; write 512 without quotes.');
  const sampler = only(contractOnly(workflow({ ...SD1, sampleMethod: 'dpmpp_2m' })));
  assert.equal(sampler.code, 'invalid-enum');
  assert.match(sampler.message, /Did you mean `dpm\+\+2m`\?/);
  assert.match(sampler.message, /use one of `euler`, `heun`/);
  const comfy = only(contractOnly(workflow({ ...COMFY_SD1, sampler: 'euler_a' })));
  assert.match(comfy.message, /Did you mean `euler_ancestral`\?/);
  assert.match(comfy.message, /… and \d+ more/);
});

test('unknown engine, ecosystem, operation and step type', () => {
  const legacy = only(contractOnly(workflow({ engine: 'sdxl', prompt: 'a cat' })));
  assert.equal(legacy.code, 'unknown-engine');
  assert.equal(legacy.pointer, '/steps/0/input/engine');
  assert.match(legacy.message, /current shape is `engine: "sdcpp", ecosystem: "sdxl", operation: "createImage"`/);
  const ecosystem = only(contractOnly(workflow({ ...SD1, ecosystem: 'sdxl2' })));
  assert.equal(ecosystem.code, 'unknown-ecosystem');
  assert.match(ecosystem.message, /Did you mean `sdxl`\?/);
  const lens = only(contractOnly(workflow({ ...SD1, ecosystem: 'lens' })));
  assert.match(lens.message, /available with engine `comfy`/);
  const operation = only(contractOnly(workflow({ ...ANIMA, operation: 'editImage' })));
  assert.equal(operation.code, 'unknown-operation');
  assert.match(operation.message, /supports `createImage`, `createVariant`/);
  const type = only(contractOnly(JSON.stringify({ steps: [{ $type: 'imageGenn', input: {} }] })));
  assert.equal(type.code, 'unknown-step-type');
  assert.match(type.message, /Did you mean `imageGen`\?/);
  const missingType = only(contractOnly(JSON.stringify({ steps: [{ input: {} }] })));
  assert.equal(missingType.code, 'missing-property');
  assert.match(missingType.message, /no `\$type`/);
});

test('references are accepted wherever an input value is expected', () => {
  const args = { arguments: { prompt: 'a cat', seed: 42 } };
  assert.deepEqual(contractOnly(workflow({ ...SD1, prompt: { $ref: '$arguments', path: 'prompt' }, seed: { $ref: '$arguments', path: 'seed' } }, args)), []);
  const chained = JSON.stringify({
    steps: [
      { $type: 'imageGen', name: 'hero', input: SDXL },
      { $type: 'imageUpscaler', name: 'hero-4k', input: { image: { $ref: 'hero', path: 'output.images[0].url' }, numberOfRepeats: 1 } },
    ],
  });
  assert.deepEqual(contractOnly(chained), []);
  // Items of an input array too: edit the image an earlier step made.
  const edit = JSON.stringify({
    steps: [
      { $type: 'imageGen', name: 'base', input: SDXL },
      { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'flux2Klein', operation: 'editImage', prompt: 'make it night', images: [{ $ref: 'base', path: 'output.images[0].url' }] } },
    ],
  });
  assert.deepEqual(contractOnly(edit), []);
  // The whole input may be a reference too.
  assert.deepEqual(contractOnly(JSON.stringify({ steps: [{ $type: 'imageUpscaler', input: { $ref: '$arguments', path: 'upscale' } }] })), []);
});

test('a malformed reference reports the reference problem, not the field\'s', () => {
  const f = only(contractOnly(workflow({ ...SD1, prompt: { $ref: 'hero', paths: 'x' } })));
  assert.equal(f.code, 'unknown-property');
  assert.equal(f.pointer, '/steps/0/input/prompt/paths');
  assert.match(f.message, /reference object.*did you mean `path`\?/);
  const notString = only(contractOnly(workflow({ ...SD1, prompt: { $ref: 5 } })));
  assert.equal(notString.code, 'wrong-type');
  assert.equal(notString.pointer, '/steps/0/input/prompt/$ref');
  // An object that is not a reference is judged as the field's own value.
  const obj = only(contractOnly(workflow({ ...SD1, prompt: { text: 'a cat' } })));
  assert.equal(obj.code, 'wrong-type');
  assert.equal(obj.pointer, '/steps/0/input/prompt');
});

test('`$schema` is accepted and `currencies` is optional', () => {
  assert.deepEqual(contractOnly(workflow(SD1, { $schema: './node_modules/x/workflow.schema.json' })), []);
  assert.deepEqual(contractOnly(workflow(SD1)), []);
  assert.deepEqual(contractOnly(workflow(SD1, { currencies: ['blue'] })), []);
  const bad = only(contractOnly(workflow(SD1, { currencies: ['purple'] })));
  assert.equal(bad.code, 'invalid-enum');
  assert.equal(bad.pointer, '/currencies/0');
});

test('workflow-level fields: tags, externalId, callbacks', () => {
  const tags = only(contractOnly(workflow(SD1, { tags: ['a', 'a'] })));
  assert.equal(tags.code, 'duplicate-items');
  const many = only(contractOnly(workflow(SD1, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) })));
  assert.equal(many.code, 'too-many-items');
  const empty = only(contractOnly(workflow(SD1, { externalId: '' })));
  assert.equal(empty.code, 'too-short');
  const spaced = only(contractOnly(workflow(SD1, { externalId: 'a b' })));
  assert.equal(spaced.code, 'invalid-format');
  const url = only(contractOnly(workflow(SD1, { callbacks: [{ url: 'not a url', type: ['workflow:succeeded'] }] })));
  assert.equal(url.code, 'invalid-format');
  assert.equal(url.pointer, '/callbacks/0/url');
  const legacy = only(contractOnly(workflow(SD1, { callbackUrl: 'https://e.com/hook' })));
  assert.match(legacy.message, /use `callbacks: \[/);
  const noSteps = only(contractOnly(JSON.stringify({ steps: [] })));
  assert.equal(noSteps.code, 'too-few-items');
});

test('several problems give one finding each, sorted by position', () => {
  const findings = contractOnly(workflow({ ...SDXL, clipSkip: 2, width: 4096, sampler: 'euler' }));
  assert.deepEqual(findings.map((f) => f.code), ['unknown-property', 'out-of-range', 'unknown-property']);
  assert.deepEqual(findings.map((f) => f.pointer), ['/steps/0/input/clipSkip', '/steps/0/input/width', '/steps/0/input/sampler']);
  for (let i = 1; i < findings.length; i++) assert.ok(findings[i - 1].offset <= findings[i].offset);
});

test('every other step type is checked too', () => {
  const up = only(contractOnly(JSON.stringify({ steps: [{ $type: 'imageUpscaler', input: { image: 'https://e.com/a.png', numberOfRepeats: 9 } }] })));
  assert.equal(up.code, 'out-of-range');
  assert.match(up.message, /maximum 3/);
  const step = only(contractOnly(JSON.stringify({ steps: [{ $type: 'imageUpscaler', input: { image: 'x' }, priority: 'urgent' }] })));
  assert.equal(step.code, 'invalid-enum');
  assert.equal(step.pointer, '/steps/0/priority');
});

test('step-level problems name the step', () => {
  const noInput = only(contractOnly(JSON.stringify({ steps: [{ $type: 'imageGen' }] })));
  assert.equal(noInput.message, 'Missing required field `input` for this `imageGen` step.');
  const typo = only(contractOnly(JSON.stringify({ steps: [{ $type: 'imageUpscaler', inputs: {}, input: { image: 'x' } }] })));
  assert.equal(typo.pointer, '/steps/0/inputs');
  assert.match(typo.message, /is not a field of this `imageUpscaler` step; did you mean `input`\?/);
});

test('wrong-type wording for null, objects and arrays', () => {
  assert.equal(only(contractOnly(workflow({ ...SD1, prompt: null }))).message, '`prompt` must be a string, not null.');
  assert.equal(only(contractOnly(workflow({ ...SD1, steps: [20] }))).message, '`steps` must be an integer, not an array [20].');
  assert.equal(only(contractOnly(workflow({ ...SD1, steps: 20.5 }))).message, '`steps` must be an integer, not a number 20.5.');
});
