// Per imageGen leaf (sdcpp sd1/sdxl/anima, comfy sd1/sdxl; createImage and createVariant), cases
// generated from the contract's leaves table: every enum value is accepted and a wrong one
// refused, every bound is accepted and refused one past it, and every field of the other engine
// is refused on the field itself. Only the contract pass runs (rules are other tests' business).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { validateContract } from '../../src/core/schema/validate';
import { IMAGE_GEN_LEAVES, type ImageGenLeaf, type ImageGenLeafKey, type LeafPropertyFacts } from '../../src/core/schema/image-gen-leaves.generated';
import type { Finding } from '../../src/core/findings';

const LEAVES: ImageGenLeafKey[] = [
  'sdcpp/sd1/createImage', 'sdcpp/sd1/createVariant', 'sdcpp/sdxl/createImage', 'sdcpp/sdxl/createVariant',
  'sdcpp/anima/createImage', 'sdcpp/anima/createVariant', 'comfy/sd1/createImage', 'comfy/sd1/createVariant',
  'comfy/sdxl/createImage', 'comfy/sdxl/createVariant',
];

type Input = Record<string, unknown>;

function baseInput(leaf: ImageGenLeaf): Input {
  const input: Input = { ...leaf.discriminators };
  const ecosystem = leaf.discriminators.ecosystem;
  for (const name of leaf.required) {
    if (name in input) continue;
    input[name] = sampleValue(name, leaf.properties[name], ecosystem);
  }
  return input;
}

function sampleValue(name: string, facts: LeafPropertyFacts | undefined, ecosystem: string): unknown {
  if (facts?.enum) return facts.enum[0];
  if (facts?.default !== undefined && facts.default !== null) return facts.default;
  if (facts?.pattern) return `urn:air:${ecosystem}:checkpoint:civitai:1@2`;
  if (name === 'image') return 'https://example.com/source.png';
  if (name === 'loras') return { [`urn:air:${ecosystem}:lora:civitai:3@4`]: 0.8 };
  if (name === 'controlNets' || name === 'embeddings') return [];
  const type = Array.isArray(facts?.type) ? facts!.type.find((t) => t !== 'null') : facts?.type;
  if (type === 'integer' || type === 'number') return facts?.minimum ?? 1;
  if (type === 'boolean') return true;
  return 'text';
}

function check(input: Input): { findings: Finding[]; text: string } {
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input }] }, null, 2);
  return { findings: validateContract(parseWorkflowDocument(text)), text };
}

const describe = (f: Finding[]): string => JSON.stringify(f.map((x) => `${x.code} ${x.pointer} ${x.message}`), null, 1);

/** Where `"name": ` of the input's member starts in text made by JSON.stringify(…, null, 2). */
function keyOffset(text: string, name: string): number {
  const offset = text.indexOf(`\n        ${JSON.stringify(name)}: `);
  assert.ok(offset >= 0, `no key ${name} in the text`);
  return offset + '\n        '.length;
}

for (const key of LEAVES) {
  const leaf = IMAGE_GEN_LEAVES[key];
  const base = baseInput(leaf);
  const fields = Object.entries(leaf.properties).filter(([name]) => !(name in leaf.discriminators));

  test(`${key}: the minimal input is valid`, () => {
    const { findings } = check(base);
    assert.deepEqual(findings, [], describe(findings));
  });

  test(`${key}: every enum value is accepted, a wrong one is refused on the value`, () => {
    const enums = fields.filter(([, f]) => f.enum);
    assert.ok(enums.length >= 3, 'sampler, scheduler and outputFormat at least');
    for (const [name, facts] of enums) {
      for (const value of facts.enum!) assert.deepEqual(check({ ...base, [name]: value }).findings, [], `${name}=${value}`);
      const { findings, text } = check({ ...base, [name]: 'not-a-value' });
      assert.equal(findings.length, 1, describe(findings));
      assert.equal(findings[0].code, 'invalid-enum');
      assert.equal(findings[0].pointer, `/steps/0/input/${name}`);
      assert.equal(findings[0].offset, text.indexOf('"not-a-value"'));
    }
  });

  test(`${key}: every bound is accepted and refused one past it`, () => {
    const bounded = fields.filter(([, f]) => f.minimum !== undefined || f.maximum !== undefined);
    assert.ok(bounded.length >= 5, 'width, height, steps, cfgScale, quantity at least');
    for (const [name, facts] of bounded) {
      for (const [bound, past] of [[facts.minimum, -1], [facts.maximum, +1]] as const) {
        if (bound === undefined) continue;
        assert.deepEqual(check({ ...base, [name]: bound }).findings, [], `${name}=${bound}`);
        const value = bound + past;
        const { findings } = check({ ...base, [name]: value });
        assert.equal(findings.length, 1, `${name}=${value}: ${describe(findings)}`);
        assert.equal(findings[0].code, 'out-of-range');
        assert.equal(findings[0].pointer, `/steps/0/input/${name}`);
        assert.match(findings[0].message, new RegExp(`${past > 0 ? 'maximum' : 'minimum'} ${bound}\\b`));
      }
    }
  });

  test(`${key}: text longer than the contract allows is refused`, () => {
    for (const [name, facts] of fields.filter(([, f]) => f.maxLength !== undefined)) {
      assert.deepEqual(check({ ...base, [name]: 'x'.repeat(facts.maxLength!) }).findings, [], name);
      const { findings } = check({ ...base, [name]: 'x'.repeat(facts.maxLength! + 1) });
      assert.equal(findings.length, 1, describe(findings));
      assert.equal(findings[0].code, 'too-long');
    }
  });

  test(`${key}: every field of the other engine is refused on its key`, () => {
    const [engine, ecosystem, operation] = key.split('/');
    const otherKey = `${engine === 'sdcpp' ? 'comfy' : 'sdcpp'}/${ecosystem}/${operation}` as ImageGenLeafKey;
    const other = IMAGE_GEN_LEAVES[otherKey];
    if (!other) return; // no comfy Anima createImage counterpart to compare with is not this test's concern
    const foreign = Object.keys(other.properties).filter((name) => !(name in leaf.properties));
    assert.ok(foreign.length > 0, `${otherKey} has fields ${key} lacks`);
    for (const name of foreign) {
      const { findings, text } = check({ ...base, [name]: sampleValue(name, other.properties[name], ecosystem) });
      assert.equal(findings.length, 1, `${name}: ${describe(findings)}`);
      assert.equal(findings[0].code, 'unknown-property');
      assert.equal(findings[0].pointer, `/steps/0/input/${name}`);
      assert.equal(findings[0].offset, keyOffset(text, name), name);
      assert.equal(findings[0].length, JSON.stringify(name).length, name);
      assert.match(findings[0].message, new RegExp(`${engine} \\+ ${ecosystem} ${operation}`));
    }
  });
}
