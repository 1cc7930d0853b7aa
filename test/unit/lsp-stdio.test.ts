// `civitai-workflow lsp --stdio` driven over JSON-RPC as an LSP editor does: initialize, open a
// broken workflow, receive its diagnostics, ask for its code actions and for a completion inside a
// prompt; a result for a version that is no longer current is never published.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LspTestClient as Client } from './lsp-test-client';

const ROOT = path.resolve(__dirname, '../..');
const BROKEN = readFileSync(path.join(ROOT, 'test/fixtures/broken/sdxl-sampler.civitai.json'), 'utf8');
const URI = 'file:///work/lone/sdxl-sampler.civitai.json';

let child: ChildProcessWithoutNullStreams;
let client: Client;

before(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'lsp', '--stdio'], { cwd: ROOT });
  client = new Client(child);
});

after(() => {
  child.kill();
});

test('initialize announces diagnostics, code actions, completion, hover and CodeLens', async () => {
  const result = await client.request<{ capabilities: Record<string, unknown>; serverInfo: { name: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  assert.equal(result.serverInfo.name, 'civitai-workflow');
  for (const capability of ['textDocumentSync', 'codeActionProvider', 'completionProvider', 'hoverProvider', 'codeLensProvider']) assert.ok(result.capabilities[capability], capability);
  client.send({ method: 'initialized', params: {} });
});

test('a broken file gets its diagnostics, a quick fix, a completion in its prompt and a cost lens', async () => {
  client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'json', version: 1, text: BROKEN } } });
  const published = await client.notification('textDocument/publishDiagnostics', (p) => p.uri === URI);
  const sampler = published.diagnostics.find((d: any) => d.code === 'field-of-other-engine');
  assert.ok(sampler, JSON.stringify(published.diagnostics));
  assert.equal(sampler.source, 'civitai');
  assert.deepEqual(sampler.range.start, { line: 10, character: 8 });
  assert.match(sampler.message, /sampleMethod/);

  const actions = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: sampler.range, context: { diagnostics: [sampler] } });
  const rename = actions.find((a) => a.isPreferred);
  assert.ok(rename, JSON.stringify(actions.map((a) => a.title)));
  const edits = rename.edit.changes[URI] as Array<{ range: { start: { line: number } }; newText: string }>;
  assert.ok(edits.some((e) => e.range.start.line === 10 && e.newText.includes('sampleMethod')), JSON.stringify(edits));

  // Inside the prompt, after "best quality, ": the profile's tags are offered.
  const line = BROKEN.split('\n').findIndex((l) => l.includes('"prompt"'));
  const character = BROKEN.split('\n')[line].indexOf('a lighthouse');
  const completion = await client.request<{ items: Array<{ label: string; textEdit: unknown }> }>('textDocument/completion', { textDocument: { uri: URI }, position: { line, character } });
  assert.ok(completion.items.length > 0);
  assert.ok(completion.items.every((i) => i.textEdit), 'each item says what it replaces');
  const outside = await client.request<unknown>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 5, character: 10 } });
  assert.equal(outside, null, 'outside prompts the JSON server of the editor completes');

  const lenses = await client.request<Array<{ range: { start: { line: number } }; command: { title: string } }>>('textDocument/codeLens', { textDocument: { uri: URI } });
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].range.start.line, 2, 'above the step');
  assert.match(lenses[0].command.title, /Buzz|Cost/);
});

test('edits in quick succession: only the current version is published, and a fix clears its diagnostic', async () => {
  const fixed = BROKEN.replace('"sampler"', '"sampleMethod"');
  client.notifications.length = 0;
  client.send([
    { method: 'textDocument/didChange', params: { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: BROKEN.replace('dusk', 'dawn') }] } },
    { method: 'textDocument/didChange', params: { textDocument: { uri: URI, version: 3 }, contentChanges: [{ text: fixed }] } },
  ]);
  const published = await client.notification('textDocument/publishDiagnostics', (p) => p.uri === URI);
  assert.equal(published.version, 3);
  assert.ok(!published.diagnostics.some((d: any) => d.code === 'field-of-other-engine'));
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(client.notifications.filter((n) => (n.params as any).uri === URI).map((n) => (n.params as any).version), [3]);
});

test('a JSON file that is not a workflow is left alone', async () => {
  client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///work/lone/package.json', languageId: 'json', version: 1, text: '{ "steps": 1' } } });
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!client.notifications.some((n) => (n.params as any).uri === 'file:///work/lone/package.json'));
  await client.request('shutdown', null);
  client.send({ method: 'exit' });
});
