import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerKey, serverErrorsToFindings } from '../../src/core/api/server-findings';
import { nodeAtPointer, parseWorkflowDocument } from '../../src/core/workflow/document';

const TEXT = `{
  "steps": [
    {
      "$type": "imageGen",
      "name": "hero",
      "input": { "engine": "sdcpp", "ecosystem": "sdxl", "width": 4000, "prompt": "x" }
    },
    {
      "$type": "imageUpscaler",
      "input": { "image": { "$ref": "hero", "path": "output.images[0].url" } }
    }
  ]
}`;
const doc = parseWorkflowDocument(TEXT);

test('server keys parse in every spelling the service may use', () => {
  assert.deepEqual(parseServerKey('steps[0].input.width'), ['steps', 0, 'input', 'width']);
  assert.deepEqual(parseServerKey('$.steps[1].input.image'), ['steps', 1, 'input', 'image']);
  assert.deepEqual(parseServerKey('/steps/0/input/width'), ['steps', 0, 'input', 'width']);
  assert.deepEqual(parseServerKey("steps[0]['input'].width"), ['steps', 0, 'input', 'width']);
  assert.deepEqual(parseServerKey('$'), []);
  assert.deepEqual(parseServerKey(''), []);
});

test('maps casings and prefixes onto the document, with its own spelling and exact ranges', () => {
  const width = nodeAtPointer(doc, '/steps/0/input/width')!;
  for (const key of ['steps[0].input.width', 'Steps[0].Input.Width', '$.steps[0].input.width', 'input.width', '/steps/0/input/width', 'workflowTemplate.steps[0].input.width']) {
    const [f] = serverErrorsToFindings({ [key]: ['Width must be at most 2048.'] }, doc);
    assert.equal(f.pointer, '/steps/0/input/width', key);
    assert.equal(f.code, 'server-validation');
    assert.equal(f.severity, 'error');
    assert.equal(f.offset, width.offset, key);
    assert.equal(f.length, width.length);
    assert.equal(TEXT.slice(f.offset, f.offset + f.length), '4000');
    assert.equal(f.message, 'Width must be at most 2048.');
  }
});

test('a relative key resolves against the step that has the field', () => {
  const [f] = serverErrorsToFindings({ 'input.image': ['could not be loaded'] }, doc);
  assert.equal(f.pointer, '/steps/1/input/image');
});

test('unknown paths land on the nearest existing ancestor and say where they were reported', () => {
  const [f] = serverErrorsToFindings({ 'steps[0].input.sampler': ['Unknown sampler.'] }, doc);
  assert.equal(f.pointer, '/steps/0/input');
  assert.equal(TEXT.slice(f.offset, f.offset + f.length), '"input"');
  assert.match(f.message, /Unknown sampler\..*steps\[0\]\.input\.sampler/);
  const [beyond] = serverErrorsToFindings({ 'steps[7].input': ['No such step.'] }, doc);
  assert.equal(beyond.pointer, '/steps');
});

test('one finding per message; body-level keys point at the root', () => {
  const findings = serverErrorsToFindings({ '': ['Body invalid.'], 'steps[0].input.width': ['a', 'b'] }, doc);
  assert.equal(findings.length, 3);
  assert.equal(findings[0].pointer, '');
  assert.equal(findings[0].offset, 0);
  assert.deepEqual(findings.slice(1).map((f) => f.message), ['a', 'b']);
  assert.deepEqual(findings[1].range.start, { line: 5, character: TEXT.split('\n')[5].indexOf('4000') });
});

test('works on a broken document without throwing', () => {
  const broken = parseWorkflowDocument('{ "steps": [ {');
  const findings = serverErrorsToFindings({ 'steps[0].input.width': ['x'] }, broken);
  assert.equal(findings.length, 1);
  const empty = parseWorkflowDocument('');
  assert.equal(serverErrorsToFindings({ 'steps[0]': ['x'] }, empty)[0].pointer, '');
});
