import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANIMAGINE_XL_4_PROFILE,
  ECOSYSTEM_PROFILES,
  allProfiles,
  ecosystemOfAir,
  parseUserProfiles,
  profileForInput,
  specialTagOf,
} from '../../src/core/ecosystems/profiles';
import { ECOSYSTEMS, COMFY_TO_SDCPP_SAMPLER } from '../../src/core/ecosystems/table';

test('ecosystem profiles take their numbers from the ecosystem table', () => {
  for (const id of ['sd1', 'sdxl', 'anima'] as const) {
    const p = ECOSYSTEM_PROFILES[id];
    assert.equal(p.ecosystem, id);
    assert.deepEqual(p.cfgScale, ECOSYSTEMS[id].cfgSweetSpot);
    assert.deepEqual(p.steps, ECOSYSTEMS[id].stepsTypical);
    assert.deepEqual(p.resolutions, ECOSYSTEMS[id].wellBehavedSizes);
    assert.ok(p.negativePrompt && p.negativePrompt.length > 0);
    assert.ok(p.qualityTags.includes('masterpiece'));
  }
});

test('SD1 and Anima lead with quality tags; SDXL gives no position', () => {
  assert.equal(ECOSYSTEM_PROFILES.sd1.qualityTagPosition, 'start');
  assert.equal(ECOSYSTEM_PROFILES.anima.qualityTagPosition, 'start');
  assert.equal(ECOSYSTEM_PROFILES.sdxl.qualityTagPosition, undefined);
  assert.equal(ECOSYSTEM_PROFILES.sd1.tagOrder[0], 'quality');
  assert.equal(ECOSYSTEM_PROFILES.anima.clipTokenWindow, false);
  assert.equal(ECOSYSTEM_PROFILES.sdxl.clipTokenWindow, true);
});

test('Animagine XL 4.0 profile carries the model card facts', () => {
  const p = ANIMAGINE_XL_4_PROFILE;
  assert.equal(p.ecosystem, 'sdxl');
  assert.deepEqual(p.cfgScale, { min: 4, max: 7 });
  assert.equal(p.recommendedCfgScale, 5);
  assert.deepEqual(p.steps, { min: 25, max: 28 });
  assert.equal(p.recommendedSteps, 28);
  assert.equal(p.sampler?.label, 'Euler a');
  assert.equal(p.sampler?.sdcpp, COMFY_TO_SDCPP_SAMPLER[p.sampler!.comfy!]);
  assert.equal(p.qualityTagPosition, 'end');
  assert.deepEqual(p.tagOrder, ['people', 'character', 'series', 'rating', 'general', 'quality']);
  assert.ok(p.sequences.some((s) => s.text === 'masterpiece, high score, great score, absurdres'));
  assert.match(p.negativePrompt!, /^lowres, bad anatomy, .*low score, bad score, average score, .*blurry$/);
  // Special tags of every kind, each explained.
  for (const kind of ['quality', 'score', 'temporal', 'rating', 'people'] as const) {
    assert.ok(p.specialTags.some((t) => t.kind === kind), kind);
  }
  assert.ok(p.specialTags.every((t) => t.explanation.length > 10));
  assert.equal(specialTagOf(p, 'year 2005')?.kind, 'temporal');
  assert.equal(specialTagOf(p, 'year 2025')?.kind, 'temporal');
  assert.equal(specialTagOf(p, 'year 2004'), undefined);
  assert.equal(specialTagOf(p, 'high score')?.polarity, 'positive');
  assert.equal(specialTagOf(p, 'low score')?.polarity, 'negative');
  assert.equal(specialTagOf(p, 'explicit')?.kind, 'rating');
});

test('a step gets its profile from the model AIR, else its ecosystem', () => {
  assert.equal(profileForInput({ ecosystem: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:1188071@1337429' })?.id, 'animagine-xl-4');
  // Any version of the model page (e.g. v4.0 Opt) matches.
  assert.equal(profileForInput({ ecosystem: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:1188071@999' })?.id, 'animagine-xl-4');
  // A different model whose id starts with the same digits does not.
  assert.equal(profileForInput({ ecosystem: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:11880710@1' })?.id, 'ecosystem:sdxl');
  assert.equal(profileForInput({ ecosystem: 'sd1', model: 'urn:air:sd1:checkpoint:civitai:4384@128713' })?.id, 'ecosystem:sd1');
  assert.equal(profileForInput({ ecosystem: 'anima' })?.id, 'ecosystem:anima');
  assert.equal(profileForInput({ ecosystem: 'flux1' }), undefined);
  assert.equal(profileForInput({}), undefined);
});

test('user profiles: validated with zod, merged over the matching built-in, longest prefix wins', () => {
  const { profiles, problems } = parseUserProfiles([
    { name: 'Animagine tuned', air: 'urn:air:sdxl:checkpoint:civitai:1188071@', cfgScale: [5, 6] },
    { name: 'My SD1 mix', air: 'urn:air:sd1:checkpoint:civitai:4384@', steps: [30, 20], resolutions: ['512x768'], sampler: 'dpmpp_2m' },
    { name: 'No name AIR' },
    { name: 'Bad size', air: 'urn:air:sdxl:checkpoint:civitai:1@', resolutions: ['big'] },
    'garbage',
  ]);
  assert.equal(profiles.length, 2);
  assert.equal(problems.length, 3);
  assert.match(problems[0], /modelProfiles\[2\].*air/);
  const [a, b] = profiles;
  assert.equal(a.origin, 'user');
  assert.deepEqual(a.cfgScale, { min: 5, max: 6 });
  // Inherited from the built-in Animagine profile.
  assert.equal(a.qualityTagPosition, 'end');
  assert.deepEqual(a.steps, ANIMAGINE_XL_4_PROFILE.steps);
  assert.deepEqual(b.steps, { min: 20, max: 30 });
  assert.deepEqual(b.resolutions, [{ width: 512, height: 768 }]);
  assert.equal(b.ecosystem, 'sd1');
  assert.equal(b.qualityTagPosition, 'start');
  assert.deepEqual(b.sampler, { label: 'dpmpp_2m', comfy: 'dpmpp_2m', sdcpp: 'dpm++2m' });
  assert.equal(profileForInput({ ecosystem: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:1188071@1337429' }, profiles)?.name, 'Animagine tuned');
  assert.equal(profileForInput({ ecosystem: 'sd1', model: 'urn:air:sd1:checkpoint:civitai:4384@128713' }, profiles)?.name, 'My SD1 mix');
  assert.ok(allProfiles(profiles).length >= 6);
});

test('parseUserProfiles tolerates absent or non-array settings', () => {
  assert.deepEqual(parseUserProfiles(undefined), { profiles: [], problems: [] });
  assert.equal(parseUserProfiles({}).problems.length, 1);
});

test('ecosystemOfAir reads the ecosystem segment', () => {
  assert.equal(ecosystemOfAir('urn:air:sdxl:checkpoint:civitai:1@2'), 'sdxl');
  assert.equal(ecosystemOfAir('urn:air:flux1:checkpoint:civitai:1@2'), undefined);
  assert.equal(ecosystemOfAir('civitai:1@2'), undefined);
});
