// The bench's document generator: the same seed gives the same bytes, the documents mix every
// documented combination, clean steps lint clean, and each flawed step produces exactly the
// findings its flaw names (so the bench's "with findings" documents are what they claim).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintWorkflow } from '../../src/core/lint';
import type { Finding } from '../../src/core/findings';
import { ECOSYSTEMS } from '../../src/core/ecosystems/table';
import {
  BENCH_FINDINGS_EVERY,
  COMBINATIONS,
  FLAW_NAMES,
  FLAWS,
  benchDocument,
  createRandom,
  generateWorkflow,
  type GeneratedWorkflow,
} from '../../bench/generate';

/** Finding codes per step index, and the findings that belong to no step. */
function codesByStep(findings: readonly Finding[]): { byStep: Map<number, string[]>; outside: Finding[] } {
  const byStep = new Map<number, string[]>();
  const outside: Finding[] = [];
  for (const f of findings) {
    const m = /^\/steps\/(\d+)(?:\/|$)/.exec(f.pointer);
    if (!m) {
      outside.push(f);
      continue;
    }
    const list = byStep.get(Number(m[1])) ?? [];
    list.push(f.code);
    byStep.set(Number(m[1]), list);
  }
  return { byStep, outside };
}

function assertFindingsAsIntended(generated: GeneratedWorkflow): void {
  const { findings } = lintWorkflow(generated.text);
  const { byStep, outside } = codesByStep(findings);
  assert.deepEqual(outside.map((f) => `${f.code} ${f.pointer}: ${f.message}`), []);
  for (const step of generated.steps) {
    const got = [...(byStep.get(step.index) ?? [])].sort();
    assert.deepEqual(got, [...step.intended].sort(), `step ${step.index} (${step.ecosystem} ${step.engine} ${step.operation}, flaw ${step.flaw ?? 'none'})`);
  }
}

test('the same options give the same text; another seed gives another', () => {
  const a = generateWorkflow({ steps: 25, seed: 3, findingsEvery: 4 });
  const b = generateWorkflow({ steps: 25, seed: 3, findingsEvery: 4 });
  const c = generateWorkflow({ steps: 25, seed: 4, findingsEvery: 4 });
  assert.equal(a.text, b.text);
  assert.notEqual(a.text, c.text);
});

test('the PRNG is the same sequence for a seed and stays in [0, 1)', () => {
  const r1 = createRandom(42);
  const r2 = createRandom(42);
  const xs = Array.from({ length: 1000 }, () => r1());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => r2()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(new Set(xs).size > 990);
});

test('the text is the value, with the requested number of named imageGen steps', () => {
  const g = generateWorkflow({ steps: 37, seed: 9, findingsEvery: 5 });
  assert.deepEqual(JSON.parse(g.text), g.value);
  assert.equal(g.value.steps.length, 37);
  assert.equal(g.steps.length, 37);
  assert.deepEqual(g.value.steps.map((s) => s.name), g.steps.map((s) => s.name));
  assert.equal(new Set(g.steps.map((s) => s.name)).size, 37);
  assert.ok(g.value.steps.every((s) => s.$type === 'imageGen'));
});

test('documents mix every documented ecosystem, engine and operation', () => {
  // The combinations come from the ecosystem table: every ecosystem, its engines, its operations.
  for (const [id, facts] of Object.entries(ECOSYSTEMS)) {
    for (const engine of facts.engines) {
      for (const operation of facts.documentedOperations) {
        assert.ok(COMBINATIONS.some((c) => c.ecosystem === id && c.engine === engine && c.operation === operation), `${id} ${engine} ${operation}`);
      }
    }
  }
  const g = generateWorkflow({ steps: COMBINATIONS.length * 2, seed: 5 });
  for (const combo of COMBINATIONS) {
    const step = g.steps.find((s) => s.ecosystem === combo.ecosystem && s.engine === combo.engine && s.operation === combo.operation);
    assert.ok(step, `${combo.ecosystem} ${combo.engine} ${combo.operation} is generated`);
    const input = g.value.steps[step.index].input as Record<string, unknown>;
    assert.equal(input.engine, combo.engine);
    assert.equal(input.ecosystem, combo.ecosystem);
    assert.equal(input.operation, combo.operation);
  }
  assert.ok(new Set(g.steps.map((s) => s.ecosystem)).size >= 3);
  assert.ok(new Set(g.steps.map((s) => s.engine)).size >= 2);
});

test('some variants take their image from an earlier createImage step through $ref', () => {
  const g = generateWorkflow({ steps: 80, seed: 11 });
  const chained = g.steps.filter((s) => s.imageFrom !== undefined);
  assert.ok(chained.length > 0);
  for (const step of chained) {
    const source = g.steps.find((s) => s.name === step.imageFrom);
    assert.ok(source && source.index < step.index && source.operation === 'createImage');
    assert.deepEqual((g.value.steps[step.index].input as Record<string, unknown>).image, { $ref: step.imageFrom, path: 'output.images[0].url' });
  }
});

test('every clean step lints clean', () => {
  for (const seed of [1, 2, 3]) {
    const g = generateWorkflow({ steps: 40, seed, findingsEvery: 0 });
    assert.ok(g.steps.every((s) => s.flaw === undefined && s.intended.length === 0));
    const { findings } = lintWorkflow(g.text);
    assert.deepEqual(findings.map((f) => `${f.code} ${f.pointer}: ${f.message}`), [], `seed ${seed}`);
  }
});

test('every flaw produces exactly its intended findings on its own step, on every combination', () => {
  // Flaws every second step for long enough that each flaw meets several combinations.
  const g = generateWorkflow({ steps: FLAW_NAMES.length * COMBINATIONS.length * 2, seed: 7, findingsEvery: 2 });
  const flawed = g.steps.filter((s) => s.flaw !== undefined);
  assert.deepEqual(new Set(flawed.map((s) => s.flaw)), new Set(FLAW_NAMES));
  for (const s of flawed) assert.deepEqual(s.intended, FLAWS[s.flaw!]);
  assertFindingsAsIntended(g);
});

test('the bench documents have the requested sizes and one flawed step in every ten', () => {
  for (const size of [1, 10, 100]) {
    const g = benchDocument(size);
    assert.equal(g.steps.length, size);
    assert.equal(g.steps.filter((s) => s.flaw).length, Math.floor(size / BENCH_FINDINGS_EVERY));
  }
  assertFindingsAsIntended(benchDocument(100));
});
