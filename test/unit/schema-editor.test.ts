// The schema VS Code's JSON service gets for workflow files (schemas/workflow.editor.schema.json):
// it completes and explains exactly as the full contract schema does, and reports nothing a
// contract check would find (our civitai diagnostics report those once, in our words, with fixes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, TextDocument, type JSONSchema } from 'vscode-json-languageservice';
import { parseTree, type ParseError } from 'jsonc-parser';
import { lintWorkflow } from '../../src/core/lint';
import { editorSchemaOf } from '../../src/core/schema/editor-schema';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';
import { readDispatch, STEP_DISPATCH } from '../../src/core/schema/schema-index';

const ROOT = path.resolve(__dirname, '../..');
const contributed = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation: Array<{ fileMatch: string; url: string }> } }).contributes.jsonValidation;
const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as JSONSchema;

function serviceFor(schema: JSONSchema) {
  const service = getLanguageService({ clientCapabilities: { textDocument: { completion: { completionItem: { documentationFormat: ['markdown'] } }, hover: { contentFormat: ['markdown'] } } } });
  service.configure({ validate: true, allowComments: false, schemas: [{ uri: 'file:///workflow.schema.json', fileMatch: ['*.civitai.json'], schema }] });
  const open = (text: string) => {
    const doc = TextDocument.create('file:///w.civitai.json', 'json', 1, text);
    return { doc, json: service.parseJSONDocument(doc) };
  };
  return {
    async problems(text: string) {
      const { doc, json } = open(text);
      return (await service.doValidation(doc, json, { schemaValidation: 'error' })).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
    },
    async complete(text: string, marker = '|') {
      const offset = text.indexOf(marker);
      const { doc, json } = open(text.replace(marker, ''));
      return ((await service.doComplete(doc, doc.positionAt(offset), json))?.items ?? []).map((i) => i.label).sort();
    },
    async hover(text: string, at: string) {
      const { doc, json } = open(text);
      return JSON.stringify((await service.doHover(doc, doc.positionAt(text.indexOf(at) + 2), json))?.contents);
    },
  };
}

function parseTreeErrors(text: string): number {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  return errors.length;
}

const full = serviceFor(read('schemas/workflow.schema.json'));
const editor = serviceFor(read('schemas/workflow.editor.schema.json'));
const INPUT = '"engine": "sdcpp", "ecosystem": "sd1", "operation": "createImage"';

test('package.json contributes the editor schema to VS Code', () => {
  assert.deepEqual(contributed.filter((c) => c.fileMatch === '*.civitai.json').map((c) => c.url), ['./schemas/workflow.editor.schema.json']);
});

test('the editor schema reports no contract problem: each is one civitai diagnostic instead', async () => {
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'not an air', prompt: 'cat', sampler: 'euler', width: 4096, steps: '20', quantity: 99 } }, { $type: 'imageGenn', input: {} }], tags: 'x' }, null, 2);
  assert.ok((await full.problems(text)).length >= 5, 'the full schema does report them');
  assert.deepEqual(await editor.problems(text), []);
  const ours = new Set(lintWorkflow(text).findings.map((f) => f.pointer));
  for (const pointer of ['/steps/0/input/model', '/steps/0/input/sampler', '/steps/0/input/width', '/steps/0/input/steps', '/steps/1/$type', '/tags']) assert.ok(ours.has(pointer), pointer);
});

test('completions are the same as the full schema\'s: fields per combination, values per field', async () => {
  const cases = [
    `{"steps":[{"$type":"imageGen","input":{${INPUT}, |}}]}`,
    '{"steps":[{"$type":"imageGen","input":{"engine": "comfy", "ecosystem": "sd1", "operation": "createVariant", |}}]}',
    '{"steps":[{"$type":"imageGen","input":{"engine": |}}]}',
    `{"steps":[{"$type":"imageGen","input":{${INPUT}, "sampleMethod": |}}]}`,
    '{"steps":[{"$type": |}]}',
    '{"steps":[{|}]}',
    '{|}',
    '{"steps":[{"$type":"imageUpscaler","input":{|}}]}',
  ];
  for (const text of cases) {
    const [a, b] = [await full.complete(text), await editor.complete(text)];
    assert.ok(a.length > 0, text);
    // Where a field takes an object or a reference, an object under way is not offered `$ref`/`path`.
    assert.deepEqual(b, a.filter((l) => !(['$ref', 'path'].includes(l) && !b.includes(l))), text);
    assert.ok(b.length >= a.length - 2, text);
  }
});

test('hovers on fields show the same descriptions; a value\'s own description moves to its completion item', async () => {
  const text = '{"steps":[{"$type":"imageGen","input":{"engine":"comfy","ecosystem":"sd1","operation":"createImage","width": 512, "sampler": "euler"}}]}';
  for (const at of ['"width"', '"engine"', '"$type"', '"sampler"', '"operation"']) {
    // The same text, less the line the full schema adds about the chosen value.
    const [a, b] = [JSON.parse(await full.hover(text, at)) as string[], JSON.parse(await editor.hover(text, at)) as string[]];
    assert.ok(b.length === a.length && b.every((part, i) => a[i].startsWith(part) && part.length > 5), `${at}: ${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
  }
  assert.match(await editor.hover(text, '"width"'), /Default `512` · 64–1024/);
  // The value "comfy": the field's description (the full schema adds the value's, from its enum).
  assert.match(await editor.hover(text, '"comfy"'), /Which runtime generates the image/);
});

test('each input dispatch level is a guarded lookup: targets carry their value as const, the guard names every value', () => {
  const contract = read('schemas/workflow.schema.json') as JsonSchema;
  const shaped = read('schemas/workflow.editor.schema.json') as JsonSchema;
  let lookups = 0;
  for (const [name, def] of Object.entries(contract.definitions ?? {})) {
    const dispatch = readDispatch(name, def);
    if (!dispatch || name === STEP_DISPATCH || dispatch.targets.size <= 2) continue;
    lookups++;
    const own = shaped.definitions![name];
    assert.deepEqual(own.if?.properties?.[dispatch.property]?.enum, [...dispatch.targets.keys()], name);
    assert.deepEqual(own.if?.required, [dispatch.property], name);
    assert.equal(own.if?.type, 'object', name);
    assert.deepEqual(own.then?.anyOf?.map((b) => b.$ref), [...dispatch.targets.values()].map((t) => `#/definitions/${t}`), name);
    for (const [value, target] of dispatch.targets) assert.equal(shaped.definitions![target].properties?.[dispatch.property]?.const, value, `${name} → ${target}`);
  }
  assert.ok(lookups > 20, `${lookups} lookups`);
  // The step input of a dispatched type is the dispatch itself, the reference its guard's else.
  const input = shaped.definitions!.ImageGenStepTemplate.properties!.input;
  assert.equal(input.anyOf, undefined);
  assert.deepEqual(input.else, { if: { required: ['$ref'] }, then: { $ref: '#/definitions/WorkflowReference' } });
  assert.ok(input.defaultSnippets?.some((s) => s.label === 'Reference to another step'));
});

test('values that select no branch report nothing: unknown, absent, of another type, not an object', async () => {
  const step = (input: unknown) => JSON.stringify({ steps: [{ $type: 'imageGen', input }] });
  const inputs: unknown[] = [
    { engine: 'no-such-engine', prompt: 'x' },
    { engine: 7 },
    { engine: null, ecosystem: 'sd1' },
    { ecosystem: 'sd1', operation: 'createImage' },
    { engine: 'sdcpp', ecosystem: 'no-such-ecosystem', operation: 'createImage' },
    { engine: 'sdcpp', ecosystem: ['sd1'], operation: 'createImage' },
    { engine: 'sdcpp', ecosystem: 'sd1', operation: 42 },
    { engine: 'sdcpp', ecosystem: 'sd1', operation: 'no-such-operation', width: 'wide' },
    { engine: 'comfy', ecosystem: 'sd1', operation: 'createImage', sampleMethod: 'euler' },
    { $ref: 's0', path: 'output' },
    { $ref: 7 },
    'a string', 12, null, [], [{ engine: 'sdcpp' }],
  ];
  for (const input of inputs) assert.deepEqual(await editor.problems(step(input)), [], JSON.stringify(input));
  for (const type of ['videoGen', 'training', 'preprocessImage', 'textToSpeech', 'no-such-type']) {
    assert.deepEqual(await editor.problems(JSON.stringify({ steps: [{ $type: type, input: { engine: 'no-such-engine', kind: 'x', ecosystem: 3 } }] })), [], type);
  }
  // The broken fixtures and the docs' bodies the linter flags: only JSON syntax is VS Code's to report.
  for (const file of readdirSync(path.join(ROOT, 'test/fixtures/broken'))) {
    const text = readFileSync(path.join(ROOT, 'test/fixtures/broken', file), 'utf8');
    const syntax = JSON.stringify((await editor.problems(text)).length > 0);
    assert.equal(syntax, JSON.stringify(parseTreeErrors(text) > 0), file);
  }
});

test('a dispatch target also used elsewhere keeps its own schema: its branch wraps it with the const', async () => {
  const contract = read('schemas/workflow.schema.json') as JsonSchema;
  const flux = editorSchemaOf(contract).definitions!.Flux1SdCppImageGenInput; // three operations: a lookup
  const target = flux.then!.anyOf![0].$ref!.slice('#/definitions/'.length);
  assert.equal(editorSchemaOf(contract).definitions![target].properties?.operation?.const, 'createImage');
  // A second way to reach that leaf (hypothetical: the contract has none today).
  contract.definitions!.Extra = { type: 'object', properties: { again: { $ref: `#/definitions/${target}` } } };
  const shaped = editorSchemaOf(contract);
  assert.equal(shaped.definitions![target].properties?.operation?.const, undefined, 'the shared leaf is left as it is');
  const wrapped = shaped.definitions!.Flux1SdCppImageGenInput.then!.anyOf![0];
  assert.deepEqual(Object.keys(wrapped).sort(), ['allOf', 'properties']);
  assert.equal(Object.values(wrapped.properties!)[0].const, 'createImage');
  const service = serviceFor(shaped as JSONSchema);
  const probe = '{"steps":[{"$type":"imageGen","input":{"engine":"sdcpp","ecosystem":"flux1","operation":"createImage", |}}]}';
  const fields = await service.complete(probe);
  assert.ok(fields.includes('prompt') && fields.length > 5, fields.join(' '));
  assert.deepEqual(fields, await editor.complete(probe));
  assert.deepEqual(await service.problems(JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'flux1', operation: 'nope' } }] })), []);
});
