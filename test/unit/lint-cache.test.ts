import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUserProfiles, setActiveUserProfiles, type ModelProfile } from '../../src/core/ecosystems/profiles';
import { lintWorkflow, type LintResult } from '../../src/core/lint';
import { LintResultCache } from '../../src/core/lint-cache';

const MODEL = 'urn:air:sdxl:checkpoint:civitai:999001@1';
// cfgScale 7 is inside SDXL's sweet spot; the profile below narrows it to 1–2 for this model.
const TEXT = JSON.stringify({
  steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: MODEL, prompt: 'a lighthouse', cfgScale: 7 } }],
}, null, 2);
const lowCfg = (): ModelProfile[] => parseUserProfiles([{ name: 'Low CFG', air: 'urn:air:sdxl:checkpoint:civitai:999001@', cfgScale: [1, 2] }]).profiles;
const cfgFindings = (r: LintResult) => r.findings.filter((f) => f.code === 'cfg-outside-sweet-spot').map((f) => f.message);

test('a cached result holds for its version under the same profiles only', () => {
  let profiles: readonly ModelProfile[] = [];
  const cache = new LintResultCache<string>(() => profiles);
  cache.set('file:///a', 3, 'result');
  assert.equal(cache.get('file:///a', 3), 'result');
  assert.equal(cache.get('file:///a', 4), undefined, 'another version');
  assert.equal(cache.get('file:///b', 3), undefined, 'another document');
  profiles = lowCfg();
  assert.equal(cache.get('file:///a', 3), undefined, 'the profiles changed: same version, stale result');
  cache.set('file:///a', 3, 'again');
  assert.equal(cache.get('file:///a', 3), 'again');
  cache.delete('file:///a');
  assert.equal(cache.get('file:///a', 3), undefined);
});

test('by default the cache follows the active user profiles, which change what lint reports for the same text', (t) => {
  t.after(() => setActiveUserProfiles([]));
  setActiveUserProfiles([]);
  const cache = new LintResultCache<LintResult>();
  const before = lintWorkflow(TEXT);
  assert.deepEqual(cfgFindings(before), [], 'cfgScale 7 is fine for SDXL');
  cache.set('file:///w.civitai.json', 1, before);
  assert.equal(cache.get('file:///w.civitai.json', 1), before);

  setActiveUserProfiles(lowCfg());
  assert.equal(cache.get('file:///w.civitai.json', 1), undefined, 'the setting changed: the file must be linted again');
  const after = lintWorkflow(TEXT);
  assert.equal(cfgFindings(after).length, 1);
  assert.match(cfgFindings(after)[0], /Low CFG \(your profile\)/);
});
