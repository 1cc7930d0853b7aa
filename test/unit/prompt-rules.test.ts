import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import type { RuleContext, Rule } from '../../src/core/rules/types';
import type { Finding } from '../../src/core/findings';
import {
  PROMPT_RULES,
  promptA1111LoraRule,
  promptDuplicateTagRule,
  promptEmptyRule,
  promptMalformedWeightRule,
  promptQualityTagPositionRule,
  promptTokenWindowRule,
  promptUnbalancedBracketsRule,
  promptWeightRangeRule,
} from '../../src/core/prompt/rules';
import { applyTextEdits } from '../../src/core/prompt/edits';
import { clipTokenizer } from '../../src/core/prompt/clip-bpe';
import { parseUserProfiles, setActiveUserProfiles } from '../../src/core/ecosystems/profiles';

const ANIMAGINE = 'urn:air:sdxl:checkpoint:civitai:1188071@1337429';

function workflow(input: Record<string, unknown>, pretty = true): string {
  const step = { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', ...input } };
  return JSON.stringify({ steps: [step] }, null, pretty ? 2 : undefined);
}

function run(rule: Rule, text: string): Finding[] {
  const doc = parseWorkflowDocument(text);
  return rule.check({ doc, steps: [] } as unknown as RuleContext);
}

function valueAfterFix(text: string, finding: Finding): Record<string, unknown> {
  assert.ok(finding.fixes?.length, `expected a fix on ${finding.code}`);
  const fixed = applyTextEdits(text, finding.fixes![0].edits);
  const parsed = JSON.parse(fixed) as { steps: Array<{ input: Record<string, unknown> }> };
  return parsed.steps[0].input;
}

function fixedText(text: string, finding: Finding): string {
  return applyTextEdits(text, finding.fixes![0].edits);
}

test('every prompt rule has a stable kebab-case code, a title and a description', () => {
  const codes = PROMPT_RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const r of PROMPT_RULES) {
    assert.match(r.code, /^prompt-[a-z0-9-]+$/);
    assert.ok(r.title.length > 0 && r.description.length > 0);
  }
});

// ---- prompt-empty ----

test('prompt-empty fires on empty and commas-only prompts, not on a real one or the negative prompt', () => {
  assert.equal(run(promptEmptyRule, workflow({ prompt: '' })).length, 1);
  assert.equal(run(promptEmptyRule, workflow({ prompt: ' , ,' })).length, 1);
  assert.equal(run(promptEmptyRule, workflow({ prompt: 'cat', negativePrompt: '' })).length, 0);
  const [f] = run(promptEmptyRule, workflow({ prompt: '' }));
  assert.equal(f.pointer, '/steps/0/input/prompt');
  assert.equal(f.length, 2); // the literal ""
});

// ---- prompt-quality-tag-position ----

test('quality-tag-position: Animagine wants quality tags last; the fix moves them and re-lints clean', () => {
  const text = workflow({ model: ANIMAGINE, prompt: 'masterpiece, high score, 1girl, solo, (smile:1.1)' });
  const findings = run(promptQualityTagPositionRule, text);
  assert.equal(findings.length, 2);
  assert.match(findings[0].message, /end of the prompt/);
  const input = valueAfterFix(text, findings[0]);
  assert.equal(input.prompt, '1girl, solo, (smile:1.1), masterpiece, high score');
  assert.equal(run(promptQualityTagPositionRule, fixedText(text, findings[0])).length, 0);
});

test('quality-tag-position: SD1 and Anima want them first; weights travel with the tag', () => {
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: '1girl, portrait, (best quality:1.2)' } }] });
  const [f] = run(promptQualityTagPositionRule, text);
  assert.ok(f);
  assert.equal(valueAfterFix(text, f).prompt, '(best quality:1.2), 1girl, portrait');
  const sd1 = workflow({ ecosystem: 'sd1', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'cat, masterpiece' });
  assert.equal(run(promptQualityTagPositionRule, sd1).length, 1);
});

test('quality-tag-position does not fire when placed right, on plain SDXL, or in the negative prompt', () => {
  assert.equal(run(promptQualityTagPositionRule, workflow({ model: ANIMAGINE, prompt: '1girl, solo, masterpiece, high score, great score, absurdres' })).length, 0);
  assert.equal(run(promptQualityTagPositionRule, workflow({ prompt: 'cat, masterpiece' })).length, 0);
  assert.equal(run(promptQualityTagPositionRule, workflow({ model: ANIMAGINE, prompt: '1girl, masterpiece', negativePrompt: 'worst quality, blurry' })).length, 0);
  // Quality tags only: nothing to order.
  assert.equal(run(promptQualityTagPositionRule, workflow({ model: ANIMAGINE, prompt: 'masterpiece, absurdres' })).length, 0);
});

test('quality-tag-position: no fix when the tag shares a weighted group with its neighbours', () => {
  const [f] = run(promptQualityTagPositionRule, workflow({ model: ANIMAGINE, prompt: '(masterpiece, 1girl:1.1), solo' }));
  // `(masterpiece` and `1girl:1.1)` share one group: moving one half would break it.
  assert.ok(f);
  assert.equal(f.fixes, undefined);
});

test('quality-tag-position honours a user profile from the setting', () => {
  const { profiles, problems } = parseUserProfiles([{ name: 'Mine', air: 'urn:air:sdxl:checkpoint:civitai:101055@', qualityTags: ['ultra detailed'], qualityTagPosition: 'end' }]);
  assert.deepEqual(problems, []);
  setActiveUserProfiles(profiles);
  try {
    const text = workflow({ prompt: 'ultra detailed, cat' });
    const [f] = run(promptQualityTagPositionRule, text);
    assert.ok(f);
    assert.equal(valueAfterFix(text, f).prompt, 'cat, ultra detailed');
  } finally {
    setActiveUserProfiles([]);
  }
});

// ---- prompt-duplicate-tag ----

test('duplicate-tag fires on repeats (case, _ and weights ignored); the fix removes the later one', () => {
  const text = workflow({ prompt: 'cat, Looking_at_viewer, smile, looking at viewer, (cat:1.2)' });
  const findings = run(promptDuplicateTagRule, text);
  assert.equal(findings.length, 2);
  assert.match(findings[1].message, /different weights/);
  // Same weight: removing the repeat is the obvious fix. Different weights: which to keep is a choice.
  assert.deepEqual(findings.map((f) => f.fixes?.[0].isPreferred), [true, false]);
  assert.equal(valueAfterFix(text, findings[0]).prompt, 'cat, Looking_at_viewer, smile, (cat:1.2)');
  const once = fixedText(text, findings[0]);
  const again = run(promptDuplicateTagRule, once);
  assert.equal(again.length, 1);
  assert.equal(valueAfterFix(once, again[0]).prompt, 'cat, Looking_at_viewer, smile');
  assert.equal(run(promptDuplicateTagRule, fixedText(once, again[0])).length, 0);
});

test('duplicate-tag does not fire on distinct tags, and checks the negative prompt too', () => {
  assert.equal(run(promptDuplicateTagRule, workflow({ prompt: 'cat, cats, black cat' })).length, 0);
  assert.equal(run(promptDuplicateTagRule, workflow({ prompt: 'cat', negativePrompt: 'blurry, blurry' })).length, 1);
});

test('duplicate-tag fix keeps JSON escapes right (\\" and \\\\ before the tag)', () => {
  const text = workflow({ prompt: 'say \\"hi\\", honkai \\(series\\), cat, cat' });
  const [f] = run(promptDuplicateTagRule, text);
  assert.ok(f);
  // The finding points at the second `cat` in the file text despite the escapes before it.
  assert.equal(text.slice(f.offset, f.offset + f.length), 'cat');
  assert.equal(text.lastIndexOf('cat'), f.offset);
  assert.equal(valueAfterFix(text, f).prompt, 'say \\"hi\\", honkai \\(series\\), cat');
});

// ---- prompt-unbalanced-brackets ----

test('unbalanced-brackets fires on unclosed ( [ and stray ) ], not on escaped or balanced ones', () => {
  const fire = run(promptUnbalancedBracketsRule, workflow({ prompt: '(cat, dog), [sky, tree)' }));
  // `(cat, dog)` is balanced; `[sky` is unclosed; `tree)` has no opener.
  assert.deepEqual(fire.map((f) => f.message.slice(0, 12)), ['This `[` is ', 'This `)` has']);
  assert.equal(run(promptUnbalancedBracketsRule, workflow({ prompt: 'firefly \\(honkai: star rail\\), ((cat)), [dog]' })).length, 0);
  const [f] = run(promptUnbalancedBracketsRule, workflow({ prompt: 'a, (b' }));
  assert.equal(f.length, 1);
});

// ---- prompt-malformed-weight ----

test('malformed-weight: (tag:1.2 gets a fix that adds ) and re-lints clean', () => {
  const text = workflow({ prompt: 'dog, (cat:1.2, tree' });
  const [f, ...rest] = run(promptMalformedWeightRule, text);
  assert.equal(rest.length, 0);
  assert.equal(valueAfterFix(text, f).prompt, 'dog, (cat:1.2), tree');
  assert.equal(run(promptMalformedWeightRule, fixedText(text, f)).length, 0);
  assert.equal(run(promptUnbalancedBracketsRule, fixedText(text, f)).length, 0);
});

test('malformed-weight: (tag:abc) and (:1.2) fire without a fix; good weights do not fire', () => {
  const findings = run(promptMalformedWeightRule, workflow({ prompt: '(cat:abc), (:1.2), (dog:1.3), ((sky))' }));
  assert.equal(findings.length, 2);
  assert.ok(findings.every((f) => f.fixes === undefined));
  assert.equal(run(promptMalformedWeightRule, workflow({ prompt: '(dog:1.3), (sky:.5), ((sky))' })).length, 0);
});

// ---- prompt-weight-range ----

test('weight-range fires outside 0.1–2.0 (explicit and via nesting), not inside', () => {
  const findings = run(promptWeightRangeRule, workflow({ prompt: '(cat:2.5), (dog:0.05), ((((((((owl)))))))), (fox:2), (bee:0.1), (((ant)))' }));
  assert.deepEqual(findings.map((f) => f.message.split('`')[1]), ['cat', 'dog', 'owl']);
  assert.match(findings[2].message, /effective weight/);
});

// ---- prompt-a1111-lora ----

test('a1111-lora with an AIR name: the fix moves it into loras (creating the map)', () => {
  const air = 'urn:air:sdxl:lora:civitai:123456@789012';
  const text = workflow({ prompt: `cat, <lora:${air}:0.7>, dog` });
  const [f] = run(promptA1111LoraRule, text);
  assert.ok(f);
  const input = valueAfterFix(text, f);
  assert.equal(input.prompt, 'cat, dog');
  assert.deepEqual(input.loras, { [air]: 0.7 });
  assert.equal(run(promptA1111LoraRule, fixedText(text, f)).length, 0);
});

test('a1111-lora adds to an existing loras map, compact or pretty', () => {
  const air = 'urn:air:sdxl:lora:civitai:1@2';
  for (const pretty of [true, false]) {
    const text = workflow({ prompt: `<lora:${air}>, cat`, loras: { 'urn:air:sdxl:lora:civitai:9@9': 1 } }, pretty);
    const [f] = run(promptA1111LoraRule, text);
    const input = valueAfterFix(text, f);
    assert.equal(input.prompt, 'cat');
    assert.deepEqual(input.loras, { 'urn:air:sdxl:lora:civitai:9@9': 1, [air]: 1 });
  }
});

test('a1111-lora with a file name explains and offers no fix; no finding without tokens', () => {
  const [f] = run(promptA1111LoraRule, workflow({ prompt: 'cat, <lora:covered navel XL-v1:0.8>' }));
  assert.ok(f);
  assert.equal(f.fixes, undefined);
  assert.match(f.message, /Find "covered navel XL-v1" on Civitai/);
  assert.equal(run(promptA1111LoraRule, workflow({ prompt: 'cat, dog' })).length, 0);
});

// ---- prompt-token-window ----

test('token-window: info past 75 exact tokens with the chunk sizes; silent for short prompts and Anima', () => {
  const long = Array.from({ length: 60 }, (_, i) => `tag${String.fromCharCode(97 + (i % 26))} word`).join(', ');
  const [f] = run(promptTokenWindowRule, workflow({ prompt: long }));
  assert.ok(f);
  assert.equal(f.severity, 'info');
  // Plain text: the count is CLIP's raw count; 234 tokens do not fit in 3 chunks of 75.
  const tokens = clipTokenizer().count(long);
  assert.equal(tokens, 234);
  assert.match(f.message, /^234 CLIP tokens: the prompt is encoded in 4 chunks of 75 \(\d+ \+ \d+ \+ \d+ \+ \d+\)/);
  assert.equal(run(promptTokenWindowRule, workflow({ prompt: 'cat, dog, masterpiece' })).length, 0);
  const anima = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: long } }] });
  assert.equal(run(promptTokenWindowRule, anima).length, 0);
});

test('prompt rules ignore non-imageGen steps, $ref prompts and broken files', () => {
  const texts = [
    JSON.stringify({ steps: [{ $type: 'imageUpscaler', input: { prompt: '((((' } }] }),
    JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', prompt: { $ref: '$0.output' } } }] }),
    '{ "steps": [ { "$type": "imageGen", "input": { "engine": "sdcpp", "ecosystem": "sdxl", "prompt": "(cat',
    'not json',
  ];
  for (const t of texts) for (const r of PROMPT_RULES) assert.doesNotThrow(() => run(r, t));
  assert.equal(run(promptUnbalancedBracketsRule, texts[0]).length, 0);
});

test('duplicate-tag: a tag repeated 800 times is one finding with the count, and its fix removes every repeat', () => {
  const text = workflow({ prompt: 'cat', negativePrompt: ['lowres', ...Array(799).fill('lowres'), 'blurry'].join(', ') });
  const findings = run(promptDuplicateTagRule, text);
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /appears 800 times in the negative prompt/);
  assert.equal(findings[0].fixes?.[0].isPreferred, true);
  assert.equal(valueAfterFix(text, findings[0]).negativePrompt, 'lowres, blurry');
  assert.equal(run(promptDuplicateTagRule, fixedText(text, findings[0])).length, 0);
});
