import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DOC_PATH, renderRulesDoc } from '../../scripts/generate-rules-doc';
import { lintWorkflow } from '../../src/core/lint';
import { RULES, runRules } from '../../src/core/rules/index';
import { CONTRACT_CODE_LIST } from '../../src/core/schema/codes';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { errorsOf } from './rules-test-helpers';

test('rule codes are unique, kebab-case, documented, and distinct from the contract codes', () => {
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  const contract = new Set(CONTRACT_CODE_LIST.map((c) => c.code));
  for (const rule of RULES) {
    assert.match(rule.code, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, rule.code);
    assert.equal(contract.has(rule.code), false, `${rule.code} collides with a contract code`);
    assert.ok(rule.title.length > 0 && rule.description.length > 20, `${rule.code} needs a title and a description`);
  }
});

test('docs/rules.md is up to date (run `npm run docs:rules`)', () => {
  assert.equal(readFileSync(RULES_DOC_PATH, 'utf8'), renderRulesDoc());
});

test('docs/rules.md has an anchor for every code a diagnostic can link to', () => {
  const doc = renderRulesDoc();
  for (const code of [...CONTRACT_CODE_LIST.map((c) => c.code), ...RULES.map((r) => r.code)]) {
    assert.ok(doc.includes(`<a id="${code}"></a>`), code);
  }
});

test('every fixture workflow lints with zero errors', (t) => {
  const dir = join(__dirname, '..', 'fixtures');
  const files = readdirSync(dir).filter((f) => f.endsWith('.civitai.json'));
  if (files.length === 0) {
    t.skip('no test/fixtures/*.civitai.json yet');
    return;
  }
  for (const file of files) {
    const findings = lintWorkflow(readFileSync(join(dir, file), 'utf8')).findings;
    assert.deepEqual(errorsOf(findings).map((f) => `${f.code} ${f.pointer}: ${f.message}`), [], file);
  }
});

test('no rule throws on odd but parseable input', () => {
  const odd: unknown[] = [
    {},
    { steps: null },
    { steps: {} },
    { steps: [null, 1, 'x', []] },
    { steps: [{ $type: 'imageGen' }] },
    { steps: [{ $type: 'imageGen', input: [] }] },
    { steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', width: 'wide', height: -16, loras: [1, 2], embeddings: { a: 1 }, model: 42, sampler: 7, scheduler: null, clipSkip: {} } }] },
    { steps: [{ $type: 'imageGen', input: { engine: 'sdxl', sampler: null, additionalNetworks: 'x', model: 'not an air' } }], callbackUrl: 5, callbackEvents: 'x', detailed: 'yes' },
    { steps: [{ $type: 'imageGen', input: { engine: 'sd1', additionalNetworks: [null, { air: 3 }, { air: 'urn:air:sd1:lora:civitai:1@2', strength: 'high' }] } }] },
    { steps: [{ name: 5, input: { image: { $ref: 5, path: null } } }, { input: { image: { $ref: '$99' } } }], arguments: 'none' },
    { steps: [{ name: 'a', input: { x: { $ref: '$arguments', path: 'a[0].b' } } }], arguments: { a: null } },
    { callbacks: [null, { url: 5 }, { url: 'ws://x' }], ephemeral: true, steps: [] },
    { id: 5, status: {}, steps: [{ output: null }] },
    { request: { body: 'x' } },
  ];
  for (const value of odd) {
    const text = JSON.stringify(value, null, 2);
    const findings = runRules(parseWorkflowDocument(text));
    assert.deepEqual(findings.filter((f) => f.code === 'internal-error').map((f) => f.message), [], text);
  }
});

test('a broken file (syntax errors) does not crash the rules', () => {
  for (const text of ['{ "steps": [ { "$type": "imageGen", "input": { "engine": "sdcpp", "width": 1000, ', '{ "steps": [ } ', '', '[', '{"a": }']) {
    const findings = runRules(parseWorkflowDocument(text));
    assert.equal(findings.filter((f) => f.code === 'internal-error').length, 0, text);
  }
});
