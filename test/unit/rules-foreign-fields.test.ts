import { test } from 'node:test';
import assert from 'node:assert/strict';
import { a1111SamplerName, fieldOfOtherEcosystem, fieldOfOtherEngine } from '../../src/core/rules/foreign-fields';
import { applied, applyAndRelint, check, fixTitled, inputOf, oneStep, onlyFinding, errorsOf } from './rules-test-helpers';

const ANIMA_LORA_OVERRIDE = 'urn:air:anima:checkpoint:civitai:9999@8888';

test('sampler/scheduler on sdcpp become sampleMethod/schedule with mapped values', () => {
  const text = oneStep({ sampler: 'euler_ancestral', scheduler: 'normal' });
  const findings = check(fieldOfOtherEngine, text);
  assert.deepEqual(findings.map((f) => f.pointer), ['/steps/0/input/sampler', '/steps/0/input/scheduler']);
  for (const f of findings) {
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.supersedes, ['unknown-property']);
  }
  assert.match(findings[0].message, /"euler_ancestral" is "euler_a"/);
  const first = applied(text, findings[0].fixes![0]);
  assert.equal(inputOf(first.value).sampleMethod, 'euler_a');
  const second = check(fieldOfOtherEngine, first.text);
  const after = applyAndRelint(first.text, onlyFinding(second).fixes![0], 'field-of-other-engine');
  assert.equal(inputOf(after.value).schedule, 'discrete');
  assert.equal('sampler' in inputOf(after.value), false);
  assert.equal(errorsOf(after.findings).length, 0);
});

test('dpmpp_2m + karras on sdcpp map to dpm++2m + karras', () => {
  const text = oneStep({ sampler: 'dpmpp_2m', scheduler: 'karras' });
  const f = check(fieldOfOtherEngine, text);
  assert.match(f[0].message, /"dpm\+\+2m"/);
  assert.equal(f[1].fixes?.[0].title, 'Rename to "schedule"');
});

test('the reverse on comfy: sampleMethod/schedule become sampler/scheduler', () => {
  const text = oneStep({ engine: 'comfy', sampleMethod: 'euler_a', schedule: 'discrete' });
  const findings = check(fieldOfOtherEngine, text);
  assert.equal(findings.length, 2);
  const { value, text: fixed } = applied(text, findings[0].fixes![0]);
  assert.equal(inputOf(value).sampler, 'euler_ancestral');
  const rest = check(fieldOfOtherEngine, fixed);
  const done = applyAndRelint(fixed, rest[0].fixes![0], 'field-of-other-engine');
  assert.equal(inputOf(done.value).scheduler, 'normal');
});

test('an A1111 sampler name on sdcpp splits into sampleMethod and schedule', () => {
  const text = oneStep({ sampler: 'DPM++ 2M Karras' });
  const f = onlyFinding(check(fieldOfOtherEngine, text));
  const { value } = applyAndRelint(text, f.fixes![0], 'field-of-other-engine');
  assert.equal(inputOf(value).sampleMethod, 'dpm++2m');
  assert.equal(inputOf(value).schedule, 'karras');
});

test('a value without counterpart is never written: the only fix removes, and is not preferred', () => {
  const text = oneStep({ sampler: 'dpmpp_sde' });
  const f = onlyFinding(check(fieldOfOtherEngine, text));
  assert.match(f.message, /no sdcpp counterpart/);
  assert.equal(f.fixes?.length, 1);
  assert.equal(f.fixes?.[0].isPreferred, false);
  const { value } = applyAndRelint(text, fixTitled(f, 'Remove "sampler"'), 'field-of-other-engine');
  assert.equal('sampler' in inputOf(value), false);
  assert.equal('sampleMethod' in inputOf(value), false);
});

test('denoiseStrength <-> strength on variants, removed on createImage', () => {
  const variant = oneStep({ operation: 'createVariant', image: 'https://example.com/a.png', denoiseStrength: 0.6 });
  const f = onlyFinding(check(fieldOfOtherEngine, variant));
  const { value } = applyAndRelint(variant, f.fixes![0], 'field-of-other-engine');
  assert.equal(inputOf(value).strength, 0.6);

  const comfyVariant = oneStep({ engine: 'comfy', operation: 'createVariant', image: 'https://example.com/a.png', strength: 0.5 });
  const g = onlyFinding(check(fieldOfOtherEngine, comfyVariant));
  assert.equal(inputOf(applyAndRelint(comfyVariant, g.fixes![0], 'field-of-other-engine').value).denoiseStrength, 0.5);

  const createImage = oneStep({ denoiseStrength: 0.6 });
  const h = onlyFinding(check(fieldOfOtherEngine, createImage));
  assert.match(h.message, /does not take either/);
  assert.equal('denoiseStrength' in inputOf(applyAndRelint(createImage, h.fixes![0], 'field-of-other-engine').value), false);
});

test('embeddings and uCache on comfy are removed; only uCache\'s removal is preferred (embeddings: remove or switch engine)', () => {
  const text = oneStep({ engine: 'comfy', embeddings: ['urn:air:sdxl:embedding:civitai:1@2'], uCache: 'normal' });
  const findings = check(fieldOfOtherEngine, text);
  assert.deepEqual(findings.map((f) => f.pointer), ['/steps/0/input/embeddings', '/steps/0/input/uCache']);
  assert.deepEqual(findings.map((f) => f.fixes?.map((x) => x.isPreferred)), [[false], [true]]);
  let current = text;
  for (const pointer of ['/steps/0/input/embeddings', '/steps/0/input/uCache']) {
    const f = check(fieldOfOtherEngine, current).find((x) => x.pointer === pointer)!;
    current = applied(current, f.fixes![0]).text;
  }
  assert.deepEqual(check(fieldOfOtherEngine, current), []);
});

test('a foreign field next to its counterpart is removed rather than renamed onto it', () => {
  const text = oneStep({ sampler: 'euler', sampleMethod: 'euler_a' });
  const f = onlyFinding(check(fieldOfOtherEngine, text));
  assert.match(f.message, /already sets/);
  const { value } = applyAndRelint(text, f.fixes![0], 'field-of-other-engine');
  assert.equal(inputOf(value).sampleMethod, 'euler_a');
});

test('field-of-other-engine stays quiet on correct fields', () => {
  assert.deepEqual(check(fieldOfOtherEngine, oneStep({ sampleMethod: 'euler_a', schedule: 'karras' })), []);
  assert.deepEqual(check(fieldOfOtherEngine, oneStep({ engine: 'comfy', sampler: 'dpmpp_2m', scheduler: 'karras' })), []);
  assert.deepEqual(check(fieldOfOtherEngine, oneStep({ engine: 'comfy', operation: 'createVariant', image: 'x', denoiseStrength: 0.7 })), []);
});

test('clipSkip on SDXL and Anima is removed; SD1 keeps it', () => {
  for (const ecosystem of ['sdxl', 'anima']) {
    const text = oneStep({ ecosystem, clipSkip: 2 });
    const f = onlyFinding(check(fieldOfOtherEcosystem, text));
    assert.deepEqual(f.supersedes, ['unknown-property']);
    if (ecosystem === 'sdxl') assert.match(f.message, /dual text encoders/);
    const { value } = applyAndRelint(text, f.fixes![0], 'field-of-other-ecosystem');
    assert.equal('clipSkip' in inputOf(value), false);
  }
  assert.deepEqual(check(fieldOfOtherEcosystem, oneStep({ ecosystem: 'sd1', clipSkip: 2 })), []);
});

test('model on Anima: remove it, or rename it to diffuserModel (preferred for an Anima AIR; an SDXL AIR is a choice)', () => {
  const sdxlModel = oneStep({ ecosystem: 'anima', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078' });
  const f = onlyFinding(check(fieldOfOtherEcosystem, sdxlModel));
  assert.equal(f.fixes?.length, 2);
  // The step may be meant for SDXL: dropping the checkpoint is not obviously right.
  assert.deepEqual(f.fixes?.map((x) => x.isPreferred), [false, false]);
  const removed = applyAndRelint(sdxlModel, fixTitled(f, 'Remove'), 'field-of-other-ecosystem');
  assert.equal('model' in inputOf(removed.value), false);

  const override = oneStep({ ecosystem: 'anima', model: ANIMA_LORA_OVERRIDE });
  const g = onlyFinding(check(fieldOfOtherEcosystem, override));
  const rename = fixTitled(g, 'Rename to "diffuserModel"');
  assert.equal(rename.isPreferred, true);
  const renamed = applyAndRelint(override, rename, 'field-of-other-ecosystem');
  assert.equal(inputOf(renamed.value).diffuserModel, ANIMA_LORA_OVERRIDE);
  assert.equal(errorsOf(renamed.findings).length, 0);

  // With diffuserModel already set, "model" is a leftover: removing it is the one fix, preferred.
  const both = oneStep({ ecosystem: 'anima', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', diffuserModel: ANIMA_LORA_OVERRIDE });
  const h = onlyFinding(check(fieldOfOtherEcosystem, both));
  assert.deepEqual(h.fixes?.map((x) => [x.title, x.isPreferred]), [['Remove "model"', true]]);
});

test('a1111-sampler-name: "DPM++ 2M Karras" on comfy becomes dpmpp_2m + karras; "Euler a" on sdcpp becomes euler_a', () => {
  const comfy = oneStep({ engine: 'comfy', sampler: 'DPM++ 2M Karras' });
  const f = onlyFinding(check(a1111SamplerName, comfy));
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.supersedes, ['invalid-enum']);
  const fixed = applyAndRelint(comfy, f.fixes![0], 'a1111-sampler-name');
  assert.deepEqual([inputOf(fixed.value).sampler, inputOf(fixed.value).scheduler], ['dpmpp_2m', 'karras']);
  assert.deepEqual(errorsOf(fixed.findings), []);

  const sdcpp = oneStep({ sampleMethod: 'Euler a', schedule: 'Karras' });
  const findings = check(a1111SamplerName, sdcpp);
  assert.equal(findings.length, 2);
  let current = sdcpp;
  for (const pointer of ['/steps/0/input/sampleMethod', '/steps/0/input/schedule']) {
    const g = check(a1111SamplerName, current).find((x) => x.pointer === pointer)!;
    current = applied(current, g.fixes![0]).text;
  }
  assert.deepEqual([inputOf(JSON.parse(current)).sampleMethod, inputOf(JSON.parse(current)).schedule], ['euler_a', 'karras']);
  assert.deepEqual(check(a1111SamplerName, current), []);
});

test('a1111-sampler-name: without a counterpart on this engine it says so and offers no fix; engine values are left alone', () => {
  const f = onlyFinding(check(a1111SamplerName, oneStep({ sampleMethod: 'DPM++ SDE Karras' })));
  assert.match(f.message, /no counterpart/);
  assert.equal(f.fixes, undefined);
  assert.deepEqual(check(a1111SamplerName, oneStep({ sampleMethod: 'euler_a', schedule: 'karras' })), []);
  assert.deepEqual(check(a1111SamplerName, oneStep({ engine: 'comfy', sampler: 'not-a-sampler' })), [], 'unknown names are the contract\'s invalid-enum');
});

test('the rules read sampler names through the one sampler table: a ComfyUI saver\'s spelling converts; a1111-sampler-name still speaks only of A1111 names', () => {
  // field-of-other-engine: `sampler` on sdcpp written as a ComfyUI saver writes it.
  const saver = oneStep({ sampler: 'dpmpp_2m_karras' });
  const rename = onlyFinding(check(fieldOfOtherEngine, saver));
  const fixed = applyAndRelint(saver, rename.fixes![0], 'field-of-other-engine');
  assert.deepEqual([inputOf(fixed.value).sampleMethod, inputOf(fixed.value).schedule], ['dpm++2m', 'karras']);
  assert.deepEqual(errorsOf(fixed.findings), []);
  // a1111-sampler-name: another engine's value or Forge's own sampler is not called an A1111 name.
  for (const sampler of ['dpm++2m', 'euler_a', 'Euler CFG++ Karras']) assert.deepEqual(check(a1111SamplerName, oneStep({ engine: 'comfy', sampler })), [], sampler);
  assert.equal(check(a1111SamplerName, oneStep({ engine: 'comfy', sampler: 'DPM++ 2M SDE Exponential' })).length, 1);
});
