// The generated schema's shape: every step type, dispatch levels keyed on the contract's
// discriminators, closed leaves, the reference alternative, and a schema ajv accepts in strict mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadWorkflowSchema, findSchemaFile } from '../../src/core/schema/load-schema';
import { buildSchemaIndex, readDispatch } from '../../src/core/schema/schema-index';
import { ANNOTATION_KEYWORDS } from '../../src/core/schema/contract-validator';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';
import { IMAGE_GEN_LEAVES } from '../../src/core/schema/image-gen-leaves.generated';

const schema = loadWorkflowSchema();
const defs = schema.definitions ?? {};
const index = buildSchemaIndex(schema);
const CONTRACT = path.resolve(__dirname, '../../../shared/civitai-orchestration/openapi.json');

/** A leaf property's schema, through the shared definitions the generator hoists repeats into. */
function prop(leaf: string, name: string): JsonSchema {
  let schema = defs[leaf]?.properties?.[name];
  while (schema?.$ref && Object.keys(schema).length === 1 && schema.$ref !== '#/definitions/WorkflowReference') schema = defs[schema.$ref.replace('#/definitions/', '')];
  assert.ok(schema, `${leaf}.${name}`);
  return schema;
}

test('the schema file is found from the source tree', () => {
  assert.equal(findSchemaFile(__dirname), path.resolve(__dirname, '../../schemas/workflow.schema.json'));
});

test('ajv compiles the whole schema in strict mode, meta-validation on', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });
  addFormats(ajv, ['uri', 'date-time']);
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors?.slice(0, 3)));
  const validate = ajv.compile(schema);
  assert.equal(validate({ steps: [{ $type: 'imageUpscaler', input: { image: 'https://example.com/a.png' } }] }), true, JSON.stringify(validate.errors));
  assert.equal(validate({ steps: [{ $type: 'imageUpscaler', input: { image: 'https://example.com/a.png', bogus: 1 } }] }), false);
});

test('draft-07, closed root, only `steps` required, `$schema` and `currencies` allowed', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['steps']);
  assert.ok(schema.properties?.$schema);
  assert.ok(schema.properties?.currencies);
});

test('all step types of the contract are in the $type enum, each with a description', (t) => {
  const step = defs.WorkflowStepTemplate;
  const types = step.properties?.$type?.enum as string[];
  assert.equal(types.length, 45);
  const descriptions = step.properties?.$type?.markdownEnumDescriptions ?? [];
  assert.equal(descriptions.length, types.length);
  for (const [i, d] of descriptions.entries()) assert.ok(d.length > 10, `no description for ${types[i]}`);
  if (!existsSync(CONTRACT)) {
    t.skip('contract not present: cannot compare with its mapping');
    return;
  }
  const contract = JSON.parse(readFileSync(CONTRACT, 'utf8'));
  assert.deepEqual([...types].sort(), Object.keys(contract.components.schemas.WorkflowStepTemplate.discriminator.mapping).sort());
});

test('every dispatch level declares its property as an enum of exactly its targets, and stays open', () => {
  let count = 0;
  for (const [name, def] of Object.entries(defs)) {
    const dispatch = readDispatch(name, def);
    if (!dispatch) continue;
    count++;
    // A discriminator with a default may be absent or null (the contract makes those nullable).
    const expected = dispatch.defaultValue === undefined ? [...dispatch.targets.keys()] : [...dispatch.targets.keys(), null];
    assert.deepEqual(def.properties?.[dispatch.property]?.enum, expected, name);
    if (dispatch.defaultValue !== undefined) assert.equal(def.required, undefined, `${name}: a defaulted discriminator is not required`);
    assert.equal(def.additionalProperties, undefined, `${name} must not close the object`);
    for (const target of dispatch.targets.values()) assert.ok(defs[target], `${name} → missing ${target}`);
  }
  assert.ok(count > 100, `only ${count} dispatch levels`);
});

test('imageGen dispatches engine → ecosystem → operation', () => {
  const engines = index.dispatches.get('ImageGenInput');
  assert.equal(engines?.property, 'engine');
  assert.equal(engines?.targets.size, 12);
  const sdcpp = index.dispatches.get(engines!.targets.get('sdcpp')!);
  assert.equal(sdcpp?.property, 'ecosystem');
  assert.ok(sdcpp?.targets.has('sd1') && sdcpp.targets.has('sdxl') && sdcpp.targets.has('anima'));
  const sd1 = index.dispatches.get(sdcpp!.targets.get('sd1')!);
  assert.equal(sd1?.property, 'operation');
  assert.deepEqual([...sd1!.targets.keys()], ['createImage', 'createVariant']);
});

test('leaves are one closed object: allOf layers merged, most derived layer wins', () => {
  const leaf = defs.Sd1CreateImageGenInput;
  assert.equal(leaf.additionalProperties, false);
  assert.equal(leaf.allOf, undefined);
  // `engine` comes from three layers; the leaf keeps the most derived (an enum of one).
  const engine = prop('Sd1CreateImageGenInput', 'engine');
  assert.equal(engine.type, 'string');
  assert.deepEqual(engine.enum, ['sdcpp']);
  for (const r of ['engine', 'ecosystem', 'operation', 'model', 'prompt']) assert.ok(leaf.required?.includes(r), r);
  assert.ok(leaf.properties?.width && leaf.properties.prompt && leaf.properties.outputFormat);
});

test('every non-discriminating input field accepts a reference object', () => {
  const ref = { $ref: '#/definitions/WorkflowReference' };
  let wrapped = 0;
  for (const leaf of index.leaves.values()) {
    const def = defs[leaf.name];
    const discriminating = new Set(leaf.chain.map((c) => c.property));
    for (const name of Object.keys(def.properties ?? {})) {
      if (leaf.kind === 'step' && name !== 'input') continue;
      const schema = prop(leaf.name, name);
      if (discriminating.has(name)) {
        assert.equal(schema.anyOf, undefined, `${leaf.name}.${name} is a discriminator`);
        continue;
      }
      assert.deepEqual(schema.anyOf?.[1], ref, `${leaf.name}.${name}`);
      wrapped++;
    }
  }
  assert.ok(wrapped > 1000);
  assert.deepEqual(defs.WorkflowReference.required, ['$ref']);
  assert.equal(defs.WorkflowReference.additionalProperties, false);
});

test('formats ajv and VS Code do not know are gone; nullable types are kept', () => {
  const text = JSON.stringify(schema);
  for (const f of ['int32', 'int64', 'double', 'float', 'date-span']) assert.ok(!text.includes(`"format":"${f}"`), f);
  assert.deepEqual(prop('Sd1CreateImageGenInput', 'negativePrompt').anyOf?.[0]?.type, ['null', 'string']);
});

test('the leaves table covers every imageGen leaf of the schema', () => {
  const imageGenLeaves = [...index.leaves.values()].filter((l) => l.kind === 'input' && l.stepType === 'imageGen');
  assert.equal(Object.keys(IMAGE_GEN_LEAVES).length, imageGenLeaves.length);
  for (const leaf of imageGenLeaves) {
    const key = leaf.chain.map((c) => c.value).join('/') as keyof typeof IMAGE_GEN_LEAVES;
    assert.equal(IMAGE_GEN_LEAVES[key]?.definition, leaf.name, key);
  }
  const sd1 = IMAGE_GEN_LEAVES['comfy/sd1/createImage'];
  assert.equal(sd1.properties.width.maximum, 1024);
  assert.equal(IMAGE_GEN_LEAVES['sdcpp/sd1/createImage'].properties.width.maximum, 2048);
  assert.equal(IMAGE_GEN_LEAVES['sdcpp/sd1/createImage'].properties.steps.default, 20);
});

test('SD fields carry our own descriptions with the contract facts', () => {
  assert.match(prop('ComfySd1CreateImageGenInput', 'width').markdownDescription ?? '', /64–1024/);
  assert.match(prop('Sd1CreateImageGenInput', 'width').markdownDescription ?? '', /64–2048/);
  assert.match(prop('Sd1CreateImageGenInput', 'steps').markdownDescription ?? '', /Default `20` · 1–150/);
  assert.match(prop('ComfySd1CreateImageGenInput', 'steps').markdownDescription ?? '', /Default `30` · 1–150/);
  // Where the guides disagree with the contract, the description says so.
  assert.match(prop('ComfySd1CreateImageGenInput', 'width').markdownDescription ?? '', /2048/);
  assert.match(prop('Sd1CreateImageGenInput', 'clipSkip').markdownDescription ?? '', /-1/);
  // Every SD1 / SDXL / Anima field on sdcpp and comfy is described.
  for (const leaf of ['Sd1CreateImageGenInput', 'Sd1VariantImageGenInput', 'SdxlCreateImageGenInput', 'SdxlVariantImageGenInput', 'AnimaCreateImageGenInput', 'ComfySd1CreateImageGenInput', 'ComfySd1VariantImageGenInput', 'ComfySdxlCreateImageGenInput', 'ComfySdxlVariantImageGenInput']) {
    for (const name of Object.keys(defs[leaf].properties ?? {})) {
      assert.ok((prop(leaf, name).markdownDescription ?? '').length > 10, `${leaf}.${name} has no description`);
    }
  }
  for (const name of Object.keys(schema.properties ?? {})) assert.ok((schema.properties![name].markdownDescription ?? '').length > 10, `workflow ${name}`);
});

test('a nullable enum accepts null (the contract lists the type as nullable but forgets null in the enum)', () => {
  let count = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const s = node as JsonSchema;
    if (Array.isArray(s.type) && s.type.includes('null') && s.enum) {
      count++;
      assert.ok(s.enum.includes(null), JSON.stringify(s).slice(0, 80));
    }
    for (const [k, v] of Object.entries(s)) if (k !== 'enum' && k !== 'default') walk(v);
  };
  walk(schema);
  assert.ok(count > 0);
});
