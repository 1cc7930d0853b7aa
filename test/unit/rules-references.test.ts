import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  duplicateStepName,
  isImageGenOutputPath,
  isObviousNearMiss,
  parseRefPath,
  refBadOutputPath,
  refCycle,
  refSelf,
  refUnknownArgument,
  refUnknownStep,
} from '../../src/core/rules/references';
import { applyAndRelint, check, imageStep, onlyFinding, workflowText, type Json } from './rules-test-helpers';

const upscale = (image: unknown, name?: string): Json => ({ $type: 'imageUpscaler', ...(name ? { name } : {}), input: { image, numberOfRepeats: 1 } });
const hero = imageStep({}, { name: 'hero' });

test('valid references: by name, by position, implicit index name, $arguments, forward without cycle', () => {
  const text = workflowText(
    [
      imageStep({ prompt: { $ref: '$arguments', path: 'prompt' }, seed: { $ref: '$arguments', path: 'seeds[1]' } }, { name: 'hero' }),
      upscale({ $ref: 'hero', path: 'output.images[0].url' }),
      upscale({ $ref: '$0', path: 'output.images[1].id' }),
      upscale({ $ref: '1', path: 'output.blob.url' }),
      upscale({ $ref: 'later', path: 'output.blob.url' }),
      upscale({ $ref: '$0', path: 'output.images[0].url' }, 'later'),
    ],
    { arguments: { prompt: 'a cat astronaut', seeds: [1, 2] } },
  );
  for (const rule of [refUnknownStep, refSelf, refCycle, refUnknownArgument, refBadOutputPath, duplicateStepName]) {
    assert.deepEqual(check(rule, text), [], rule.code);
  }
});

test('ref-unknown-step: a typo gets a preferred fix to the near name', () => {
  const text = workflowText([hero, upscale({ $ref: 'Hero', path: 'output.images[0].url' })]);
  const f = onlyFinding(check(refUnknownStep, text));
  assert.equal(f.severity, 'error');
  assert.equal(f.pointer, '/steps/1/input/image/$ref');
  assert.match(f.message, /No step is called "Hero"/);
  assert.equal(f.fixes?.[0].isPreferred, true);
  const fixed = applyAndRelint(text, f.fixes![0], 'ref-unknown-step');
  assert.equal(((fixed.value.steps as Json[])[1].input as { image: Json }).image.$ref, 'hero');
});

test('ref-unknown-step: a near miss of a short name is offered, not preferred (two edits can make any short name)', () => {
  const text = workflowText([imageStep({}, { name: 'up' }), upscale({ $ref: 'a', path: 'output.images[0].url' })]);
  const f = onlyFinding(check(refUnknownStep, text));
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.isPreferred]), [['Change to "up"', false]]);
  // A one-letter typo in a longer name is obvious.
  const typo = workflowText([imageStep({}, { name: 'portrait' }), upscale({ $ref: 'portrat', path: 'output.images[0].url' })]);
  assert.equal(onlyFinding(check(refUnknownStep, typo)).fixes?.[0].isPreferred, true);
});

test('isObviousNearMiss: case, small typos in longer names; not half of a short name', () => {
  assert.equal(isObviousNearMiss('Hero', 'hero'), true);
  assert.equal(isObviousNearMiss('promt', 'prompt'), true);
  assert.equal(isObviousNearMiss('imgae', 'image'), true);
  assert.equal(isObviousNearMiss('a', 'b'), false);
  assert.equal(isObviousNearMiss('ab', 'up'), false);
  assert.equal(isObviousNearMiss('gen', 'up'), false);
});

test('ref-unknown-step: out-of-range positions and unrelated names have no fix', () => {
  const text = workflowText([hero, upscale({ $ref: '$5', path: 'output.images[0].url' }), upscale({ $ref: 'somethingelse', path: 'x' })]);
  const findings = check(refUnknownStep, text);
  assert.equal(findings.length, 2);
  assert.ok(findings.every((f) => f.fixes === undefined));
});

test('ref-self: a step consuming its own output', () => {
  const text = workflowText([upscale({ $ref: 'me', path: 'output.blob.url' }, 'me')]);
  const f = onlyFinding(check(refSelf, text));
  assert.match(f.message, /refers to its own output/);
  assert.deepEqual(check(refCycle, text), [], 'a self reference is not also reported as a cycle');
});

test('ref-cycle: two steps referring to each other are one finding, on the reference back, naming the loop', () => {
  const text = workflowText([upscale({ $ref: 'b', path: 'output.blob.url' }, 'a'), upscale({ $ref: 'a', path: 'output.blob.url' }, 'b'), upscale({ $ref: 'a', path: 'output.blob.url' }, 'c')]);
  const f = onlyFinding(check(refCycle, text));
  assert.match(f.message, /"b" → "a" → "b"/);
  assert.equal(f.pointer, '/steps/1/input/image/$ref');
});

test('ref-cycle: a 3000-step loop is one finding whose message names the loop in short form', () => {
  const n = 3000;
  const text = workflowText(Array.from({ length: n }, (_, i) => upscale({ $ref: `s${(i + 1) % n}`, path: 'output.blob.url' }, `s${i}`)));
  const f = onlyFinding(check(refCycle, text));
  assert.equal(f.message, 'This reference closes a cycle ("s2999" → "s0" → "s1" → … → "s2998" → "s2999" (3000 steps)): none of these steps can start. Break one of the references.');
  assert.equal(f.pointer, '/steps/2999/input/image/$ref');
});

test('ref-cycle: a 30 000-step loop (deeper than the call stack allows recursion) is still one finding', () => {
  const n = 30_000;
  const text = workflowText(Array.from({ length: n }, (_, i) => upscale({ $ref: `s${(i + 1) % n}`, path: 'output.blob.url' }, `s${i}`)));
  const f = onlyFinding(check(refCycle, text));
  assert.match(f.message, /\(30000 steps\)\): none of these steps can start/);
});

test('ref-cycle: two separate loops are two findings', () => {
  const text = workflowText([upscale({ $ref: 'b', path: 'output.blob.url' }, 'a'), upscale({ $ref: 'a', path: 'output.blob.url' }, 'b'), upscale({ $ref: 'd', path: 'output.blob.url' }, 'c'), upscale({ $ref: 'c', path: 'output.blob.url' }, 'd')]);
  assert.deepEqual(check(refCycle, text).map((f) => f.pointer), ['/steps/1/input/image/$ref', '/steps/3/input/image/$ref']);
});

test('ref-unknown-argument: a path arguments does not define, or no arguments at all', () => {
  const text = workflowText([imageStep({ prompt: { $ref: '$arguments', path: 'promt' } })], { arguments: { prompt: 'x', seed: 1 } });
  const f = onlyFinding(check(refUnknownArgument, text));
  assert.match(f.message, /defines no "promt" \(it has "prompt", "seed"\)/);
  assert.equal(f.fixes?.[0].isPreferred, true);
  applyAndRelint(text, f.fixes![0], 'ref-unknown-argument');

  const short = workflowText([imageStep({ seed: { $ref: '$arguments', path: 'sd' } })], { arguments: { s: 1 } });
  assert.equal(onlyFinding(check(refUnknownArgument, short)).fixes?.[0].isPreferred, false, '"sd" → "s" is offered, not applied by --fix');

  const none = workflowText([imageStep({ prompt: { $ref: '$arguments', path: 'prompt' } })]);
  assert.match(onlyFinding(check(refUnknownArgument, none)).message, /defines no "arguments"/);
});

test('ref-bad-output-path: paths an imageGen output cannot have, with repairs for near misses', () => {
  assert.equal(isImageGenOutputPath('output.images[0].url'), true);
  assert.equal(isImageGenOutputPath('output.images[3].previewUrl'), true);
  assert.equal(isImageGenOutputPath('output.images'), true);
  assert.equal(isImageGenOutputPath('output.images.url'), false);
  assert.equal(isImageGenOutputPath('output.image[0].url'), false);
  assert.equal(isImageGenOutputPath('output.images[0].uri'), false);

  for (const [path, repaired] of [
    ['output.image[0].url', 'output.images[0].url'],
    ['images[1].url', 'output.images[1].url'],
    ['output.images.url', 'output.images[0].url'],
    ['output.images[0].uri', 'output.images[0].url'],
  ]) {
    const text = workflowText([hero, upscale({ $ref: 'hero', path })]);
    const f = onlyFinding(check(refBadOutputPath, text));
    assert.equal(f.severity, 'warning');
    assert.equal(f.fixes?.[0].title, `Change to "${repaired}"`, path);
    applyAndRelint(text, f.fixes![0], 'ref-bad-output-path');
  }
  // [0] filled in for a batch of four is a guess (which image?): offered, not preferred.
  const batch = workflowText([imageStep({ quantity: 4 }, { name: 'hero' }), upscale({ $ref: 'hero', path: 'output.images.url' })]);
  assert.deepEqual(onlyFinding(check(refBadOutputPath, batch)).fixes?.map((x) => [x.title, x.isPreferred]), [['Change to "output.images[0].url"', false]]);
  const single = workflowText([hero, upscale({ $ref: 'hero', path: 'output.images.url' })]);
  assert.equal(onlyFinding(check(refBadOutputPath, single)).fixes?.[0].isPreferred, true, 'one image: [0] is the only one');
  const indexed = workflowText([imageStep({ quantity: 4 }, { name: 'hero' }), upscale({ $ref: 'hero', path: 'output.image[2].url' })]);
  assert.equal(onlyFinding(check(refBadOutputPath, indexed)).fixes?.[0].isPreferred, true, 'the written index is kept');

  const hopeless = workflowText([hero, upscale({ $ref: 'hero', path: 'output.text' })]);
  assert.equal(onlyFinding(check(refBadOutputPath, hopeless)).fixes, undefined);
});

test('ref-bad-output-path only judges imageGen sources', () => {
  const text = workflowText([upscale('https://x.example/a.png', 'up'), upscale({ $ref: 'up', path: 'output.blob.url' })]);
  assert.deepEqual(check(refBadOutputPath, text), []);
});

test('duplicate-step-name: explicit duplicates, and a name equal to an unnamed step\'s index', () => {
  const text = workflowText([hero, imageStep({}, { name: 'hero' })]);
  const f = onlyFinding(check(duplicateStepName, text));
  assert.equal(f.pointer, '/steps/1/name');
  assert.equal(f.fixes?.[0].isPreferred, false);
  const fixed = applyAndRelint(text, f.fixes![0], 'duplicate-step-name');
  assert.equal((fixed.value.steps as Json[])[1].name, 'hero-1');

  const implicit = workflowText([imageStep({}, { name: '1' }), imageStep({})]);
  assert.match(onlyFinding(check(duplicateStepName, implicit)).message, /step 1 is unnamed, so it is called "1"/);
});

test('parseRefPath reads dotted paths with indices and refuses malformed ones', () => {
  assert.deepEqual(parseRefPath('output.images[0].url'), ['output', 'images', 0, 'url']);
  assert.deepEqual(parseRefPath('a.0.b'), ['a', 0, 'b']);
  assert.equal(parseRefPath('a..b'), undefined);
  assert.equal(parseRefPath('a.'), undefined);
  assert.equal(parseRefPath('a[x]'), undefined);
  assert.equal(parseRefPath(''), undefined);
});

test('ref-unknown-step in a long workflow: the message names a few steps and offers the closest three, none preferred', () => {
  const steps = Array.from({ length: 40 }, (_, i) => imageStep({}, { name: `s${i}` }));
  const text = workflowText([...steps, upscale({ $ref: 's', path: 'output.images[0].url' })]);
  const f = onlyFinding(check(refUnknownStep, text));
  assert.match(f.message, /"s0", "s1", .*"s7" and 32 more/);
  assert.ok(!f.message.includes('"s8"'), f.message);
  assert.equal(f.fixes?.length, 3);
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Change to "s0"', 'Change to "s1"', 'Change to "s2"']);
  assert.ok(f.fixes?.every((x) => !x.isPreferred));
});
