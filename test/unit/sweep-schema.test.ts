// The editor's schema for *.sweep.json (completions, hovers) and the core's parser must agree on
// what a sweep file is: the same samples, judged by both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseSweepSpec } from '../../src/core/sweep';

const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../../schemas/sweep.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const samples: Array<[string, unknown]> = [
  ['two field axes', { axes: [{ field: 'cfgScale', values: '4-8(+2)' }, { field: 'sampleMethod', values: ['euler', 'dpm++2m'] }] }],
  ['sizes as objects', { axes: [{ field: 'size', values: [{ width: 832, height: 1216 }] }] }],
  ['lora, replace and variants with options', { step: 'gen', seed: 3, maxStepsPerWorkflow: 10, workflow: 'a.civitai.json', axes: [
    { lora: 'urn:air:sdxl:lora:civitai:1@2', values: '0.5,1', label: 'style' }, { replace: 'red', values: ['red', 'blue'] }, { prompt: 'variants', count: 4 }] }],
  ['no axes', { axes: [] }],
  ['four axes', { axes: Array.from({ length: 4 }, () => ({ field: 'seed', values: '1' })) }],
  ['unknown top-level key', { axes: [{ field: 'seed', values: '1' }], extra: true }],
  ['axis without values', { axes: [{ field: 'seed' }] }],
  ['axis mixing kinds', { axes: [{ field: 'seed', lora: 'x', values: '1' }] }],
  ['variants of something else', { axes: [{ prompt: 'all' }] }],
  ['missing axes', {}],
];

for (const [name, sample] of samples) {
  test(`schema and parser agree: ${name}`, () => {
    let parsed = true;
    try {
      parseSweepSpec(sample);
    } catch {
      parsed = false;
    }
    assert.equal(validate(sample), parsed, JSON.stringify(validate.errors));
  });
}
