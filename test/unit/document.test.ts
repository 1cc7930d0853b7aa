import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseWorkflowDocument, nodeAtPointer, pointerOfNode, offsetToPosition, positionToOffset, formatPointer, parsePointer,
} from '../../src/core/workflow/document';

test('pointer round trip with escapes', () => {
  const path = ['steps', 0, 'a/b', 'c~d'];
  assert.equal(formatPointer(path), '/steps/0/a~1b/c~0d');
  assert.deepEqual(parsePointer('/steps/0/a~1b/c~0d'), ['steps', '0', 'a/b', 'c~d']);
});

test('nodeAtPointer finds values and pointerOfNode inverts it', () => {
  const doc = parseWorkflowDocument('{\n  "steps": [ { "input": { "width": 512 } } ]\n}');
  const node = nodeAtPointer(doc, '/steps/0/input/width');
  assert.ok(node);
  assert.equal(node.value, 512);
  assert.equal(pointerOfNode(node), '/steps/0/input/width');
  assert.equal(pointerOfNode(node.parent!), '/steps/0/input/width');
  assert.equal(nodeAtPointer(doc, '/steps/1'), undefined);
});

test('offset and position conversions handle CRLF', () => {
  const doc = parseWorkflowDocument('{\r\n"a": 1\r\n}');
  assert.deepEqual(offsetToPosition(doc, 3), { line: 1, character: 0 });
  assert.equal(positionToOffset(doc, { line: 1, character: 2 }), 5);
});

test('syntax errors are collected, not thrown', () => {
  const doc = parseWorkflowDocument('{ "steps": [ } ');
  assert.ok(doc.syntaxErrors.length > 0);
});
