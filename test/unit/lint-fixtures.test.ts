// Every documented example (test/fixtures/*.civitai.json, extracted from the seeds and recipes)
// lints without errors; the older-shape example and the deliberately broken files do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintWorkflow } from '../../src/core/lint';

const DIR = path.resolve(__dirname, '../fixtures');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');
const examples = readdirSync(DIR).filter((f) => f.endsWith('.civitai.json')).sort();

test('the documented examples are all here', () => {
  for (const ecosystem of ['sd1', 'sdxl', 'anima']) assert.ok(examples.some((f) => f.startsWith(`${ecosystem}-sdcpp-create`)), ecosystem);
  assert.ok(examples.includes('sd1-comfy-create.civitai.json'));
  assert.ok(examples.includes('sdxl-sdcpp-variant.civitai.json'));
  assert.ok(examples.length >= 12);
});

for (const file of examples) {
  test(`${file} has no errors`, () => {
    const errors = lintWorkflow(read(file)).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.code} ${f.pointer} ${f.message}`), []);
  });
}

test('legacy-sdxl-payload.json (older shape) is refused, on the contract alone too', () => {
  const text = read('legacy-sdxl-payload.json');
  assert.ok(lintWorkflow(text).findings.some((f) => f.severity === 'error'));
  const contract = lintWorkflow(text, { rules: false }).findings;
  const engine = contract.find((f) => f.code === 'unknown-engine');
  assert.ok(engine, JSON.stringify(contract.map((f) => f.code)));
  assert.match(engine.message, /engine: "sdcpp", ecosystem: "sdxl", operation: "createImage"/);
  assert.ok(contract.some((f) => f.code === 'unknown-property' && f.pointer === '/callbackUrl'));
});

for (const file of readdirSync(path.join(DIR, 'broken')).filter((f) => f.endsWith('.json'))) {
  test(`broken/${file} has errors`, () => {
    assert.ok(lintWorkflow(read(`broken/${file}`)).findings.some((f) => f.severity === 'error'));
  });
}
