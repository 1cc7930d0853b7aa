// `Civitai resources` version ids resolved to AIRs through the site API, served by the emulator's
// model-versions route: found ids fill `model` / `loras` / `embeddings`, the rest are named in
// one warning; answers are cached; the token goes in the Authorization header and nowhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, FaultController, type SiteModelVersion } from '../../src/emulator';
import { clearModelVersionCache, createModelVersionResolver } from '../../src/core/api/site-model-versions';
import { importGenerationParametersResolving } from '../../src/core/prompt/import-params';
import importParamsCommand, { type ImportParamsIO } from '../../src/cli/commands/import-params';

const TOKEN = 'site-token-4f1c9e';

const EXTRA: SiteModelVersion[] = [
  { id: 22, modelId: 500, name: 'v1', baseModel: 'Illustrious', air: 'urn:air:sdxl:lora:civitai:500@22', model: { name: 'Detail Slider', type: 'LORA' } },
  { id: 33, modelId: 600, name: 'v2', baseModel: 'Illustrious', air: 'urn:air:sdxl:embedding:civitai:600@33', model: { name: 'Bad Hands', type: 'TextualInversion' } },
];

const resources = JSON.stringify([
  { type: 'checkpoint', modelVersionId: 2514310, modelName: 'WAI', modelVersionName: 'v16' },
  { type: 'lora', weight: 0.6, modelVersionId: 22, modelName: 'Detail Slider' },
  { type: 'embed', modelVersionId: 33, modelName: 'Bad Hands' },
  { type: 'lora', weight: 0.4, modelVersionId: 999999, modelName: 'Gone Forever' },
]);
const BLOCK = `1girl, <lora:detail:0.6>\nNegative prompt: bad_hands\nSteps: 28, Sampler: Euler a, CFG scale: 5, Seed: 3, Size: 832x1216, Civitai resources: ${resources}`;

test('version ids become AIRs through the emulator; the unknown one is named in the only warning and kept in metadata', async (t) => {
  clearModelVersionCache();
  const emu = await startEmulator({ modelVersions: EXTRA });
  t.after(() => emu.close());
  const errors: string[] = [];
  const resolver = createModelVersionResolver({ baseUrl: emu.url, token: TOKEN, onError: (id, reason) => errors.push(`${id}: ${reason}`) });
  const r = (await importGenerationParametersResolving(BLOCK, resolver))!;
  const input = r.workflow.steps[0].input;
  assert.equal(input.model, 'urn:air:sdxl:checkpoint:civitai:827184@2514310');
  assert.deepEqual(input.loras, { 'urn:air:sdxl:lora:civitai:500@22': 0.6 });
  assert.deepEqual(input.embeddings, ['urn:air:sdxl:embedding:civitai:600@33']);
  assert.equal(r.family, 'sdxl');
  assert.match(r.notes[0].message, /the checkpoint AIR urn:air:sdxl:checkpoint:civitai:827184@2514310/);
  const warnings = r.notes.filter((n) => n.severity === 'warning');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].message, /lora "Gone Forever" \(version 999999.*\) at 0\.4/);
  assert.match((r.workflow.steps[0].metadata!.importedParameters as Record<string, string>)['Resources without AIR'], /Gone Forever/);
  assert.deepEqual(errors, [], 'a 404 is an answer, not an error');

  const lookups = emu.requests.filter((q) => q.route === 'modelVersion');
  assert.deepEqual(lookups.map((q) => q.path).sort(), ['/api/v1/model-versions/22', '/api/v1/model-versions/2514310', '/api/v1/model-versions/33', '/api/v1/model-versions/999999']);
  assert.ok(lookups.every((q) => q.authorized), 'the token is sent');
  assert.ok(!JSON.stringify(r).includes(TOKEN));

  // Cached: a second import asks nothing, not even for the id that was not found.
  emu.clearRequests();
  await importGenerationParametersResolving(BLOCK, createModelVersionResolver({ baseUrl: emu.url }));
  assert.equal(emu.requests.length, 0);
});

test('a failing site leaves the ids unresolved with a reason that never holds the token', async (t) => {
  clearModelVersionCache();
  const faults = new FaultController();
  const emu = await startEmulator({ modelVersions: EXTRA, faults });
  t.after(() => emu.close());
  faults.inject('modelVersion', { type: 'status', status: 500 }, 10);
  const errors: string[] = [];
  const r = (await importGenerationParametersResolving(BLOCK, createModelVersionResolver({ baseUrl: emu.url, token: TOKEN, onError: (id, reason) => errors.push(`${id}: ${reason}`) })))!;
  assert.equal(r.modelChosen, false);
  assert.ok(errors.length >= 1 && errors.every((e) => /HTTP 500/.test(e) && !e.includes(TOKEN)), errors.join('\n'));
  const warnings = r.notes.filter((n) => n.severity === 'warning');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].message, /Choose the checkpoint.*WAI v16.*Detail Slider.*Bad Hands.*Gone Forever/s);
});

test('a site answering garbage or nothing at all: unresolved, no crash', async () => {
  clearModelVersionCache();
  const reasons: string[] = [];
  const fake = (async (url: string) => {
    if (url.endsWith('/22')) return new Response('{"id": "not a number"}', { status: 200 });
    if (url.endsWith('/33')) return new Response('<html>', { status: 200 });
    throw new TypeError('fetch failed');
  }) as typeof fetch;
  const found = await createModelVersionResolver({ baseUrl: 'http://127.0.0.1:9', fetch: fake, onError: (id, r) => reasons.push(`${id}: ${r}`) })([22, 33, 44, -1, 1.5]);
  assert.equal(found.size, 0);
  assert.deepEqual(reasons.sort(), ['22: the answer is not a model version', '33: the answer is not JSON', '44: the site could not be reached']);
});

test('an unreachable site costs one round of lookups, not one per id', async () => {
  clearModelVersionCache();
  let calls = 0;
  const down = (async () => {
    calls++;
    throw new TypeError('fetch failed');
  }) as typeof fetch;
  const reasons: string[] = [];
  const ids = Array.from({ length: 30 }, (_, i) => i + 1);
  const found = await createModelVersionResolver({ baseUrl: 'http://127.0.0.1:9', fetch: down, onError: (id, r) => reasons.push(`${id}: ${r}`) })(ids);
  assert.equal(found.size, 0);
  assert.equal(calls, 4, 'the first batch only');
  assert.equal(reasons.length, 30);
  assert.equal(reasons.filter((r) => /not looked up/.test(r)).length, 26);
});

test('CLI import-params looks ids up on --site-url with CIVITAI_API_TOKEN, and not at all with --offline', async (t) => {
  clearModelVersionCache();
  const emu = await startEmulator({ modelVersions: EXTRA });
  t.after(() => emu.close());
  const dir = mkdtempSync(join(tmpdir(), 'import-resolve-'));
  writeFileSync(join(dir, 'p.txt'), BLOCK);
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ImportParamsIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd: dir, isTTY: false, env: { CIVITAI_API_TOKEN: TOKEN } };
    const code = await importParamsCommand.run(args, io);
    return { code, out: out.join(''), err: err.join('') };
  };
  const offline = await run(['--offline', 'p.txt']);
  assert.equal(offline.code, 0);
  assert.equal(emu.requests.length, 0);
  assert.match(JSON.parse(offline.out).steps[0].input.model, /^choose a checkpoint/);
  const online = await run(['--site-url', emu.url, 'p.txt']);
  assert.equal(online.code, 0, online.err);
  const input = JSON.parse(online.out).steps[0].input;
  assert.equal(input.model, 'urn:air:sdxl:checkpoint:civitai:827184@2514310');
  assert.deepEqual(input.loras, { 'urn:air:sdxl:lora:civitai:500@22': 0.6 });
  assert.ok(emu.requests.some((q) => q.route === 'modelVersion' && q.authorized));
  assert.ok(!online.err.includes(TOKEN) && !online.out.includes(TOKEN));
  assert.equal((await run(['--site-url', 'ftp://x', 'p.txt'])).code, 2);
});

test('lookup failures are summed up in one line, ids capped', async () => {
  const { describeLookupFailures } = await import('../../src/core/api/site-model-versions');
  assert.equal(describeLookupFailures([]), undefined);
  const line = describeLookupFailures(Array.from({ length: 12 }, (_, i) => ({ id: i + 1, reason: i < 10 ? 'HTTP 500' : 'no answer in time' })))!;
  assert.equal(line, 'could not look up 12 model versions (ids or file hashes) on the Civitai site: 10 (1, 2, 3, 4, 5, …): HTTP 500; 2 (11, 12): no answer in time');
});

test('file hashes A1111 writes (Model hash, Lora hashes, AddNet, TI hashes) are looked up by hash', async (t) => {
  clearModelVersionCache();
  const hashed: SiteModelVersion[] = [
    { id: 41, modelId: 700, name: 'v1', baseModel: 'SD 1.5', air: 'urn:air:sd1:lora:civitai:700@41', model: { name: 'Detail', type: 'LORA' }, hashes: { AutoV3: 'E3F9C2B1A8D7' } },
    { id: 42, modelId: 701, name: 'v1', baseModel: 'SD 1.5', air: 'urn:air:sd1:lora:civitai:701@42', model: { name: 'Style', type: 'LORA' }, hashes: { AutoV3: 'B6A7C44B00B2' } },
    { id: 43, modelId: 702, name: 'v1', baseModel: 'SD 1.5', air: 'urn:air:sd1:embedding:civitai:702@43', model: { name: 'NegEmb', type: 'TextualInversion' }, hashes: { AutoV3: '54E7E4826D53' } },
    { id: 44, modelId: 703, name: '8', baseModel: 'SD 1.5', air: 'urn:air:sd1:checkpoint:civitai:703@44', model: { name: 'DreamShaper', type: 'Checkpoint' }, hashes: { AutoV2: '879DB523C3' } },
  ];
  const emu = await startEmulator({ modelVersions: hashed });
  t.after(() => emu.close());
  const text = [
    'a cat, <lora:detail_tweaker:0.6>, <lora:unknown_one:0.3>',
    'Negative prompt: ng_neg',
    'Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 1024x1024, Model hash: 879db523c3, Model: dreamshaper_8, Lora hashes: "detail_tweaker: e3f9c2b1a8d7, unknown_one: 000000000000", TI hashes: "ng_neg: 54e7e4826d53", AddNet Enabled: True, AddNet Module 1: LoRA, AddNet Model 1: kacya(b6a7c44b00b2), AddNet Weight A 1: 0.9',
  ].join('\n');
  const r = (await importGenerationParametersResolving(text, createModelVersionResolver({ baseUrl: emu.url })))!;
  const input = r.workflow.steps[0].input;
  // The checkpoint hash decides the family (SD1 at 1024×1024, where the size alone says SDXL).
  assert.equal(r.family, 'sd1');
  assert.equal(input.model, 'urn:air:sd1:checkpoint:civitai:703@44');
  assert.deepEqual(input.loras, { 'urn:air:sd1:lora:civitai:700@41': 0.6, 'urn:air:sd1:lora:civitai:701@42': 0.9 });
  assert.deepEqual(input.embeddings, ['urn:air:sd1:embedding:civitai:702@43']);
  const warnings = r.notes.filter((n) => n.severity === 'warning').map((n) => n.message);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /LoRA "unknown_one" \(hash 000000000000\) at 0\.3/);
  assert.doesNotMatch(warnings[0], /detail_tweaker|kacya|Choose the checkpoint/);
  assert.deepEqual(emu.requests.filter((q) => q.route === 'modelVersion').map((q) => q.path).sort(), [
    '/api/v1/model-versions/by-hash/000000000000',
    '/api/v1/model-versions/by-hash/54e7e4826d53',
    '/api/v1/model-versions/by-hash/879db523c3',
    '/api/v1/model-versions/by-hash/b6a7c44b00b2',
    '/api/v1/model-versions/by-hash/e3f9c2b1a8d7',
  ]);
  // A hash that names another kind of resource is not used for this one.
  clearModelVersionCache();
  const wrongKind = (await importGenerationParametersResolving('x\nSteps: 20, Size: 1024x1024, Model hash: e3f9c2b1a8d7', createModelVersionResolver({ baseUrl: emu.url })))!;
  assert.equal(wrongKind.modelChosen, false);
});
