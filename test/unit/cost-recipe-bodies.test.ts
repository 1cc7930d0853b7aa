// Every imageGen / textToImage body in Civitai's recipes (```json fences and `<script setup>`
// bindings, extracted by test/fixtures/recipe-bodies.ts) gets a numeric estimate, except the
// ones listed here with the reason. The list must match exactly: a body that becomes priced, or
// one that stops being priced, fails the test, so the list stays the truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateWorkflowCost } from '../../src/core/cost/estimate';
import { recipeBodies, recipesAvailable } from '../fixtures/recipe-bodies';

const URL_SIZE = /size of a source image given by URL is only known once it is fetched/;
const UNPUBLISHED = /No published price.*Preview Cost/;

/** `<recipe> <where>#<step>` → why its estimate is not a number. */
const NOT_PRICED: Readonly<Record<string, { why: string; reason: RegExp }>> = {
  'flux2.md script:flexBody#0': { why: 'the page publishes no per-megapixel rate for flex', reason: UNPUBLISHED },
  'flux2.md script:proBody#0': { why: 'the page publishes no per-megapixel rate for pro', reason: UNPUBLISHED },
  'flux2.md script:maxBody#0': { why: 'the page publishes no per-megapixel rate for max', reason: UNPUBLISHED },
  'qwen.md script:falT2IBody#0': { why: 'FAL Qwen2: "fixed per operation", no number', reason: UNPUBLISHED },
  'qwen.md script:falProBody#0': { why: 'FAL Qwen2: no number', reason: UNPUBLISHED },
  'qwen.md script:falEditBody#0': { why: 'FAL Qwen2: no number', reason: UNPUBLISHED },
  'qwen.md json@452#0': { why: 'FAL Qwen2: no number', reason: UNPUBLISHED },
  'qwen.md json@493#0': { why: 'FAL Qwen2: no number', reason: UNPUBLISHED },
  'qwen.md json@516#0': { why: 'FAL Qwen2: no number', reason: UNPUBLISHED },
  // Priced by the source image's size, which a URL only reveals to the service.
  'openai.md script:gpt2EditBody#0': { why: 'gpt-image-2 edit without width/height: tier from the URL image', reason: URL_SIZE },
  'openai.md script:gpt2MaskEditBody#0': { why: 'gpt-image-2 edit without width/height: tier from the URL image', reason: URL_SIZE },
  'openai.md json@162#0': { why: 'gpt-image-2 edit without width/height: tier from the URL image', reason: URL_SIZE },
  'openai.md json@185#0': { why: 'gpt-image-2 edit without width/height: tier from the URL image', reason: URL_SIZE },
  'qwen.md script:sdcppVariantBody#0': { why: 'Qwen 20B variant without width/height: size of the URL image', reason: URL_SIZE },
  'qwen.md script:sdcppEditBody#0': { why: 'Qwen 20B edit without width/height: size of the URL image', reason: URL_SIZE },
  'qwen.md json@300#0': { why: 'Qwen 20B variant without width/height: size of the URL image', reason: URL_SIZE },
  'qwen.md json@325#0': { why: 'Qwen 20B edit without width/height: size of the URL image', reason: URL_SIZE },
  // A chaining sketch whose flux2 step names no model (the contract requires one to pick the leaf).
  'convert-image.md json@276#0': { why: 'flux2 step with no model', reason: /flux2 price depends on model/ },
};

test('every recipe imageGen/textToImage body has a numeric estimate, or is listed with why not', (t) => {
  if (!recipesAvailable()) return t.skip('../shared/reference is absent');
  const bodies = recipeBodies();
  let imageSteps = 0;
  const unpriced = new Map<string, string>();
  for (const { recipe, where, body } of bodies) {
    const estimate = estimateWorkflowCost(body);
    body.steps.forEach((step, i) => {
      if (step.$type !== 'imageGen' && step.$type !== 'textToImage') return;
      imageSteps++;
      const s = estimate.steps[i];
      if (s.buzz === null) unpriced.set(`${recipe} ${where}#${i}`, s.reason ?? '');
      else assert.ok(Number.isFinite(s.buzz) && s.buzz > 0, `${recipe} ${where}: ${s.buzz}`);
    });
  }
  // The extraction itself is sound: the recipes hold well over a hundred image steps.
  assert.ok(imageSteps > 100, `only ${imageSteps} image steps extracted`);
  assert.deepEqual([...unpriced.keys()].sort(), Object.keys(NOT_PRICED).sort());
  for (const [key, why] of unpriced) assert.match(why, NOT_PRICED[key].reason, key);
  t.diagnostic(`${imageSteps} image steps, ${imageSteps - unpriced.size} priced, ${unpriced.size} listed`);
});
