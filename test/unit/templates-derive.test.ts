import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSeed, variantFromStep, buildWorkflowBody } from '../../src/core/templates';
import { lintWorkflow } from '../../src/core/lint';

const body = () => ({
  externalId: 'old-key',
  steps: [
    { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:1@2', prompt: 'p', quantity: 4, loras: { 'urn:air:sdxl:lora:civitai:3@4': 0.8 } } },
    { $type: 'imageUpscaler', input: { image: { $ref: '0', path: 'output.images[0].url' } } },
  ],
});

test('withSeed fixes the seed and asks for one image, without touching the original', () => {
  const original = body();
  const copy = withSeed(original, 0, 12345)!;
  const input = (copy.steps as Array<{ input: Record<string, unknown> }>)[0].input;
  assert.equal(input.seed, 12345);
  assert.equal(input.quantity, 1);
  assert.equal((copy.steps as unknown[]).length, 2, 'later steps are kept');
  assert.equal('externalId' in copy, false, 'a re-run must not reuse the old idempotency key');
  assert.equal(original.steps[0].input.quantity, 4);
  assert.equal('seed' in original.steps[0].input, false);
});

test('withSeed refuses a step without an input', () => {
  assert.equal(withSeed(body(), 5, 1), undefined);
  assert.equal(withSeed({ steps: 'x' }, 0, 1), undefined);
  assert.equal(withSeed(null, 0, 1), undefined);
});

test('variantFromStep keeps model, prompt and LoRAs and switches to createVariant', () => {
  const variant = variantFromStep(body().steps[0].input, 'data:image/png;base64,AAAA', { width: 832, height: 1216 })!;
  const input = (variant.steps as Array<{ input: Record<string, unknown> }>)[0].input;
  assert.equal(input.operation, 'createVariant');
  assert.equal(input.image, 'data:image/png;base64,AAAA');
  assert.equal(input.model, 'urn:air:sdxl:checkpoint:civitai:1@2');
  assert.equal(input.prompt, 'p');
  assert.deepEqual(input.loras, { 'urn:air:sdxl:lora:civitai:3@4': 0.8 });
  assert.equal(input.width, 832);
  assert.equal(input.height, 1216);
  assert.equal(input.quantity, 1);
  assert.equal(typeof input.strength, 'number');
  assert.equal('seed' in input, false);
  const errors = lintWorkflow(JSON.stringify(variant)).findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => f.message), []);
});

test('variantFromStep uses the comfy strength field on comfy steps', () => {
  const src = buildWorkflowBody({ ecosystem: 'sd1', engine: 'comfy', operation: 'createImage' });
  const input = (src.steps as Array<{ input: unknown }>)[0].input;
  const variant = variantFromStep(input, 'AAAA')!;
  const out = (variant.steps as Array<{ input: Record<string, unknown> }>)[0].input;
  assert.equal(typeof out.denoiseStrength, 'number');
  assert.equal('strength' in out, false);
  assert.equal(out.width, 512);
});

test('variantFromStep refuses steps it cannot vary', () => {
  assert.equal(variantFromStep({ engine: 'flux', ecosystem: 'flux1' }, 'x'), undefined);
  assert.equal(variantFromStep({ engine: 'sdcpp', ecosystem: 'qwen' }, 'x'), undefined);
  assert.equal(variantFromStep('nope', 'x'), undefined);
});
