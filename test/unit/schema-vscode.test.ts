// The schema in VS Code's own JSON language service (the one behind `jsonValidation`): documented
// examples validate, errors come without anyOf/if-then noise, completions offer exactly the
// fields and values of the chosen engine + ecosystem + operation, hovers show our descriptions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, TextDocument, type JSONSchema } from 'vscode-json-languageservice';

const ROOT = path.resolve(__dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/workflow.schema.json'), 'utf8')) as JSONSchema;
const service = getLanguageService({ clientCapabilities: { textDocument: { completion: { completionItem: { documentationFormat: ['markdown'] } }, hover: { contentFormat: ['markdown'] } } } });
service.configure({ validate: true, allowComments: false, schemas: [{ uri: 'file:///workflow.schema.json', fileMatch: ['*.civitai.json'], schema }] });

function open(text: string) {
  const doc = TextDocument.create('file:///w.civitai.json', 'json', 1, text);
  return { doc, json: service.parseJSONDocument(doc) };
}

async function problems(text: string): Promise<string[]> {
  const { doc, json } = open(text);
  const diagnostics = await service.doValidation(doc, json, { schemaValidation: 'error' });
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
}

async function complete(text: string, marker: string): Promise<string[]> {
  const offset = text.indexOf(marker);
  assert.ok(offset >= 0);
  const { doc, json } = open(text.replace(marker, ''));
  const list = await service.doComplete(doc, doc.positionAt(offset), json);
  return (list?.items ?? []).map((i) => i.label);
}

const INPUT = '"engine": "sdcpp", "ecosystem": "sd1", "operation": "createImage"';

test('the documented examples validate without problems', async () => {
  const dir = path.join(ROOT, 'test/fixtures');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.civitai.json'))) {
    assert.deepEqual(await problems(readFileSync(path.join(dir, file), 'utf8')), [], file);
  }
});

test('one problem per mistake, at the value or the property', async () => {
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:1@2', prompt: { $ref: '$arguments', path: 'p' }, sampler: 'euler', width: 4096 } }] }, null, 2);
  assert.deepEqual((await problems(text)).sort(), ['13:8 Property sampler is not allowed.', '14:17 Value is above the maximum of 2048.']);
  const legacy = await problems(JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdxl' } }] }));
  assert.equal(legacy.length, 1);
  assert.match(legacy[0], /Unknown engine. SD1, SDXL and Anima run on engine "sdcpp"/);
});

test('completions inside an input offer exactly the fields of its combination', async () => {
  const sdcpp = await complete(`{"steps":[{"$type":"imageGen","input":{${INPUT}, |}}]}`, '|');
  for (const field of ['sampleMethod', 'schedule', 'clipSkip', 'embeddings', 'uCache', 'width', 'model']) assert.ok(sdcpp.includes(field), field);
  for (const field of ['sampler', 'scheduler', 'denoiseStrength', 'strength', 'image', 'controlNets']) assert.ok(!sdcpp.includes(field), field);
  const comfyVariant = await complete(`{"steps":[{"$type":"imageGen","input":{"engine": "comfy", "ecosystem": "sd1", "operation": "createVariant", |}}]}`, '|');
  for (const field of ['sampler', 'scheduler', 'denoiseStrength', 'image', 'controlNets']) assert.ok(comfyVariant.includes(field), field);
  for (const field of ['sampleMethod', 'strength', 'embeddings']) assert.ok(!comfyVariant.includes(field), field);
});

test('discriminators and enums complete to their values', async () => {
  const engines = await complete('{"steps":[{"$type":"imageGen","input":{"engine": |}}]}', '|');
  assert.equal(engines.filter((l) => l.startsWith('"')).length, 12);
  const samplers = await complete(`{"steps":[{"$type":"imageGen","input":{${INPUT}, "sampleMethod": |}}]}`, '|');
  assert.ok(samplers.includes('"euler"') && samplers.includes('"dpm++2m"'));
  const types = await complete('{"steps":[{"$type": |}]}', '|');
  assert.equal(types.filter((l) => l.startsWith('"')).length, 45);
  const steps = await complete('{"steps":[|]}', '|');
  assert.ok(steps.some((l) => /imageGen: Stable Diffusion XL/.test(l)), steps.join(', '));
});

test('hovers show our descriptions with the contract facts', async () => {
  const text = '{"steps":[{"$type":"imageGen","input":{"engine":"comfy","ecosystem":"sd1","operation":"createImage","width": 512}}]}';
  const { doc, json } = open(text);
  const hover = await service.doHover(doc, doc.positionAt(text.indexOf('"width"') + 2), json);
  const contents = JSON.stringify(hover?.contents);
  assert.match(contents, /Default `512` · 64–1024/);
  assert.match(contents, /trained at 512×512/);
});

test('the docs\' conformance corpus: every body the linter passes, VS Code passes too', async () => {
  const dir = path.join(ROOT, 'test/fixtures/conformance');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { entries: Array<{ file: string; expected: unknown[] }> };
  const clean = manifest.entries.filter((e) => e.expected.length === 0);
  assert.ok(clean.length >= 190, `only ${clean.length} clean bodies`);
  for (const e of clean) assert.deepEqual(await problems(readFileSync(path.join(dir, e.file), 'utf8')), [], e.file);
});

test('a defaulted discriminator is optional, still completed, and selects the default\'s fields', async () => {
  const without = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'grok', operation: 'createImage', prompt: 'a cat' } }] });
  assert.deepEqual(await problems(without), []);
  const values = await complete('{"steps":[{"$type":"imageGen","input":{"engine": "grok", "version": |}}]}', '|');
  assert.ok(values.includes('"v1.0"') && values.includes('"v2.0"'), JSON.stringify(values));
  const fields = await complete('{"steps":[{"$type":"imageGen","input":{"engine": "grok", |}}]}', '|');
  assert.ok(fields.includes('version'), JSON.stringify(fields));
});

test('read-only members are not demanded; references are accepted deep inside an input', async () => {
  const edit = { engine: 'sdcpp', ecosystem: 'qwen', model: '20b', operation: 'editImage', prompt: 'make it day', images: ['https://example.com/a.png'] };
  assert.deepEqual(await problems(JSON.stringify({ steps: [{ $type: 'imageGen', input: edit }] })), []);
  const compose = { steps: [
    { $type: 'textToSpeech', name: 'voice', input: { text: 'hello', engine: 'custom', xVectorOnlyMode: false } },
    { $type: 'composeMedia', input: { elements: [{ url: { $ref: 'voice', path: 'output.audioBlob.url' } }] } },
  ] };
  assert.deepEqual(await problems(JSON.stringify(compose)), []);
});
