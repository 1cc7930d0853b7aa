import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePng } from '../../src/core/png/encode';
import { decodePng } from '../../src/core/png/decode';
import { readParameters } from '../../src/core/png/text-chunks';
import { importGenerationParameters, parseGenerationParameters } from '../../src/core/prompt/import-params';
import { imageParametersText, knownImageSeed, resultImageWithParameters } from '../../src/core/results/image-parameters';

function smallPng(): Uint8Array {
  const data = new Uint8Array(4 * 3 * 3).map((_, i) => (i * 53) % 256);
  return encodePng({ width: 4, height: 3, channels: 3, data });
}

const SD1_MODEL = 'urn:air:sd1:checkpoint:civitai:4384@128713';

function body(input: Record<string, unknown>, before: unknown[] = []): Record<string, unknown> {
  return {
    steps: [
      ...before,
      {
        $type: 'imageGen',
        input: { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: SD1_MODEL, prompt: 'a red fox in fresh snow, morning light', negativePrompt: 'worst quality, low quality', width: 512, height: 768, steps: 25, cfgScale: 6.5, ...input },
      },
    ],
  };
}

function settingOf(text: string, key: string): string | undefined {
  return parseGenerationParameters(text)?.settings.find((s) => s.key === key)?.value;
}

test('a PNG result gets its step\'s parameters, which the import turns back into the same prompt, steps, cfg and size', () => {
  const png = smallPng();
  const submitted = body({ seed: 424242 });
  const out = resultImageWithParameters(png, submitted, 0);
  const text = readParameters(out);
  assert.ok(text, 'a parameters chunk was written');
  const imported = importGenerationParameters(text);
  assert.ok(imported);
  const input = imported.workflow.steps[0].input;
  assert.equal(input.prompt, 'a red fox in fresh snow, morning light');
  assert.equal(input.negativePrompt, 'worst quality, low quality');
  assert.deepEqual([input.steps, input.cfgScale, input.width, input.height], [25, 6.5, 512, 768]);
  assert.equal(input.model, SD1_MODEL);
  assert.equal(input.seed, 424242, 'the fixed seed of a one-image step is known');
  // The pixels are untouched.
  assert.deepEqual(decodePng(out).data, decodePng(png).data);
});

test('the step is picked by index, and the seed the service reported wins', () => {
  const upscaler = { $type: 'imageUpscaler', input: { image: 'https://example.com/a.png' } };
  const submitted = body({ seed: 1 }, [upscaler]);
  const text = readParameters(resultImageWithParameters(smallPng(), submitted, 1, 77));
  assert.ok(text);
  assert.equal(settingOf(text, 'Seed'), '77');
  // The upscaler step has no generation parameters: its image is kept as it came.
  const png = smallPng();
  assert.equal(resultImageWithParameters(png, submitted, 0), png);
});

test('a seed nobody knows is left out: random seed, or a batch (how its seeds differ is not documented)', () => {
  const random = imageParametersText(body({}), 0);
  assert.ok(random);
  assert.equal(settingOf(random, 'Seed'), undefined);
  const batch = imageParametersText(body({ seed: 5, quantity: 4 }), 0);
  assert.ok(batch);
  assert.equal(settingOf(batch, 'Seed'), undefined, 'the batch\'s fixed seed is not written as every image\'s seed');
  assert.equal(settingOf(batch, 'Batch size'), '4');
  assert.equal(knownImageSeed(body({ seed: 5, quantity: 4 }), 0, undefined), undefined);
  assert.equal(knownImageSeed(body({ seed: 5, quantity: 4 }), 0, 9), 9);
  assert.equal(knownImageSeed(body({ seed: 5 }), 0, null), 5);
  assert.equal(knownImageSeed(body({ seed: { $ref: '$arguments', path: 'seed' } }), 0, undefined), undefined);
});

test('non-PNG bytes, a prompt from $ref, and bodies that are not workflows leave the bytes unchanged', () => {
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
  assert.deepEqual(resultImageWithParameters(jpeg, body({ seed: 1 }), 0), jpeg);
  const png = smallPng();
  assert.equal(resultImageWithParameters(png, body({ prompt: { $ref: '$arguments', path: 'prompt' } }), 0), png);
  for (const notABody of [undefined, null, 'text', [], { steps: 'no' }, { steps: [] }]) {
    assert.equal(resultImageWithParameters(png, notABody, 0), png);
  }
  assert.equal(resultImageWithParameters(png, body({}), 3), png, 'an index past the steps');
});

test('a PNG that already has parameters gets this step\'s instead (one parameters entry)', () => {
  const first = resultImageWithParameters(smallPng(), body({ prompt: 'first prompt' }), 0);
  const second = resultImageWithParameters(first, body({ prompt: 'second prompt' }), 0);
  assert.equal(readParameters(second)?.split('\n')[0], 'second prompt');
});
