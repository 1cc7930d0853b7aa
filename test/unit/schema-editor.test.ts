// The schema VS Code's JSON service gets for workflow files (schemas/workflow.editor.schema.json):
// it completes and explains exactly as the full contract schema does, and reports nothing a
// contract check would find (our civitai diagnostics report those once, in our words, with fixes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, TextDocument, type JSONSchema } from 'vscode-json-languageservice';
import { lintWorkflow } from '../../src/core/lint';

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
