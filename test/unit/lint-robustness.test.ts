// Bad input never crashes the linter: non-objects, empty files, syntax errors, huge files and
// crashing passes all end as findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintWorkflow } from '../../src/core/lint';
import { hasErrors, type Finding } from '../../src/core/findings';

const codes = (findings: readonly Finding[]): string[] => findings.map((f) => f.code);

test('a file that is not an object gives one not-an-object finding on the root', () => {
  for (const [text, word] of [['[]', 'an array'], ['42', 'a number'], ['"x"', 'a string'], ['null', '`null`'], ['true', '`true`'], ['  [1, 2]\n', 'an array']] as const) {
    const { findings } = lintWorkflow(text);
    assert.deepEqual(codes(findings), ['not-an-object'], text);
    assert.equal(findings[0].pointer, '');
    assert.ok(findings[0].message.includes(word), findings[0].message);
    assert.equal(findings[0].offset, text.indexOf(text.trim()));
  }
});

test('an empty or blank file gives one finding that says what a workflow is', () => {
  for (const text of ['', '   \n\t']) {
    const { findings } = lintWorkflow(text);
    assert.deepEqual(codes(findings), ['not-an-object']);
    assert.match(findings[0].message, /empty/);
  }
});

test('an unfinished file reports its syntax, not the fields the unread part may hold', () => {
  const text = '{ "steps": [ { "$type": "imageGen", "input": { "engine": "sdcpp", "ecosystem": "sd1", "operation": "createImage", "prompt": "a ca';
  const { findings } = lintWorkflow(text, { rules: false });
  assert.ok(findings.length > 0);
  assert.ok(findings.every((f) => f.code === 'json-syntax'), JSON.stringify(codes(findings)));
  // One finding per distinct problem and place.
  const keys = findings.map((f) => `${f.offset} ${f.message}`);
  assert.equal(new Set(keys).size, keys.length);
  // The brackets left open at the end are one finding that lists them, innermost first.
  assert.deepEqual(findings.map((f) => f.message), [
    'Unterminated string',
    'Expected "}" then "}" then "]" then "}" here: 4 objects or arrays are still open (the file may be cut short).',
  ]);
  assert.equal(findings[1].offset, text.length);
});

test('with a syntax error elsewhere, real problems in intact parts are still reported', () => {
  const text = [
    '{ "steps": [ { "$type": "imageGen", "input": {',
    '  "engine": "sdcpp", "ecosystem": "sd1", "operation": "createImage",',
    '  "model": "urn:air:sd1:checkpoint:civitai:4384@128713",',
    '  "prompt": "a cat" "width": 5000',
    '} } ] }',
  ].join('\n');
  const { findings } = lintWorkflow(text, { rules: false });
  assert.deepEqual(codes(findings), ['json-syntax', 'out-of-range']);
  assert.equal(findings[0].range.start.line, 3);
  assert.equal(findings[1].pointer, '/steps/0/input/width');
});

test('a missing field of an object that contains a syntax error is held back', () => {
  const text = '{ "steps": [ { "$type": "imageGen", "input": { "engine": "sdcpp", "ecosystem": "sd1", "operation": "createImage", "prompt": "a", , } } ] }';
  const { findings } = lintWorkflow(text, { rules: false });
  assert.ok(findings.some((f) => f.code === 'json-syntax'));
  assert.ok(!findings.some((f) => f.code === 'missing-property'), JSON.stringify(codes(findings)));
});

test('comments and trailing commas are syntax errors, the rest is still checked', () => {
  const text = '{\n  // note\n  "steps": [ { "$type": "imageGenn", "input": {} }, ],\n}';
  const { findings } = lintWorkflow(text, { rules: false });
  assert.ok(codes(findings).includes('json-syntax'));
  assert.ok(codes(findings).includes('unknown-step-type'));
});

test('a crashing pass becomes one internal-error finding and the other passes still run', () => {
  const boom = (): Finding[] => {
    throw new Error('boom');
  };
  const text = JSON.stringify({ steps: [{ $type: 'imageGenn', input: {} }] });
  const rulesCrash = lintWorkflow(text, { passes: { rules: boom } }).findings;
  assert.deepEqual(codes(rulesCrash).sort(), ['internal-error', 'unknown-step-type']);
  assert.match(rulesCrash.find((f) => f.code === 'internal-error')!.message, /rules failed.*boom/);
  const contractCrash = lintWorkflow(text, { passes: { contract: boom, rules: () => [] } }).findings;
  assert.deepEqual(codes(contractCrash), ['internal-error']);
});

test('a 5 MB file with thousands of problems is linted, each problem once', () => {
  const step = {
    $type: 'imageGen',
    input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'p'.repeat(300), width: 4096, sampler: 'euler' },
  };
  const steps = Array.from({ length: 9000 }, () => step);
  const text = JSON.stringify({ steps }, null, 2);
  assert.ok(text.length > 5_000_000, `${text.length}`);
  const { findings } = lintWorkflow(text, { rules: false });
  assert.equal(findings.filter((f) => f.code === 'out-of-range').length, 9000);
  assert.equal(findings.filter((f) => f.code === 'unknown-property').length, 9000);
  assert.equal(findings.length, 18000);
  assert.equal(findings[findings.length - 1].pointer, '/steps/8999/input/sampler');
});

test('a 5 MB file through the whole linter (contract and every rule) gives each step its findings', () => {
  const step = {
    $type: 'imageGen',
    input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'p'.repeat(300), width: 4096, sampler: 'euler' },
  };
  const text = JSON.stringify({ steps: Array.from({ length: 9000 }, () => step) }, null, 2);
  assert.ok(text.length > 5_000_000, `${text.length}`);
  const { findings } = lintWorkflow(text);
  const at = (code: string) => new Set(findings.filter((f) => f.code === code).map((f) => f.pointer));
  // The rule explains the other engine's field better than the schema, and replaces its finding.
  assert.equal(at('field-of-other-engine').size, 9000);
  assert.equal(at('unknown-property').size, 0);
  assert.equal(at('out-of-range').size, 9000);
  assert.ok(at('field-of-other-engine').has('/steps/8999/input/sampler'));
});

test('a 5 MB valid file has no errors', () => {
  const text = JSON.stringify({ tags: ['big'], steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'x'.repeat(9000) } }], metadata: { blob: 'y'.repeat(5_000_000) } });
  const { findings } = lintWorkflow(text);
  assert.equal(hasErrors(findings), false, JSON.stringify(codes(findings)));
});

test('odd inputs never throw', () => {
  for (const text of ['{', '}', '{"steps": [1, null, "x", []]}', '{"steps": {}}', '{"a":1,"a":2}', '\uFEFF{}', '{"steps":[{"$type":"imageGen","input":{"engine":"sdcpp","ecosystem":"sd1","operation":"createImage","prompt":"\\ud800"}}]}']) {
    assert.doesNotThrow(() => lintWorkflow(text), text);
  }
  assert.doesNotThrow(() => lintWorkflow(undefined as unknown as string));
});
