import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeIndex } from '../../src/core/schema/node-index';
import { parseWorkflowDocument } from '../../src/core/workflow/document';

const text = '{"a":1,"a":{"b":[10,20,{"c~d/e":3}]},"x/y":{"~":4},"":{"":5}}';
const doc = parseWorkflowDocument(text);
const at = (pointer: string) => {
  const node = new NodeIndex(doc).get(pointer);
  return node && text.slice(node.offset, node.offset + node.length);
};

test('pointers find value nodes; with duplicate keys the last member wins, as in the parsed value', () => {
  assert.equal(at(''), text);
  assert.equal(at('/a/b/1'), '20');
  assert.equal(at('/a/b/2/c~0d~1e'), '3');
  assert.equal(at('/x~1y/~0'), '4');
  assert.equal(at('//'), '5');
  assert.equal(JSON.stringify((doc.value as { a: unknown }).a), '{"b":[10,20,{"c~d/e":3}]}');
});

test('only canonical pointers match: no leading zeros, no bare ~, no missing leading slash', () => {
  for (const p of ['/a/b/01', '/a/b/-1', '/a/b/3', '/x~1y/~', '/x/y', 'a', '/a/b/1/z', '/missing']) assert.equal(at(p), undefined, p);
});

test('nearest climbs to the closest node that exists', () => {
  const index = new NodeIndex(doc);
  assert.equal(index.nearest('/a/b/2/nope/deeper'), index.get('/a/b/2'));
  assert.equal(index.nearest('/nope'), doc.root);
  assert.equal(index.nearest('not a pointer'), doc.root);
});
