import { test } from 'node:test';
import assert from 'node:assert/strict';
import { airEcosystemMismatch, airIncomplete, airWrongType, loraStrengthUnusual } from '../../src/core/rules/resources';
import { applyAndRelint, check, fixTitled, inputOf, oneStep, onlyFinding } from './rules-test-helpers';

test('air-ecosystem-mismatch: an SDXL LoRA, embedding or VAE on an SD1 step', () => {
  const text = oneStep({
    ecosystem: 'sd1',
    loras: { 'urn:air:sdxl:lora:civitai:1@2': 0.8, 'urn:air:sd1:lora:civitai:3@4': 0.8 },
    embeddings: ['urn:air:sdxl:embedding:civitai:5@6'],
    vaeModel: 'urn:air:sdxl:vae:civitai:7@8',
  });
  const findings = check(airEcosystemMismatch, text);
  assert.equal(findings.length, 3);
  assert.ok(findings.every((f) => f.severity === 'warning'));
  assert.match(findings.find((f) => f.message.includes('LoRA'))!.message, /only sd1-tagged resources work/);
  assert.deepEqual(findings.map((f) => f.pointer).sort(), [
    '/steps/0/input/embeddings/0',
    '/steps/0/input/loras/urn:air:sdxl:lora:civitai:1@2',
    '/steps/0/input/vaeModel',
  ]);
});

test('air-ecosystem-mismatch stays quiet on matching AIRs and on AIRs without an ecosystem', () => {
  assert.deepEqual(check(airEcosystemMismatch, oneStep({ loras: { 'urn:air:sdxl:lora:civitai:1@2': 0.8 } })), []);
  assert.deepEqual(check(airEcosystemMismatch, oneStep({ loras: { 'civitai:1@2': 0.8 } })), []);
  assert.deepEqual(check(airEcosystemMismatch, oneStep({ ecosystem: 'anima', loras: { 'urn:air:anima:lora:civitai:123456@789012': 0.8 } })), []);
});

test('air-wrong-type: a checkpoint in loras and a LoRA as the model are errors', () => {
  const text = oneStep({ model: 'urn:air:sdxl:lora:civitai:1@2', loras: { 'urn:air:sdxl:checkpoint:civitai:3@4': 1 } });
  const findings = check(airWrongType, text);
  assert.equal(findings.length, 2);
  assert.ok(findings.every((f) => f.severity === 'error'));
  assert.match(findings[0].message, /"model" takes a checkpoint, but this AIR is a LoRA; a LoRA belongs in "loras"/);
  assert.match(findings[1].message, /"loras" takes a LoRA, but this AIR is a checkpoint/);
});

test('air-wrong-type stays quiet on the right kinds, LoRA variants and unknown types', () => {
  const text = oneStep({ loras: { 'urn:air:sdxl:lycoris:civitai:1@2': 1, 'urn:air:sdxl:dora:civitai:3@4': 1 }, vaeModel: 'urn:air:sdxl:vae:civitai:5@6', embeddings: ['urn:air:sdxl:embedding:civitai:7@8'] });
  assert.deepEqual(check(airWrongType, text), []);
  assert.deepEqual(check(airWrongType, oneStep({ model: 'urn:air:sdxl:unet:civitai:1@2' })), []);
});

test('air-incomplete: a missing version is a hint with no fix (it cannot be guessed)', () => {
  const f = onlyFinding(check(airIncomplete, oneStep({ model: 'urn:air:sdxl:checkpoint:civitai:101055' })));
  assert.equal(f.severity, 'hint');
  assert.match(f.message, /lacks its version/);
  assert.equal(f.fixes, undefined);
});

test('air-incomplete: a missing prefix is fixed (preferred); missing ecosystem and type are offered', () => {
  const prefixOnly = oneStep({ model: 'sdxl:checkpoint:civitai:101055@128078' });
  const f = onlyFinding(check(airIncomplete, prefixOnly));
  assert.equal(f.fixes?.[0].isPreferred, true);
  const { value } = applyAndRelint(prefixOnly, f.fixes![0], 'air-incomplete');
  assert.equal(inputOf(value).model, 'urn:air:sdxl:checkpoint:civitai:101055@128078');

  const bareLora = oneStep({ ecosystem: 'sd1', loras: { 'civitai:123@456': 0.8 } });
  const g = onlyFinding(check(airIncomplete, bareLora));
  const write = fixTitled(g, 'Write as urn:air:sd1:lora:civitai:123@456');
  assert.equal(write.isPreferred, false);
  const fixed = applyAndRelint(bareLora, write, 'air-incomplete');
  assert.deepEqual(inputOf(fixed.value).loras, { 'urn:air:sd1:lora:civitai:123@456': 0.8 });
});

test('air-incomplete stays quiet on canonical AIRs', () => {
  assert.deepEqual(check(airIncomplete, oneStep({ loras: { 'urn:air:sdxl:lora:civitai:1@2': 0.8 } })), []);
});

test('lora-strength-unusual: outside 0.6–1.0 is a hint, with the reason', () => {
  const text = oneStep({ loras: { 'urn:air:sdxl:lora:civitai:1@2': 0, 'urn:air:sdxl:lora:civitai:3@4': -0.5, 'urn:air:sdxl:lora:civitai:5@6': 0.3, 'urn:air:sdxl:lora:civitai:7@8': 1.4 } });
  const findings = check(loraStrengthUnusual, text);
  assert.equal(findings.length, 4);
  assert.ok(findings.every((f) => f.severity === 'hint'));
  assert.match(findings[0].message, /does nothing/);
  assert.match(findings[1].message, /inverts/);
  assert.match(findings[2].message, /barely show/);
  assert.match(findings[3].message, /character or concept/);
});

test('lora-strength-unusual stays quiet inside the typical range', () => {
  assert.deepEqual(check(loraStrengthUnusual, oneStep({ loras: { 'urn:air:sdxl:lora:civitai:1@2': 0.6, 'urn:air:sdxl:lora:civitai:3@4': 1 } })), []);
});
