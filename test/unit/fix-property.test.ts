// Every fix offered anywhere is safe: for each fixture (the docs' conformance corpus, the
// documented examples, the broken fixtures, and probe documents generated from the schema for
// every step type), each fix of each finding is applied on its own, and the file re-linted: the
// finding it fixes is gone, and no error appears that was not there before (counted per code and
// place, so an error a fix moves is not mistaken for a new one only if it stays where it was).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyFix } from '../../src/core/fixes';
import { lintWorkflow } from '../../src/core/lint';
import type { Finding } from '../../src/core/findings';
import { CONTRACT_SAMPLES, leafInput, resolve, sample } from './contract-samples';
import { imageStep, workflowText } from './rules-test-helpers';

const FIXTURES = path.resolve(__dirname, '../fixtures');

function fixtureDocuments(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (dir: string, filter: (f: string) => boolean): void => {
    for (const f of readdirSync(dir).filter(filter).sort()) out.push([path.relative(FIXTURES, path.join(dir, f)), readFileSync(path.join(dir, f), 'utf8')]);
  };
  add(FIXTURES, (f) => f.endsWith('.json'));
  add(path.join(FIXTURES, 'broken'), (f) => f.endsWith('.json'));
  add(path.join(FIXTURES, 'conformance'), (f) => f.endsWith('.civitai.json'));
  return out;
}

/** Per input leaf: its minimal input with the mutations that have fixes (casing, older names, read-only members). */
function probeDocuments(): Array<[string, string]> {
  const { index, defs } = CONTRACT_SAMPLES;
  const out: Array<[string, string]> = [];
  for (const leaf of index.leaves.values()) {
    if (leaf.kind !== 'input') continue;
    const base = leafInput(leaf);
    const properties = defs[leaf.name].properties ?? {};
    const mutated: Record<string, unknown> = { ...base };
    for (const [member, raw] of Object.entries(properties)) {
      const s = resolve(raw);
      if (leaf.chain.some((c) => c.property === member) || !s) continue;
      const cased = (s.enum ?? []).find((v): v is string => typeof v === 'string' && v.toUpperCase() !== v);
      if (cased !== undefined) mutated[member] = cased.toUpperCase();
      if (s.readOnly) mutated[member] = member in base ? base[member] : 1;
    }
    // The older names, with a value the current field accepts.
    if ('steps' in properties && !('numInferenceSteps' in properties) && !('steps' in base)) mutated.numInferenceSteps = sample(properties.steps);
    if ('frameRate' in properties && !('fps' in properties) && !('frameRate' in base)) mutated.fps = sample(properties.frameRate);
    out.push([`probe ${leaf.name}`, JSON.stringify({ steps: [{ $type: leaf.stepType, input: mutated }] }, null, 2)]);
  }
  // Documents for the SD rules' fixes (the rule tests hold more; these exercise them together).
  out.push(['probe sd rules', workflowText([
    imageStep({ sampler: 'DPM++ 2M Karras', width: 1000, height: 1000, clipSkip: 2, prompt: 'cat, cat, masterpiece <lora:x:1>' }, { name: 'gen' }),
    imageStep({ engine: 'comfy', sampleMethod: 'euler_a', schedule: 'karras', strength: 0.5, loras: { 'civitai:1@2': 0.8 } }, { name: 'gen' }),
    imageStep({ ecosystem: 'anima', model: 'urn:air:anima:checkpoint:civitai:1@2', image: { $ref: 'gen.output.images[0].url' } }),
  ], { callbacks: [{ url: 'http://example.com/hook', type: ['workflow:succeeded'] }] })]);
  return out;
}

/** error findings per code and place. */
function errorCounts(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) if (f.severity === 'error') counts.set(`${f.code} ${f.pointer}`, (counts.get(`${f.code} ${f.pointer}`) ?? 0) + 1);
  return counts;
}

function checkEveryFix(name: string, text: string): number {
  const before = lintWorkflow(text).findings;
  const beforeErrors = errorCounts(before);
  let checked = 0;
  for (const finding of before) {
    for (const fix of finding.fixes ?? []) {
      checked++;
      const fixed = applyFix(text, fix);
      const after = lintWorkflow(fixed).findings;
      const same = (f: Finding): boolean => f.code === finding.code && f.pointer === finding.pointer;
      assert.ok(
        after.filter(same).length < before.filter(same).length,
        `${name}: "${fix.title}" did not remove ${finding.code} at ${finding.pointer || '(root)'}\n${fixed}`,
      );
      const added = [...errorCounts(after)].filter(([k, n]) => n > (beforeErrors.get(k) ?? 0));
      assert.deepEqual(added, [], `${name}: "${fix.title}" for ${finding.code} at ${finding.pointer || '(root)'} added errors: ${JSON.stringify(after.filter((f) => added.some(([k]) => k === `${f.code} ${f.pointer}`)).map((f) => f.message))}`);
    }
  }
  return checked;
}

test('every fix on the fixtures removes its finding and adds no error', (t) => {
  let fixes = 0;
  const docs = fixtureDocuments();
  for (const [name, text] of docs) fixes += checkEveryFix(name, text);
  t.diagnostic(`${fixes} fixes on ${docs.length} fixtures`);
  assert.ok(fixes >= 10, `only ${fixes} fixes exercised`);
});

test('every fix on the probe documents removes its finding and adds no error', (t) => {
  let fixes = 0;
  const docs = probeDocuments();
  for (const [name, text] of docs) fixes += checkEveryFix(name, text);
  t.diagnostic(`${fixes} fixes on ${docs.length} probe documents`);
  assert.ok(fixes >= docs.length, `only ${fixes} fixes exercised on ${docs.length} documents`);
});
