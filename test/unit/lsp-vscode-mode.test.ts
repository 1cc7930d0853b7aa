// The language server as VS Code's own client starts it (dist/lsp-server.js, the bundle the
// extension ships): with `initializationOptions.editor = 'vscode'` it sends every lint as
// `civitai/didLint` for the version it was computed for: every finding with its fixes (json-syntax
// included: the extension's commands need them; the client leaves them to VS Code's JSON service
// when it shows diagnostics), the cost estimate with where each step starts, and the AIRs, so
// the extension host parses nothing. It completes and explains prompts, counts tokens and
// computes fix-alls on request, and lints again under new model profiles when told they changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LspTestClient } from './lsp-test-client';
import {
  CONFIGURATION_NOTIFICATION,
  DID_LINT_NOTIFICATION,
  FIX_ALL_REQUEST,
  PROMPT_TOKENS_REQUEST,
  RECORD_TAG_USE_COMMAND,
  type DidLintParams,
  type FixAllResult,
  type PromptTokensResult,
} from '../../src/lsp/protocol';
import { lintWorkflow } from '../../src/core/lint';

const ROOT = path.resolve(__dirname, '../..');
const BROKEN = readFileSync(path.join(ROOT, 'test/fixtures/broken/sdxl-sampler.civitai.json'), 'utf8');
const URI = 'file:///work/ws/sdxl-sampler.civitai.json';
const ANIMA = readFileSync(path.join(ROOT, 'test/fixtures/anima-sdcpp-create.civitai.json'), 'utf8');
const ANIMA_URI = 'file:///work/ws/anima.civitai.json';

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

test('initialized by VS Code: completions and hovers; no lenses or code actions (the extension draws those from didLint)', async () => {
  const result = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { editor: 'vscode', debounceMs: 0, modelProfiles: [] },
  });
  assert.ok(result.capabilities.textDocumentSync);
  assert.deepEqual(result.capabilities.completionProvider, { triggerCharacters: [','] });
  assert.equal(result.capabilities.hoverProvider, true);
  for (const capability of ['codeActionProvider', 'codeLensProvider']) assert.equal(result.capabilities[capability], undefined, capability);
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
  // What the host's CodeLens, status bar and resources show, so it need not parse the file.
  assert.equal(lint.cost.steps.length, 1);
  const step = lint.cost.steps[0];
  assert.equal(step.offset, BROKEN.indexOf('{', BROKEN.indexOf('"steps"')), 'the step lens goes where the step object starts');
  assert.equal(typeof step.buzz, 'number');
  assert.match(step.formula ?? '', /×/, 'the tooltip shows how the price was worked out');
  assert.match(step.source ?? '', /\.md$/);
  assert.deepEqual(lint.airs.map((a) => [a.air, a.field, BROKEN.slice(a.offset, a.offset + a.length)]), [
    ['urn:air:sdxl:checkpoint:civitai:101055@128078', 'model', '"urn:air:sdxl:checkpoint:civitai:101055@128078"'],
  ]);
});

test('fix all: one edit that removes every fixable finding of the code; null for a stale version', async () => {
  const fix = await client.request<FixAllResult | null>(FIX_ALL_REQUEST, { uri: URI, version: 3, code: 'field-of-other-engine' });
  assert.ok(fix?.edit, 'an edit');
  const fixed = BROKEN.slice(0, fix.edit.offset) + fix.edit.newText + BROKEN.slice(fix.edit.offset + fix.edit.length);
  assert.deepEqual(lintWorkflow(fixed).findings.filter((f) => f.code === 'field-of-other-engine'), []);
  assert.match(fixed, /"sampleMethod"/);
  assert.equal(await client.request(FIX_ALL_REQUEST, { uri: URI, version: 2 }), null);
});

test('prompt completions for VS Code: tags carry their category and the command that remembers the pick; user picks rank first', async () => {
  client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: ANIMA_URI, languageId: 'json', version: 1, text: ANIMA.replace('cinematic lighting', 'cinematic lighting, blo') } } });
  const text = ANIMA.replace('cinematic lighting', 'cinematic lighting, blo');
  const at = text.indexOf(', blo') + ', blo'.length;
  const before = text.slice(0, at).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  type Item = { label: string; labelDetails?: { description?: string }; command?: { command: string; arguments: unknown[] }; data?: { category?: string }; sortText?: string };
  const ask = async () => (await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri: ANIMA_URI }, position })).items;
  const items = await ask();
  const tag = items.find((i) => i.command);
  assert.ok(tag, JSON.stringify(items.slice(0, 3)));
  assert.equal(tag.command!.command, RECORD_TAG_USE_COMMAND);
  assert.equal(typeof tag.command!.arguments[0], 'string');
  assert.ok(tag.data?.category, 'the client picks the icon from the category');
  assert.ok(tag.labelDetails?.description, 'the detail shows beside the label');
  // The user's picks (sent by the extension) move a tag to the front.
  const tagItems = items.filter((i) => i.command);
  const last = tagItems[tagItems.length - 1];
  const picked = String(last.command!.arguments[0]);
  client.send({ method: CONFIGURATION_NOTIFICATION, params: { tagUsage: { [picked]: 50 } } });
  const ranked = (await ask()).filter((i) => i.command);
  assert.equal(ranked[0].command!.arguments[0], picked, `${picked} first once picked 50 times`);
});

test('hovers link Danbooru tags to the wiki only when the setting says so', async () => {
  const line = ANIMA.split('\n').findIndex((l) => l.includes('"prompt"'));
  const character = ANIMA.split('\n')[line].indexOf('1girl') + 2;
  const hover = async () => (await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: ANIMA_URI }, position: { line, character } }))?.contents.value ?? '';
  assert.match(await hover(), /1girl/);
  assert.doesNotMatch(await hover(), /danbooru\.donmai\.us\/wiki/);
  client.send({ method: CONFIGURATION_NOTIFICATION, params: { tagWikiLinks: true } });
  assert.match(await hover(), /danbooru\.donmai\.us\/wiki/);
});

test('token status of the prompt at an offset, counted by the server; null outside prompts', async () => {
  const status = await client.request<PromptTokensResult>(PROMPT_TOKENS_REQUEST, { uri: URI, offset: BROKEN.indexOf('lighthouse') });
  assert.match(status?.text ?? '', /^\d+\/75 · chunk 1$/);
  // masterpiece | , | best | quality | , | a | lighthouse | at | dusk: one CLIP token each.
  assert.equal(status?.tokens, 9);
  assert.equal(status?.text, '9/75 · chunk 1');
  assert.equal(await client.request(PROMPT_TOKENS_REQUEST, { uri: URI, offset: BROKEN.indexOf('"engine"') }), null);
});

test('a syntax error is among the findings (the extension refuses to submit such a file)', async () => {
  client.notifications.length = 0;
  client.send({ method: 'textDocument/didChange', params: { textDocument: { uri: URI, version: 4 }, contentChanges: [{ text: '{ "steps": [' }] } });
  const lint = (await client.notification(DID_LINT_NOTIFICATION, (p: DidLintParams) => p.uri === URI && p.version === 4)) as DidLintParams;
  assert.ok(lint.findings.some((f) => f.code === 'json-syntax' && f.severity === 'error'), JSON.stringify(lint.findings.map((f) => f.code)));
});

test('changed model profiles: every open file is linted again', async () => {
  client.notifications.length = 0;
  client.send({ method: CONFIGURATION_NOTIFICATION, params: { modelProfiles: [] } });
  const lint = (await client.notification(DID_LINT_NOTIFICATION, (p: DidLintParams) => p.uri === URI)) as DidLintParams;
  assert.equal(lint.version, 4);
  client.send({ id: 99, method: 'shutdown' });
  client.send({ method: 'exit' });
});
