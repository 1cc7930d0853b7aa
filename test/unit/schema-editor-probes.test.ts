// Completions and hovers from the editor schema, asked the way VS Code's JSON service asks them
// (vscode-json-languageservice doComplete/doHover), on probes generated from the contract for every
// step type, dispatch level and input leaf: the shipped shape answers exactly as the shape before
// it did (test/fixtures/editor-schema-probes.json, recorded from the if/then-tree shape before the
// dispatch became a guarded discriminator lookup). See editor-schema-probes.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { JSONSchema } from 'vscode-json-languageservice';
import { editorSchemaOf } from '../../src/core/schema/editor-schema';
import { answerer, buildProbes, readSchema, summarize, type Answer } from './editor-schema-probes';

const FIXTURE = path.resolve(__dirname, '../fixtures/editor-schema-probes.json');

async function assertAnswersAsBefore(schema: JSONSchema): Promise<void> {
  const before = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ReturnType<typeof summarize>;
  const probes = buildProbes(readSchema('schemas/workflow.schema.json'));
  assert.ok(probes.length > 3000, `${probes.length} probes`);
  const answer = answerer(schema);
  const answers: Answer[] = [];
  for (const probe of probes) answers.push(await answer(probe));
  const now = summarize(answers);
  assert.deepEqual(Object.keys(now).sort(), Object.keys(before).sort(), 'the same groups are probed');
  for (const group of Object.keys(before)) assert.deepEqual(now[group], before[group], group);
}

test('every generated completion and hover probe answers as before the shape change', async () => {
  await assertAnswersAsBefore(readSchema('schemas/workflow.editor.schema.json') as JSONSchema);
});

test('the earlier tree shape the bench times beside it answers the same (the two differ only in cost)', async () => {
  await assertAnswersAsBefore(editorSchemaOf(readSchema('schemas/workflow.schema.json'), 'tree') as JSONSchema);
});

test('the probes are not vacuous: field completions and hovers carry the contract\'s content', async () => {
  const answer = answerer(readSchema('schemas/workflow.editor.schema.json') as JSONSchema);
  const probes = new Map(buildProbes(readSchema('schemas/workflow.schema.json')).map((p) => [p.id, p]));
  const ask = async (id: string) => {
    const probe = probes.get(id);
    assert.ok(probe, id);
    return answer(probe);
  };
  // Per engine + ecosystem + operation: the leaf's own fields, not the other engine's.
  const sdcpp = (await ask('imageGen input sdcpp sd1 createImage: fields')).completions ?? [];
  for (const f of ['sampleMethod', 'schedule', 'clipSkip', 'width', 'model']) assert.ok(sdcpp.includes(f), f);
  assert.ok(!sdcpp.includes('sampler'));
  const comfy = (await ask('imageGen input comfy sd1 createVariant: fields')).completions ?? [];
  for (const f of ['sampler', 'scheduler', 'denoiseStrength', 'image']) assert.ok(comfy.includes(f), f);
  assert.ok(!comfy.includes('sampleMethod'));
  // Other step types' inputs, one and two levels deep.
  assert.ok(((await ask('videoGen input wan v2.1 civitai: fields')).completions?.length ?? 0) > 3);
  assert.ok(((await ask('step imageUpscaler: input fields')).completions ?? []).includes('image'));
  // Values: discriminators, enums and examples.
  const engines = (await ask('ImageGenInput: values of engine')).completions ?? [];
  assert.ok(engines.includes('"sdcpp"') && engines.includes('"comfy"'), engines.join(' '));
  const samplers = (await ask('imageGen input sdcpp sd1 createImage: values of sampleMethod')).completions ?? [];
  assert.ok(samplers.includes('"euler"'), samplers.join(' '));
  // Hovers: every field of a leaf has its description, with the contract's facts.
  const hovers = (await ask('imageGen input sdcpp sd1 createImage: hovers')).hovers ?? [];
  assert.ok(hovers.length > 10 && hovers.every((h) => h !== null && (JSON.parse(h) as string[]).join('').length > 5), JSON.stringify(hovers));
  assert.ok(hovers.some((h) => /Default `512` · 64–2048/.test(h ?? '')));
});
