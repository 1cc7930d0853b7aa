// The bench's alternative schema shapes must mean what the shipped schema means (only their
// shape differs), or comparing VS Code's validation time across them would compare different work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';
import { buildSchemaIndex, leafForInput, readDispatch } from '../../src/core/schema/schema-index';
import { buildSchemaVariant, dispatchDepth, SCHEMA_VARIANTS } from '../../bench/schema-variants';
import { generateWorkflow, COMBINATIONS, type Flaw } from '../../bench/generate';
import { createJsonValidator } from '../../bench/lib/language-service';

const SHIPPED_TEXT = readFileSync(path.join(__dirname, '..', '..', 'schemas', 'workflow.schema.json'), 'utf8');
const shipped = (): JsonSchema => JSON.parse(SHIPPED_TEXT) as JsonSchema;
const dispatchNames = (schema: JsonSchema) => Object.entries(schema.definitions ?? {}).filter(([n, d]) => readDispatch(n, d)).map(([n]) => n);

test('every variant is a fresh copy and the shipped variant equals the file', () => {
  const original = shipped();
  for (const variant of SCHEMA_VARIANTS) assert.notEqual(buildSchemaVariant(original, variant), original);
  assert.deepEqual(buildSchemaVariant(original, 'shipped'), shipped());
  assert.deepEqual(original, shipped(), 'building variants leaves the input untouched');
});

test('oneOf: every dispatch becomes a oneOf over the same targets', () => {
  const original = shipped();
  const names = dispatchNames(original);
  assert.ok(names.length > 10);
  const variant = buildSchemaVariant(original, 'oneOf');
  for (const name of names) {
    const targets = [...readDispatch(name, original.definitions![name])!.targets.values()];
    const def = variant.definitions![name];
    assert.equal(def.allOf, undefined, name);
    assert.deepEqual(def.oneOf?.map((b) => b.$ref), targets.map((t) => `#/definitions/${t}`), name);
  }
});

test('flatDispatch: one level whose conditions lead to the leaf the nested dispatch chooses', () => {
  const original = shipped();
  const index = buildSchemaIndex(original);
  const variant = buildSchemaVariant(original, 'flatDispatch');
  assert.ok(dispatchDepth(original, 'ImageGenInput') > 1);
  const branches = variant.definitions!.ImageGenInput.allOf ?? [];
  assert.ok(branches.length > 0);
  for (const branch of branches) {
    const conditions = Object.fromEntries(Object.entries(branch.if?.properties ?? {}).map(([k, v]) => [k, v.const]));
    assert.deepEqual(branch.if?.required, Object.keys(conditions));
    assert.equal(`#/definitions/${leafForInput(index, 'imageGen', conditions)?.name}`, branch.then?.$ref, JSON.stringify(conditions));
  }
  // Every documented combination has its branch.
  for (const c of COMBINATIONS) {
    assert.ok(branches.some((b) => b.if?.properties?.engine?.const === c.engine && b.if?.properties?.ecosystem?.const === c.ecosystem && b.if?.properties?.operation?.const === c.operation), `${c.engine} ${c.ecosystem} ${c.operation}`);
  }
});

test('inlinedProps: no shared property definition is left, nor any reference to one', () => {
  const original = shipped();
  const shared = Object.keys(original.definitions ?? {}).filter((n) => /\.[0-9a-f]{6}$/.test(n));
  assert.ok(shared.length > 10, 'the shipped schema hoists shared property schemas');
  const variant = buildSchemaVariant(original, 'inlinedProps');
  const text = JSON.stringify(variant);
  for (const name of shared) {
    assert.equal(variant.definitions?.[name], undefined, name);
    assert.ok(!text.includes(`"#/definitions/${name}"`), name);
  }
});

test("VS Code's validation with every variant: a clean document passes, each contract flaw is flagged on its own step", async () => {
  const clean = generateWorkflow({ steps: COMBINATIONS.length * 2, seed: 21 });
  // Flaws the contract itself refuses (the others are guide advice only our linter knows).
  const contractFlaws: Flaw[] = ['unknown-field', 'sampler-other-spelling', 'other-engine-field'];
  const flawed = generateWorkflow({ steps: 42, seed: 22, findingsEvery: 2 });
  const tree = parseTree(flawed.text)!;
  const stepAt = (offset: number) =>
    flawed.steps.find((s) => {
      const node = findNodeAtLocation(tree, ['steps', s.index])!;
      return offset >= node.offset && offset < node.offset + node.length;
    });
  for (const variant of SCHEMA_VARIANTS) {
    const service = createJsonValidator(buildSchemaVariant(shipped(), variant));
    assert.deepEqual(await service.diagnostics(clean.text), [], variant);
    const diagnostics = await service.diagnostics(flawed.text);
    const flagged = new Set(diagnostics.map((d) => stepAt(d.offset)?.index));
    for (const step of flawed.steps) {
      const refused = step.flaw !== undefined && contractFlaws.includes(step.flaw);
      assert.equal(flagged.has(step.index), refused, `${variant}: step ${step.index} (flaw ${step.flaw ?? 'none'})`);
    }
  }
});
