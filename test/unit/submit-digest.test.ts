import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyDigest } from '../../src/extension/runs/bodyDigest';

const body = { steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', prompt: 'a cat', width: 1024 } }], tags: ['x'] };

test('the digest ignores key order, formatting, $schema and the idempotency key', () => {
  const reordered = JSON.parse('{"tags":["x"],"steps":[{"input":{"width":1024,"prompt":"a cat","ecosystem":"sdxl","engine":"sdcpp"},"$type":"imageGen"}]}');
  assert.equal(bodyDigest(reordered), bodyDigest(body));
  assert.equal(bodyDigest({ ...body, $schema: './schema.json', externalId: 'k1' }), bodyDigest(body));
});

test('the digest changes when anything the service reads changes', () => {
  const changed = structuredClone(body);
  changed.steps[0].input.prompt = 'a dog';
  assert.notEqual(bodyDigest(changed), bodyDigest(body));
  assert.notEqual(bodyDigest({ ...body, tags: ['x', 'y'] }), bodyDigest(body));
  assert.notEqual(bodyDigest({ steps: [1, 2] }), bodyDigest({ steps: [2, 1] }), 'array order matters');
  assert.match(bodyDigest(body), /^[A-Za-z0-9_-]{32}$/);
});
