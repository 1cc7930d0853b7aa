import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Fix, TextEdit } from '../../src/core/findings';
import { applyEdits, applyFixes, diffAsSingleEdit, editsConflict, fixUntilStable, preferredFix } from '../../src/core/fixes';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { editsFor } from '../../src/core/workflow/steps';

function finding(code: string, fixes: Fix[]): Finding {
  const zero = { line: 0, character: 0 };
  return { code, severity: 'error', message: code, pointer: '', offset: 0, length: 0, range: { start: zero, end: zero }, fixes };
}
const edit = (offset: number, length: number, newText: string): TextEdit => ({ offset, length, newText });
const fix = (title: string, edits: TextEdit[], isPreferred = true): Fix => ({ title, edits, isPreferred });

test('applyEdits applies edits given in any order against the original offsets', () => {
  assert.equal(applyEdits('abcdef', [edit(4, 1, 'E'), edit(0, 1, 'A'), edit(2, 0, '+')]), 'Ab+cdEf');
  assert.throws(() => applyEdits('abcdef', [edit(0, 3, 'x'), edit(2, 2, 'y')]));
});

test('editsConflict: overlap and inserts at the same start conflict, touching ranges do not', () => {
  assert.equal(editsConflict(edit(0, 3, ''), edit(2, 2, '')), true);
  assert.equal(editsConflict(edit(0, 3, ''), edit(3, 2, '')), false);
  assert.equal(editsConflict(edit(3, 0, 'a'), edit(3, 0, 'b')), true);
  assert.equal(editsConflict(edit(3, 0, 'a'), edit(3, 2, '')), true);
  assert.equal(editsConflict(edit(5, 0, 'a'), edit(3, 2, '')), false);
});

test('applyFixes takes only preferred fixes and defers the one that collides', () => {
  const text = '0123456789';
  const findings = [
    finding('a', [fix('A', [edit(1, 2, 'AA')])]),
    finding('b', [fix('B', [edit(2, 2, 'BB')])]), // overlaps A
    finding('c', [fix('C', [edit(8, 1, 'C')])]),
    finding('d', [fix('D', [edit(5, 1, 'D')], false)]), // not preferred
  ];
  const result = applyFixes(text, findings);
  assert.equal(result.text, '0AA34567C9');
  assert.deepEqual(result.applied.map((a) => a.code), ['a', 'c']);
  assert.deepEqual(result.deferred.map((a) => a.code), ['b']);
});

test('applyFixes applies an identical fix offered twice only once', () => {
  const same = fix('same', [edit(0, 1, 'X')]);
  const result = applyFixes('abc', [finding('a', [same]), finding('a', [{ ...same, edits: [edit(0, 1, 'X')] }])]);
  assert.equal(result.text, 'Xbc');
  assert.equal(result.applied.length, 1);
  assert.equal(result.deferred.length, 0);
});

test('applyFixes can apply a chosen, non-preferred fix', () => {
  const f = finding('a', [fix('first', [edit(0, 1, '1')]), fix('second', [edit(0, 1, '2')], false)]);
  assert.equal(applyFixes('abc', [f], (x) => x.fixes?.[1]).text, '2bc');
  assert.equal(preferredFix(f)?.title, 'first');
});

test('two removals of neighbouring members collide in one pass and both land after two', () => {
  const text = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}';
  const lint = (t: string): Finding[] => {
    const value = JSON.parse(t) as Record<string, unknown>;
    return ['a', 'b']
      .filter((k) => k in value)
      .map((k) => finding(`remove-${k}`, [fix(`Remove ${k}`, editsFor(t, [{ kind: 'remove', path: [k] }]))]));
  };
  const once = applyFixes(text, lint(text));
  assert.equal(once.applied.length + once.deferred.length, 2);
  const stable = fixUntilStable(text, lint);
  assert.deepEqual(JSON.parse(stable.text), { c: 3 });
  assert.equal(stable.findings.length, 0);
  assert.ok(stable.passes >= 1 && stable.passes <= 2);
});

test('fixUntilStable stops at its bound when fixes undo each other', () => {
  const lint = (t: string): Finding[] => [finding('flip', [fix('flip', [edit(0, 1, t[0] === 'a' ? 'b' : 'a')])])];
  const result = fixUntilStable('a', lint, { maxPasses: 3 });
  assert.equal(result.passes, 3);
});

test('diffAsSingleEdit finds the smallest replacement', () => {
  assert.deepEqual(diffAsSingleEdit('hello world', 'hello brave world'), edit(6, 0, 'brave '));
  assert.deepEqual(diffAsSingleEdit('abc', 'abc'), undefined);
  const before = 'x = 1; y = 2';
  const after = 'x = 10; y = 3';
  const e = diffAsSingleEdit(before, after);
  assert.ok(e);
  assert.equal(applyEdits(before, [e]), after);
});

test('editsFor keeps formatting and applies changes in sequence', () => {
  const text = '{\n    "input": {\n        "engine": "sdxl",\n        "width": 1000\n    }\n}\n';
  const edits = editsFor(text, [
    { kind: 'set', path: ['input', 'engine'], value: 'sdcpp' },
    { kind: 'set', path: ['input', 'ecosystem'], value: 'sdxl', after: 'engine' },
    { kind: 'rename', path: ['input', 'width'], to: 'height' },
  ]);
  assert.equal(edits.length, 1);
  assert.equal(
    applyEdits(text, edits),
    '{\n    "input": {\n        "engine": "sdcpp",\n        "ecosystem": "sdxl",\n        "height": 1000\n    }\n}\n',
  );
  assert.ok(parseWorkflowDocument(applyEdits(text, edits)).syntaxErrors.length === 0);
});

test('editsFor keeps CRLF line endings', () => {
  const text = '{\r\n  "a": 1\r\n}';
  const out = applyEdits(text, editsFor(text, [{ kind: 'set', path: ['b'], value: 2 }]));
  assert.equal(out, '{\r\n  "a": 1,\r\n  "b": 2\r\n}');
});

test('editsFor on a parsed document edits existing members in place, with the same result as the text path', () => {
  const text = '{\n  "a": 1,\n  "b": { "x": 1 },\n  "c": [1, 2, 3]\n}\n';
  const doc = parseWorkflowDocument(text);
  const cases: Array<Parameters<typeof editsFor>[1]> = [
    [{ kind: 'remove', path: ['a'] }],
    [{ kind: 'remove', path: ['c'] }],
    [{ kind: 'remove', path: ['c', 1] }],
    [{ kind: 'remove', path: ['c', 0] }],
    [{ kind: 'set', path: ['b', 'x'], value: 2 }],
    [{ kind: 'set', path: ['a'], value: { deep: [1, { two: 2 }] } }],
    [{ kind: 'rename', path: ['a'], to: 'alpha' }],
    [{ kind: 'rename', path: ['b'], to: 'beta', value: 'flat' }],
    [{ kind: 'remove', path: ['a'] }, { kind: 'set', path: ['b', 'x'], value: 3 }],
    [{ kind: 'remove', path: ['b', 'x'] }], // the only member: text path
    [{ kind: 'set', path: ['d'], value: 4 }], // an insertion after the last member
    [{ kind: 'set', path: ['d'], value: { deep: [1] }, after: 'a' }], // after a named member
    [{ kind: 'set', path: ['b', 'y'], value: 2 }], // inline object: inserted inline
    [{ kind: 'set', path: ['b', 'y'], value: 2, after: 'nope' }], // unknown anchor: at the end
    [{ kind: 'set', path: ['e', 'f'], value: 1 }], // no parent: text path
  ];
  for (const changes of cases) {
    const fromTree = applyEdits(text, editsFor(doc, changes));
    const fromText = applyEdits(text, editsFor(text, changes));
    assert.deepEqual(JSON.parse(fromTree), JSON.parse(fromText), JSON.stringify(changes));
    assert.equal(parseWorkflowDocument(fromTree).syntaxErrors.length, 0, fromTree);
  }
  // Insertions come from the tree too, beside their anchor, in the file's own layout.
  assert.deepEqual(editsFor(doc, [{ kind: 'set', path: ['d'], value: 4, after: 'a' }]), [{ offset: 10, length: 0, newText: ',\n  "d": 4' }]);
  assert.equal(applyEdits(text, editsFor(doc, [{ kind: 'set', path: ['b', 'y'], value: 2 }])), '{\n  "a": 1,\n  "b": { "x": 1, "y": 2 },\n  "c": [1, 2, 3]\n}\n');
  // In-place edits are small: removing "a" touches only its own line.
  assert.deepEqual(editsFor(doc, [{ kind: 'remove', path: ['a'] }]), [{ offset: 4, length: 10, newText: '' }]);
});

test('two removals of neighbours from the tree touch but do not collide, and both apply in one pass', () => {
  const text = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}';
  const doc = parseWorkflowDocument(text);
  const findings = ['b', 'c'].map((k) => finding(k, [fix(k, editsFor(doc, [{ kind: 'remove', path: [k] }]))]));
  const result = applyFixes(text, findings);
  assert.equal(result.applied.length, 2);
  assert.deepEqual(JSON.parse(result.text), { a: 1 });
});
