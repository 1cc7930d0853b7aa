// AIR resolution: where a file names AIRs, the resolver's cache/batching, what each answer of
// the service means (through the real client against the emulator's catalog on loopback), the
// hover text, and the emulator catalog staying in step with the recipes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OrchestratorClient, type ResourceInfo } from '../../src/core/api';
import {
  airReferenceAt,
  airReferences,
  MAX_AIR_REFERENCES,
  NOT_FOUND_MESSAGE,
  resolveBeforeSubmit,
  resourceFindings,
  resourceHoverMarkdown,
  ResourceResolver,
  ResourceResolvers,
  type ResourceLookup,
} from '../../src/core/resources';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { RESTRICTED_TEST_AIRS, UNKNOWN_TEST_AIR } from '../../src/emulator/resources';
import { RECIPE_AIRS } from '../../src/emulator/recipe-airs.generated';
import { recipeAirs, renderRecipeAirsModule } from '../../scripts/generate-resource-catalog';
import { recipesAvailable } from '../fixtures/recipe-bodies';

const TOKEN = 'resources-test-token';
let emu: EmulatorHandle;
let client: OrchestratorClient;
before(async () => {
  emu = await startEmulator();
  client = new OrchestratorClient({ baseUrl: emu.url, token: TOKEN, retry: { maxAttempts: 1 } });
});
after(async () => {
  await emu.close();
});

const LORA = 'urn:air:flux2:lora:civitai:2169780@2443422';
const CHECKPOINT = 'urn:air:sdxl:checkpoint:civitai:101055@128078';

function doc(value: unknown) {
  return parseWorkflowDocument(JSON.stringify(value, null, 2));
}

test('every AIR of a file is found, with the field and the text span; plain model names are not AIRs', () => {
  const d = doc({
    steps: [
      {
        $type: 'imageGen',
        input: {
          engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'x',
          model: CHECKPOINT,
          vaeModel: 'urn:air:sdxl:vae:civitai:1@2',
          loras: { [LORA]: 0.8 },
          embeddings: ['urn:air:sd1:embedding:civitai:3@4'],
        },
      },
      { $type: 'imageGen', input: { engine: 'flux2', model: 'klein', diffuserModel: 'urn:air:flux1:diffuser:civitai:618692@691639', prompt: 'y' } },
      { $type: 'videoGen', input: { engine: 'wan', loras: [{ air: 'urn:air:wan:lora:civitai:5@6', strength: 1 }], diffusionModel: 'civitai:7@8' } },
      { $type: 'training', input: { sourceUrl: 'urn:air:other:other:civitai-r2:bucket@a/b.zip' } },
    ],
  });
  const refs = airReferences(d);
  assert.deepEqual(
    refs.map((r) => [r.stepIndex, r.field, r.air, r.pointer]),
    [
      [0, 'model', CHECKPOINT, '/steps/0/input/model'],
      [0, 'vaeModel', 'urn:air:sdxl:vae:civitai:1@2', '/steps/0/input/vaeModel'],
      [0, 'loras', LORA, `/steps/0/input/loras/${LORA}`],
      [0, 'embeddings', 'urn:air:sd1:embedding:civitai:3@4', '/steps/0/input/embeddings/0'],
      [1, 'diffuserModel', 'urn:air:flux1:diffuser:civitai:618692@691639', '/steps/1/input/diffuserModel'],
      [2, 'air', 'urn:air:wan:lora:civitai:5@6', '/steps/2/input/loras/0/air'],
      [2, 'diffusionModel', 'civitai:7@8', '/steps/2/input/diffusionModel'],
    ],
  );
  // The span is the string (with quotes) in the text: a hover inside it finds the reference.
  const lora = refs[2];
  assert.equal(d.text.slice(lora.offset, lora.offset + lora.length), JSON.stringify(LORA));
  assert.equal(airReferenceAt(refs, lora.offset + 5), lora);
  assert.equal(airReferenceAt(refs, 0), undefined);
});

test('a pathological file yields a bounded number of references; broken files yield none', () => {
  const loras = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`urn:air:sdxl:lora:civitai:${i}@${i}`, 1]));
  assert.equal(airReferences(doc({ steps: [{ $type: 'imageGen', input: { loras } }] })).length, MAX_AIR_REFERENCES);
  for (const text of ['', '{', '[]', '{"steps": 3}', '{"steps": [null, 1, "x"]}']) assert.deepEqual(airReferences(parseWorkflowDocument(text)), []);
});

function fakeFetch(answers: Record<string, ResourceInfo | null | Error>) {
  const calls: string[] = [];
  const fetchResource = async (air: string): Promise<ResourceInfo | null> => {
    calls.push(air);
    const a = answers[air];
    if (a instanceof Error) throw a;
    return a ?? null;
  };
  return { calls, fetchResource };
}

const info = (air: string, extra: Partial<ResourceInfo> = {}): ResourceInfo => ({ air, canGenerate: true, resourceName: 'Thing', versionName: 'v1', ...extra });

test('resolver: one batch for AIRs asked together, shared in flight, cached for the TTL, cleared by refresh', async () => {
  let now = 1000;
  const f = fakeFetch({ a: info('a'), b: null });
  const r = new ResourceResolver(f.fetchResource, { ttlMs: 500, batchDelayMs: 5, now: () => now });
  const [one, two] = await Promise.all([r.resolve(['a', 'b', 'a']), r.resolve(['a'])]);
  assert.deepEqual(f.calls, ['a', 'b']);
  assert.equal(one.get('a')?.status, 'found');
  assert.equal(one.get('b')?.status, 'not-found');
  assert.equal(two.get('a')?.status, 'found');
  assert.equal(r.peek('a')?.status, 'found');
  await r.resolve(['a', 'b']);
  assert.equal(f.calls.length, 2, 'fresh answers come from the cache');
  now += 600;
  assert.equal(r.peek('a'), undefined, 'expired after the TTL');
  await r.resolve(['a']);
  assert.equal(f.calls.length, 3);
  r.clear();
  await r.resolve(['a']);
  assert.equal(f.calls.length, 4, 'refresh forgets every answer');
});

test('resolver: failures are answers (never throws), remembered briefly; the cache is bounded', async () => {
  let now = 0;
  const f = fakeFetch({ bad: new Error('socket hang up') });
  const r = new ResourceResolver(f.fetchResource, { errorTtlMs: 100, batchDelayMs: 0, maxEntries: 3, now: () => now });
  const out = await r.resolve(['bad']);
  assert.deepEqual(out.get('bad'), { status: 'error', message: 'socket hang up' });
  await r.resolve(['bad']);
  assert.equal(f.calls.length, 1);
  now = 200;
  await r.resolve(['bad']);
  assert.equal(f.calls.length, 2);
  await r.resolve(['x1', 'x2', 'x3', 'x4']);
  assert.equal(r.peek('x1'), undefined, 'the oldest answer went first');
  assert.equal(r.peek('x4')?.status, 'not-found');
});

test('resolvers are kept per service base URL', () => {
  const resolvers = new ResourceResolvers();
  const f = fakeFetch({});
  assert.equal(resolvers.for('http://a/', f.fetchResource), resolvers.for('http://a', f.fetchResource));
  assert.notEqual(resolvers.for('http://a', f.fetchResource), resolvers.for('http://b', f.fetchResource));
});

test('emulator: GET /v2/resources/{air} answers recipe AIRs, 404s unknown ones, needs a token', async () => {
  const found = await client.getResource(LORA);
  assert.equal(found?.air, LORA);
  assert.equal(found?.canGenerate, true);
  assert.match(found?.resourceName ?? '', /LoRA 2169780/);
  assert.equal(await client.getResource(UNKNOWN_TEST_AIR), null);
  // Without the urn: prefix it is the same resource.
  assert.equal((await client.getResource(LORA.replace(/^urn:/, '')))?.canGenerate, true);
  const anonymous = await fetch(`${emu.url}/v2/resources/${encodeURIComponent(LORA)}`);
  assert.equal(anonymous.status, 401);
});

test('each answer means something before paying: 404 and canGenerate:false are errors, fees warnings, loading info', async () => {
  const r = RESTRICTED_TEST_AIRS;
  const d = doc({
    steps: [
      {
        $type: 'imageGen',
        input: {
          engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'x',
          model: UNKNOWN_TEST_AIR,
          loras: { [LORA]: 1, [r.cannotGenerate]: 1, [r.permission]: 1, [r.earlyAccess]: 1, [r.loading]: 1, [r.queued]: 1 },
        },
      },
      { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'x', model: r.unsupported } },
    ],
  });
  const outcome = await resolveBeforeSubmit(d, (air) => client.getResource(air));
  const byPointer = new Map(outcome.findings.map((f) => [f.pointer, f]));
  const at = (air: string) => byPointer.get(`/steps/0/input/loras/${air}`);
  assert.deepEqual(
    { code: byPointer.get('/steps/0/input/model')?.code, severity: byPointer.get('/steps/0/input/model')?.severity },
    { code: 'resource-not-found', severity: 'error' },
  );
  assert.ok(byPointer.get('/steps/0/input/model')?.message.startsWith(NOT_FOUND_MESSAGE));
  assert.equal(at(LORA), undefined, 'an available, usable resource is not worth a word');
  assert.deepEqual([at(r.cannotGenerate)?.code, at(r.cannotGenerate)?.severity], ['resource-cannot-generate', 'error']);
  assert.deepEqual([at(r.permission)?.code, at(r.permission)?.severity], ['resource-permission-required', 'warning']);
  assert.match(at(r.permission)?.message ?? '', /fee: 25 Buzz per image/);
  assert.deepEqual([at(r.earlyAccess)?.code, at(r.earlyAccess)?.severity], ['resource-early-access', 'warning']);
  assert.match(at(r.earlyAccess)?.message ?? '', /early access until \d{4}-\d\d-\d\d; fee: 10 Buzz per image/);
  assert.deepEqual([at(r.loading)?.code, at(r.loading)?.severity], ['resource-loading', 'info']);
  assert.match(at(r.loading)?.message ?? '', /40 %.*ready in about 2 min/);
  assert.deepEqual([at(r.queued)?.code, at(r.queued)?.severity], ['resource-queued', 'info']);
  assert.match(at(r.queued)?.message ?? '', /queue position 3/);
  assert.deepEqual(byPointer.get('/steps/1/input/model')?.code, 'resource-unsupported');
  assert.deepEqual(outcome.blocking.map((f) => f.code).sort(), ['resource-cannot-generate', 'resource-not-found', 'resource-unsupported']);
  // Ranges point at the AIR's text.
  const model = byPointer.get('/steps/0/input/model');
  assert.equal(d.text.slice(model?.offset, (model?.offset ?? 0) + (model?.length ?? 0)), JSON.stringify(UNKNOWN_TEST_AIR));
});

test('an AIR used twice is fetched once and reported at both places', async () => {
  const d = doc({ steps: [0, 1].map(() => ({ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'x', model: UNKNOWN_TEST_AIR } })) });
  const before = emu.requests.filter((q) => q.route === 'getResource').length;
  const outcome = await resolveBeforeSubmit(d, (air) => client.getResource(air));
  assert.equal(emu.requests.filter((q) => q.route === 'getResource').length - before, 1);
  assert.deepEqual(outcome.findings.map((f) => f.pointer), ['/steps/0/input/model', '/steps/1/input/model']);
});

test('hover: name, version, type, size, format, availability and restrictions', async () => {
  const d = doc({ steps: [{ $type: 'imageGen', input: { engine: 'flux2', model: 'klein', prompt: 'x', loras: { [LORA]: 1, [RESTRICTED_TEST_AIRS.permission]: 1 } } }] });
  const refs = airReferences(d);
  const lookups = new Map<string, ResourceLookup>();
  for (const r of refs) {
    const found = await client.getResource(r.air);
    lookups.set(r.air, found ? { status: 'found', info: found } : { status: 'not-found' });
  }
  const hover = resourceHoverMarkdown(refs[0], lookups.get(LORA));
  for (const part of [/^\*\*Emulator LoRA 2169780 \(flux2\)\*\* · v2443422$/m, /Type: lora, flux2/, /Size: 218 MB/, /Format: safeTensor/, /Availability: available on 3 workers/, /Restrictions: none/]) {
    assert.match(hover, part);
  }
  assert.match(resourceHoverMarkdown(refs[1], lookups.get(RESTRICTED_TEST_AIRS.permission)), /Restrictions: .*needs permission to use; fee: 25 Buzz per image/);
  assert.match(resourceHoverMarkdown(refs[0], { status: 'not-found' }), /no such resource: the service would run its default model and bill you/);
  assert.match(resourceHoverMarkdown(refs[0], undefined, { offReason: 'AIR resolution is off: no token' }), /resolution is off/);
  // Findings without answers: nothing said yet.
  assert.deepEqual(resourceFindings(refs, new Map()), []);
});

test('the emulator catalog holds exactly the AIRs of the recipes (regenerate with scripts/generate-resource-catalog.ts)', (t) => {
  if (!recipesAvailable()) return t.skip('../shared/reference is absent');
  const airs = recipeAirs();
  assert.ok(airs.includes(LORA) && airs.includes(CHECKPOINT));
  assert.deepEqual([...RECIPE_AIRS], airs, renderRecipeAirsModule(airs));
});
