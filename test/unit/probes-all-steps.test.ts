// Contract probes for every step type, generated from the committed schema (itself generated from
// the contract): for every input leaf, a minimal input built from the schema is valid; every
// required member, when removed, is reported missing; every discriminator, wrong or absent, is
// reported (or, when the contract gives it a default, absent means the default); every enum value
// is accepted and a wrong one refused (a value differing only in case is a warning); every bound
// is accepted and refused one past it; an unknown member is refused on its key. Only the contract
// pass runs. (test/unit/lint-leaves.test.ts probes the imageGen SD leaves in more detail.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { validateContract } from '../../src/core/schema/validate';
import type { LeafInfo } from '../../src/core/schema/schema-index';
import type { Finding } from '../../src/core/findings';
import { CONTRACT_SAMPLES, leafInput, resolve, sample, type Json } from './contract-samples';

const { index, defs } = CONTRACT_SAMPLES;

function contract(stepType: string, input: Json): Finding[] {
  return validateContract(parseWorkflowDocument(JSON.stringify({ steps: [{ $type: stepType, input }] })));
}

const show = (f: Finding[]): string => JSON.stringify(f.map((x) => `${x.severity} ${x.code} ${x.pointer} ${x.message}`), null, 1);

/** Checks one leaf; returns how many probes ran. */
function probeLeaf(leaf: LeafInfo): number {
  let probes = 0;
  const def = defs[leaf.name];
  const base = leafInput(leaf);
  const at = (member: string): string => `/steps/0/input/${member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const run = (input: Json): Finding[] => {
    probes++;
    return contract(leaf.stepType, input);
  };
  const where = `${leaf.name} (${leaf.chain.map((c) => `${c.property} ${c.value}`).join(', ')})`;

  assert.deepEqual(run(base), [], `${where}: minimal input ${JSON.stringify(base)}: ${show(run(base))}`);

  const chainProps = new Set(leaf.chain.map((c) => c.property));
  for (const r of def.required ?? []) {
    if (chainProps.has(r)) continue;
    const { [r]: _removed, ...rest } = base;
    const f = run(rest);
    assert.equal(f.length, 1, `${where} without ${r}: ${show(f)}`);
    assert.equal(f[0].code, 'missing-property', `${where} without ${r}`);
    assert.equal(f[0].pointer, '/steps/0/input');
    assert.ok(f[0].message.includes(`\`${r}\``), f[0].message);
  }

  const unknown = run({ ...base, probeUnknownMember: 1 });
  assert.equal(unknown.length, 1, `${where} unknown member: ${show(unknown)}`);
  assert.equal(unknown[0].code, 'unknown-property');
  assert.equal(unknown[0].pointer, at('probeUnknownMember'));

  for (const [level, c] of leaf.chain.entries()) {
    const wrong = run({ ...base, [c.property]: 'not-a-value' });
    assert.equal(wrong.length, 1, `${where} ${c.property} wrong: ${show(wrong)}`);
    assert.ok(['unknown-engine', 'unknown-ecosystem', 'unknown-operation', 'invalid-enum', 'unknown-step-type'].includes(wrong[0].code), wrong[0].code);
    assert.equal(wrong[0].pointer, at(c.property));
    // The dispatch level that chose this value: absent means its default, or is missing.
    const dispatch = [...index.dispatches.values()].find((d) => d.stepType === leaf.stepType && d.property === c.property && d.chain.length === level && d.chain.every((x, i) => x.value === leaf.chain[i].value));
    const { [c.property]: _gone, ...rest } = base;
    const absent = run(rest);
    if (dispatch?.defaultValue === undefined) {
      assert.equal(absent.length, 1, `${where} without ${c.property}: ${show(absent)}`);
      assert.equal(absent[0].code, 'missing-property');
      assert.ok(absent[0].message.includes(`\`${c.property}\``), absent[0].message);
    } else if (dispatch.defaultValue === c.value) {
      assert.deepEqual(absent, [], `${where}: absent ${c.property} means ${c.value}: ${show(absent)}`);
      assert.deepEqual(run({ ...base, [c.property]: null }), [], `${where}: null ${c.property} means ${c.value}`);
    }
  }

  for (const [member, raw] of Object.entries(def.properties ?? {})) {
    if (chainProps.has(member)) continue;
    const s = resolve(raw);
    if (!s) continue;
    const strings = (s.enum ?? []).filter((v): v is string => typeof v === 'string');
    if (strings.length > 0) {
      for (const value of strings.slice(0, 40)) assert.deepEqual(run({ ...base, [member]: value }), [], `${where} ${member}=${value}`);
      const wrong = run({ ...base, [member]: 'not-a-value' });
      assert.equal(wrong.length, 1, `${where} ${member} wrong: ${show(wrong)}`);
      assert.equal(wrong[0].code, 'invalid-enum');
      assert.equal(wrong[0].pointer, at(member));
      const cased = strings.find((v) => v.toUpperCase() !== v && !strings.includes(v.toUpperCase()));
      if (cased !== undefined) {
        const f = run({ ...base, [member]: cased.toUpperCase() });
        assert.deepEqual(f.map((x) => `${x.severity} ${x.code}`), ['warning enum-case'], `${where} ${member}=${cased.toUpperCase()}`);
        assert.equal(f[0].fixes?.[0]?.edits[0]?.newText, JSON.stringify(cased));
      }
    }
    const type = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : [s.type];
    if (type.length === 1 && (type[0] === 'integer' || type[0] === 'number') && !s.enum) {
      for (const [bound, step, word] of [[s.minimum, -1, 'minimum'], [s.maximum, 1, 'maximum']] as const) {
        if (bound === undefined || (s.multipleOf && bound % s.multipleOf !== 0)) continue;
        assert.deepEqual(run({ ...base, [member]: bound }), [], `${where} ${member}=${bound}`);
        const past = run({ ...base, [member]: bound + step });
        assert.equal(past.length, 1, `${where} ${member}=${bound + step}: ${show(past)}`);
        assert.equal(past[0].code, 'out-of-range');
        assert.equal(past[0].pointer, at(member));
        assert.ok(past[0].message.includes(word), past[0].message);
      }
    }
  }
  return probes;
}

const stepTypes = [...(index.dispatches.get('WorkflowStepTemplate')?.targets.keys() ?? [])];

/** A step type whose input is not an object (imageUpload takes a URL): valid sample, wrong type refused. */
function probeScalarInput(stepType: string): number {
  const stepLeaf = [...index.leaves.values()].find((l) => l.kind === 'step' && l.stepType === stepType)!;
  const inputSchema = resolve(defs[stepLeaf.name].properties?.input);
  const value = sample(inputSchema);
  assert.notEqual(value, null, `${stepType}: no sample input`);
  assert.deepEqual(contract(stepType, value), [], `${stepType} input ${JSON.stringify(value)}`);
  const wrong = contract(stepType, typeof value === 'number' ? 'text' : 12345);
  assert.ok(wrong.length >= 1 && wrong.every((f) => f.pointer.startsWith('/steps/0/input')), show(wrong));
  assert.ok(wrong.some((f) => f.severity === 'error'));
  return 2;
}

test('probes cover all 45 step types of the contract', () => {
  assert.equal(stepTypes.length, 45);
  const withLeaves = stepTypes.filter((t) => [...index.leaves.values()].some((l) => l.stepType === t && l.kind === 'input'));
  assert.ok(withLeaves.length >= 40, `only ${withLeaves.length} step types with object inputs`);
});

for (const stepType of stepTypes) {
  test(`contract probes: ${stepType}`, () => {
    const leaves = [...index.leaves.values()].filter((l) => l.kind === 'input' && l.stepType === stepType);
    if (leaves.length === 0) {
      probeScalarInput(stepType);
      return;
    }
    let probes = 0;
    for (const leaf of leaves) probes += probeLeaf(leaf);
    assert.ok(probes >= 3 * leaves.length, `${stepType}: only ${probes} probes`);
  });
}
