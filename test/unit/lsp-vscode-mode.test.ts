// The language server as VS Code's own client starts it (dist/lsp-server.js, the bundle the
// extension ships): with `initializationOptions.editor = 'vscode'` it lints only, sends every
// finding with its fixes as `civitai/didLint` for the version it was computed for (json-syntax
// included: the extension's commands need them; the client leaves them to VS Code's JSON service
// when it shows diagnostics), offers none of the providers the extension has itself, and lints
// again under new model profiles when told they changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LspTestClient } from './lsp-test-client';
import { DID_LINT_NOTIFICATION, MODEL_PROFILES_NOTIFICATION, type DidLintParams } from '../../src/lsp/protocol';

const ROOT = path.resolve(__dirname, '../..');
const BROKEN = readFileSync(path.join(ROOT, 'test/fixtures/broken/sdxl-sampler.civitai.json'), 'utf8');
const URI = 'file:///work/ws/sdxl-sampler.civitai.json';

let child: ChildProcessWithoutNullStreams;
let client: LspTestClient;

before(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  child = spawn(process.execPath, [path.join(ROOT, 'dist/lsp-server.js'), '--stdio'], { cwd: ROOT });
  client = new LspTestClient(child);
});

after(() => {
  child.kill();
});

test('initialized by VS Code: text sync only (the extension has its own completions, hovers and lenses)', async () => {
  const result = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { editor: 'vscode', debounceMs: 0, modelProfiles: [] },
  });
  assert.ok(result.capabilities.textDocumentSync);
  for (const capability of ['codeActionProvider', 'completionProvider', 'hoverProvider', 'codeLensProvider']) assert.equal(result.capabilities[capability], undefined, capability);
  client.send({ method: 'initialized', params: {} });
});

test('a broken file: its findings with their fixes, for the version sent, and no publishDiagnostics', async () => {
  client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'json', version: 3, text: BROKEN } } });
  const lint = (await client.notification(DID_LINT_NOTIFICATION, (p: DidLintParams) => p.uri === URI)) as DidLintParams;
  assert.equal(lint.version, 3);
  const sampler = lint.findings.find((f) => f.code === 'field-of-other-engine');
  assert.ok(sampler, JSON.stringify(lint.findings.map((f) => f.code)));
  assert.deepEqual(sampler.range.start, { line: 10, character: 8 });
  assert.ok(sampler.fixes?.some((fix) => fix.isPreferred && fix.edits.some((e) => e.newText.includes('sampleMethod'))), JSON.stringify(sampler.fixes));
  assert.equal(client.notifications.some((n) => n.method === 'textDocument/publishDiagnostics'), false);
});

test('a syntax error is among the findings (the extension refuses to submit such a file)', async () => {
  client.notifications.length = 0;
  client.send({ method: 'textDocument/didChange', params: { textDocument: { uri: URI, version: 4 }, contentChanges: [{ text: '{ "steps": [' }] } });
  const lint = (await client.notification(DID_LINT_NOTIFICATION, (p: DidLintParams) => p.uri === URI && p.version === 4)) as DidLintParams;
  assert.ok(lint.findings.some((f) => f.code === 'json-syntax' && f.severity === 'error'), JSON.stringify(lint.findings.map((f) => f.code)));
});

test('changed model profiles: every open file is linted again', async () => {
  client.notifications.length = 0;
  client.send({ method: MODEL_PROFILES_NOTIFICATION, params: [] });
  const lint = (await client.notification(DID_LINT_NOTIFICATION, (p: DidLintParams) => p.uri === URI)) as DidLintParams;
  assert.equal(lint.version, 4);
  client.send({ id: 99, method: 'shutdown' });
  client.send({ method: 'exit' });
});
