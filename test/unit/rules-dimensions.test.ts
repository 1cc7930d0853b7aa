import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ECOSYSTEMS } from '../../src/core/ecosystems/table';
import { dimensionNotMultipleOf16, judgeSize, nearestAllowedMultiple, nearestWellBehavedSizes, sizeFarFromNative } from '../../src/core/rules/dimensions';
import { fixUntilStable } from '../../src/core/fixes';
import { applyAndRelint, check, fixTitled, inputOf, oneStep, onlyFinding, relint } from './rules-test-helpers';

test('dimension-not-multiple-of-16 fires on width and height that are not multiples of 16', () => {
  const findings = check(dimensionNotMultipleOf16, oneStep({ width: 1000, height: 1030 }));
  assert.deepEqual(findings.map((f) => f.pointer), ['/steps/0/input/width', '/steps/0/input/height']);
  assert.match(findings[0].message, /1000 is not a multiple of 16; use 1008/);
  assert.equal(findings[0].severity, 'error');
});

test('dimension-not-multiple-of-16 stays quiet on multiples, absent fields and $ref values', () => {
  assert.deepEqual(check(dimensionNotMultipleOf16, oneStep({ width: 1024, height: 832 })), []);
  assert.deepEqual(check(dimensionNotMultipleOf16, oneStep({})), []);
  assert.deepEqual(check(dimensionNotMultipleOf16, oneStep({ width: { $ref: '$arguments', path: 'w' } })), []);
});

test('the fix rounds to the nearest multiple of 16 inside the contract range', () => {
  assert.equal(nearestAllowedMultiple(1000, 64, 2048), 1008);
  assert.equal(nearestAllowedMultiple(1030, 64, 2048), 1024);
  assert.equal(nearestAllowedMultiple(2047, 64, 2048), 2048);
  assert.equal(nearestAllowedMultiple(1020, 64, 1024), 1024);
  assert.equal(nearestAllowedMultiple(1030, 64, 1024), 1024); // comfy SD1 caps at 1024
  assert.equal(nearestAllowedMultiple(50, 64, 2048), 64);
});

test('applying the dimension fix leaves no dimension finding', () => {
  const text = oneStep({ engine: 'comfy', ecosystem: 'sd1', width: 515, height: 770, steps: 25 });
  const findings = check(dimensionNotMultipleOf16, text);
  assert.equal(findings.length, 2);
  let current = text;
  for (const title of ['Set width to 512', 'Set height to 768']) {
    const f = check(dimensionNotMultipleOf16, current).find((x) => x.fixes?.[0].title === title);
    assert.ok(f, title);
    current = applyAndRelint(current, fixTitled(f, title), 'out-of-range').text;
  }
  assert.deepEqual(check(dimensionNotMultipleOf16, current), []);
  assert.deepEqual(inputOf(JSON.parse(current)), { ...inputOf(JSON.parse(text)), width: 512, height: 768 });
});

test('judgeSize: SD1 past 768 on a side, SDXL/Anima far from ~1 MP or too elongated', () => {
  assert.equal(judgeSize(ECOSYSTEMS.sd1, { width: 512, height: 768 }), undefined);
  assert.match(judgeSize(ECOSYSTEMS.sd1, { width: 1024, height: 1024 })?.problem ?? '', /duplicate subjects/);
  assert.equal(judgeSize(ECOSYSTEMS.sdxl, { width: 1536, height: 640 }), undefined);
  assert.equal(judgeSize(ECOSYSTEMS.sdxl, { width: 832, height: 1216 }), undefined);
  assert.match(judgeSize(ECOSYSTEMS.sdxl, { width: 2048, height: 512 })?.problem ?? '', /mirrored twins/);
  assert.match(judgeSize(ECOSYSTEMS.sdxl, { width: 1536, height: 1536 })?.problem ?? '', /duplicate subjects/);
  assert.match(judgeSize(ECOSYSTEMS.anima, { width: 512, height: 512 })?.problem ?? '', /well below/);
  for (const id of ['sd1', 'sdxl', 'anima'] as const) {
    for (const size of ECOSYSTEMS[id].wellBehavedSizes) assert.equal(judgeSize(ECOSYSTEMS[id], size), undefined, `${id} ${size.width}x${size.height}`);
  }
});

test('size-far-from-native counts the contract default for an absent side', () => {
  // SDXL height defaults to 1024: 2048 x 1024 is 2 MP.
  const f = onlyFinding(check(sizeFarFromNative, oneStep({ width: 2048 })));
  assert.equal(f.severity, 'warning');
  assert.equal(f.pointer, '/steps/0/input/width');
  // SD1 defaults (512 x 512) are fine; absent everything is fine everywhere.
  assert.deepEqual(check(sizeFarFromNative, oneStep({ ecosystem: 'sd1' })), []);
  assert.deepEqual(check(sizeFarFromNative, oneStep({})), []);
  assert.deepEqual(check(sizeFarFromNative, oneStep({ ecosystem: 'anima' })), []);
});

test('nearest well-behaved sizes follow the shape, then the area', () => {
  assert.deepEqual(nearestWellBehavedSizes(ECOSYSTEMS.sdxl, { width: 2048, height: 1024 }, 2), [
    { width: 1344, height: 768 }, // 1.75:1 is nearest to 2:1
    { width: 1536, height: 640 }, // then 2.4:1
  ]);
  assert.deepEqual(nearestWellBehavedSizes(ECOSYSTEMS.sd1, { width: 1024, height: 1024 }, 1), [{ width: 768, height: 768 }]);
});

test('size fixes: two sizes are offered, neither preferred (a choice), and either silences the warning', () => {
  const text = oneStep({ ecosystem: 'sd1', width: 1024, height: 1536 });
  const f = onlyFinding(check(sizeFarFromNative, text));
  assert.match(f.message, /Frankenstein/);
  assert.equal(f.fixes?.length, 2);
  assert.deepEqual(f.fixes?.map((x) => x.isPreferred), [false, false]);
  const closest = applyAndRelint(text, f.fixes![0], 'size-far-from-native');
  assert.deepEqual([inputOf(closest.value).width, inputOf(closest.value).height], [512, 768]);
  applyAndRelint(text, f.fixes![1], 'size-far-from-native');
});

test('lint --fix (fixUntilStable) leaves a far-from-native size alone: the user picks the size', () => {
  const text = oneStep({ ecosystem: 'sdxl', width: 2048, height: 1024 });
  const result = fixUntilStable(text, relint);
  assert.equal(result.text, text);
  assert.deepEqual(result.applied, []);
  assert.equal(result.findings.filter((x) => x.code === 'size-far-from-native').length, 1);
});

test('a size fix inserts an absent side only when the default does not already fit', () => {
  const text = oneStep({ width: 2048 });
  const f = onlyFinding(check(sizeFarFromNative, text));
  const { value } = applyAndRelint(text, f.fixes![0], 'size-far-from-native');
  assert.equal(inputOf(value).width, 1344);
  assert.equal(inputOf(value).height, 768);
});

test('a size fix does not write a side whose default already fits', () => {
  const text = oneStep({ ecosystem: 'sd1', width: 1024 }); // height defaults to 512
  const f = onlyFinding(check(sizeFarFromNative, text));
  const { value } = applyAndRelint(text, f.fixes![0], 'size-far-from-native');
  assert.equal(inputOf(value).width, 768);
  assert.equal('height' in inputOf(value), false);
});
