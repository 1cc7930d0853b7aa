import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUserProfiles, setActiveUserProfiles } from '../../src/core/ecosystems/profiles';
import { cfgOutsideSweetSpot, stepsOutsideTypical } from '../../src/core/rules/guidance';
import { applyAndRelint, check, inputOf, oneStep, onlyFinding } from './rules-test-helpers';

test('cfg-outside-sweet-spot: SD at 12, Anima at 7 (the SD default), with the docs\' reasons', () => {
  const sd = onlyFinding(check(cfgOutsideSweetSpot, oneStep({ cfgScale: 12 })));
  assert.equal(sd.severity, 'hint');
  assert.match(sd.message, /outside 6–8/);
  const low = onlyFinding(check(cfgOutsideSweetSpot, oneStep({ ecosystem: 'sd1', cfgScale: 3 })));
  assert.match(low.message, /prompts feel ignored/);
  const anima = onlyFinding(check(cfgOutsideSweetSpot, oneStep({ ecosystem: 'anima', cfgScale: 7 })));
  assert.match(anima.message, /outside 3–5/);
  assert.match(anima.message, /flat or off-style/);
});

test('cfg-outside-sweet-spot stays quiet inside the range and at the contract defaults', () => {
  assert.deepEqual(check(cfgOutsideSweetSpot, oneStep({ cfgScale: 7 })), []);
  assert.deepEqual(check(cfgOutsideSweetSpot, oneStep({ ecosystem: 'anima', cfgScale: 4 })), []);
  assert.deepEqual(check(cfgOutsideSweetSpot, oneStep({})), []);
  assert.deepEqual(check(cfgOutsideSweetSpot, oneStep({ ecosystem: 'anima' })), []);
  assert.deepEqual(check(cfgOutsideSweetSpot, oneStep({ cfgScale: { $ref: '$arguments', path: 'cfg' } }, { arguments: { cfg: 7 } })), []);
});

test('Turbo/LCM: the lcm sampler switches to cfg 1–2 and 4–8 steps, and the default cfg 7 is flagged', () => {
  const text = oneStep({ sampleMethod: 'lcm', steps: 25 });
  const cfg = onlyFinding(check(cfgOutsideSweetSpot, text));
  assert.match(cfg.message, /cfgScale \(default 7\) is outside 1–2/);
  assert.match(cfg.message, /mush/);
  const steps = onlyFinding(check(stepsOutsideTypical, text));
  assert.match(steps.message, /need 4–8 steps/);
  assert.deepEqual(check(cfgOutsideSweetSpot, oneStep({ sampleMethod: 'lcm', cfgScale: 1.5, steps: 6 })), []);
  assert.deepEqual(check(stepsOutsideTypical, oneStep({ sampleMethod: 'lcm', cfgScale: 1.5, steps: 6 })), []);
});

test('a Turbo LoRA named in the AIR (a user-written readable AIR) also switches the regime', () => {
  const text = oneStep({ loras: { 'urn:air:sdxl:lora:huggingface:user/sdxl-lightning-lora@1': 1 }, cfgScale: 7 });
  assert.match(onlyFinding(check(cfgOutsideSweetSpot, text)).message, /Turbo\/LCM/);
});

test('steps-outside-typical: Anima below 20, SD below 20 or above 30', () => {
  assert.match(onlyFinding(check(stepsOutsideTypical, oneStep({ ecosystem: 'anima', steps: 12 }))).message, /under-bakes below 20/);
  assert.deepEqual(check(stepsOutsideTypical, oneStep({ ecosystem: 'anima', steps: 40 })), []);
  assert.match(onlyFinding(check(stepsOutsideTypical, oneStep({ steps: 60 }))).message, /30\+ rarely helps/);
  assert.match(onlyFinding(check(stepsOutsideTypical, oneStep({ ecosystem: 'sd1', steps: 8 }))).message, /unfinished/);
  assert.deepEqual(check(stepsOutsideTypical, oneStep({ steps: 25 })), []);
  assert.deepEqual(check(stepsOutsideTypical, oneStep({ engine: 'comfy' })), []); // comfy default 30
});

test('a model profile (built in: Animagine XL 4.0) replaces the ecosystem range', () => {
  const animagine = 'urn:air:sdxl:checkpoint:civitai:1188071@1337429';
  const f = onlyFinding(check(stepsOutsideTypical, oneStep({ model: animagine, steps: 30, cfgScale: 5 })));
  assert.match(f.message, /25–28 recommended for Animagine XL 4.0/);
  assert.deepEqual(check(cfgOutsideSweetSpot, oneStep({ model: animagine, cfgScale: 4.5 })), []);
});

test('a user profile from the settings wins too', (t) => {
  const { profiles } = parseUserProfiles([{ name: 'My Turbo', air: 'urn:air:sdxl:checkpoint:civitai:777', cfgScale: [1, 2], steps: [4, 8] }]);
  setActiveUserProfiles(profiles);
  t.after(() => setActiveUserProfiles([]));
  const f = onlyFinding(check(cfgOutsideSweetSpot, oneStep({ model: 'urn:air:sdxl:checkpoint:civitai:777@1', cfgScale: 7, steps: 6 })));
  assert.match(f.message, /My Turbo \(your profile\)/);
});

test('the guidance fixes set the nearest value in range, inserting the field when it was defaulted', () => {
  const written = oneStep({ cfgScale: 12 });
  const f = onlyFinding(check(cfgOutsideSweetSpot, written));
  assert.equal(f.fixes?.[0].isPreferred, false);
  assert.equal(inputOf(applyAndRelint(written, f.fixes![0], 'cfg-outside-sweet-spot').value).cfgScale, 8);

  const defaulted = oneStep({ sampleMethod: 'lcm', steps: 6 });
  const g = onlyFinding(check(cfgOutsideSweetSpot, defaulted));
  assert.equal(inputOf(applyAndRelint(defaulted, g.fixes![0], 'cfg-outside-sweet-spot').value).cfgScale, 2);

  const steps = oneStep({ ecosystem: 'anima', steps: 10 });
  const h = onlyFinding(check(stepsOutsideTypical, steps));
  assert.equal(inputOf(applyAndRelint(steps, h.fixes![0], 'steps-outside-typical').value).steps, 20);
});
