// Request semantics the issue-12 calibration added: v1 job bodies, additionalNetworks where it is
// current, the older shape hiding only what it explains, read-only members sent, LoRA keys and
// embeddings as AIRs, a $ref with the path inside, documented defaults, enum casing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintWorkflow } from '../../src/core/lint';
import { DOCUMENTED_DEFAULTS } from '../../src/core/schema/documented-defaults';
import { applied, errorsOf, imageStep, onlyFinding, relint, workflowText } from './rules-test-helpers';

const ROOT = path.resolve(__dirname, '../..');
const CONTRACT = path.resolve(ROOT, '../shared/civitai-orchestration/openapi.json');
const RECIPES = path.resolve(ROOT, '../shared/reference/civitai-docs/orchestration/recipes');

const V1_JOB = {
  $type: 'textToImage',
  baseModel: 'SDXL',
  model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
  params: { prompt: 'a cat', negativePrompt: '', scheduler: 'EulerA', steps: 25, cfgScale: 7, width: 1024, height: 1024, seed: -1, clipSkip: 2 },
  additionalNetworks: { 'urn:air:sdxl:lora:civitai:1@2': { strength: 0.8 } },
  quantity: 1,
};

test('a v1 job body gets one finding naming its endpoint, not "remove params"', () => {
  const findings = relint(JSON.stringify(V1_JOB, null, 2));
  const f = onlyFinding(findings);
  assert.equal(f.code, 'v1-job-body');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /\/v1\/consumer\/jobs/);
  assert.match(f.message, /"\$type": "textToImage", "input"/);
  assert.doesNotMatch(f.message, /remove/i);
});

test('additionalNetworks is current on textToImage: no older-shape finding, no error', () => {
  const text = workflowText([{ $type: 'textToImage', input: { model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a cat', cfgScale: 7, seed: 1, additionalNetworks: { 'urn:air:sdxl:lora:civitai:1@2': { strength: 0.8 } } } }]);
  assert.deepEqual(errorsOf(relint(text)).map((f) => `${f.code} ${f.message}`), []);
});

test('the older shape shows the current shape and hides only the complaints it explains', () => {
  const text = workflowText(
    [imageStep({ additionalNetworks: [{ air: 'urn:air:sdxl:lora:civitai:1@2', strength: 0.8 }] }), { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'x', width: 99999 } }],
  );
  const findings = relint(text);
  const older = onlyFinding(findings.filter((f) => f.code === 'older-payload-shape'));
  assert.match(older.message, /"loras": \{ "<AIR>": <strength> \}/);
  assert.doesNotMatch(older.message, /apply the quick fix/i);
  // The second step's own problems are not part of the older shape: still reported.
  assert.ok(findings.some((f) => f.code === 'out-of-range' && f.pointer === '/steps/1/input/width'));
  assert.ok(findings.some((f) => f.code === 'missing-property' && f.pointer === '/steps/1/input'));
  assert.ok(!findings.some((f) => f.code === 'unknown-property' && f.pointer === '/steps/0/input/additionalNetworks'));
});

test('a read-only member sent is a warning that the service sets it, with a fix that removes it', () => {
  const text = workflowText([{ $type: 'training', input: { engine: 'ai-toolkit', ecosystem: 'sdxl', usesStepPricing: true, trainingData: { type: 'zip', sourceUrl: 'https://example.com/a.zip', count: 4 } } }]);
  const findings = lintWorkflow(text).findings;
  const f = onlyFinding(findings.filter((x) => x.code === 'server-managed-field'));
  assert.equal(f.severity, 'warning');
  assert.equal(f.pointer, '/steps/0/input/usesStepPricing');
  assert.match(f.message, /service sets `usesStepPricing` itself/);
  assert.deepEqual(errorsOf(findings), []);
  assert.equal('usesStepPricing' in (applied(text, f.fixes![0]).value.steps as Array<{ input: object }>)[0].input, false);
});

test('LoRA keys and embeddings must be AIRs, on any step type', () => {
  const text = workflowText([
    imageStep({ loras: { hello: 0.8 } }),
    { $type: 'videoGen', input: { engine: 'wan', version: 'v2.1', provider: 'civitai', prompt: 'x', loras: [] } },
  ]);
  const f = onlyFinding(relint(text).filter((x) => x.code === 'air-not-an-air'));
  assert.equal(f.pointer, '/steps/0/input/loras/hello');
  assert.match(f.message, /"hello" is not an AIR/);
  assert.match(f.message, /runs without it/);
});

test('a $ref with the path inside suggests, and fixes to, the object form', () => {
  const text = workflowText([imageStep({}, { name: 'gen' }), { $type: 'convertImage', input: { image: { $ref: 'gen.output.images[0].url' }, transforms: [], output: { format: 'png' } } }]);
  const f = onlyFinding(relint(text).filter((x) => x.code === 'ref-unknown-step'));
  assert.match(f.message, /\{ "\$ref": "gen", "path": "output\.images\[0\]\.url" \}/);
  const { value } = applied(text, f.fixes![0]);
  assert.deepEqual((value.steps as Array<{ input: { image: unknown } }>)[1].input.image, { $ref: 'gen', path: 'output.images[0].url' });
});

test('a renamed field names the current one and renames it', () => {
  const text = workflowText([{ $type: 'videoGen', input: { engine: 'hunyuan', prompt: 'x', fps: 24 } }]);
  const f = onlyFinding(relint(text).filter((x) => x.code === 'unknown-property'));
  assert.match(f.message, /calls it `frameRate`/);
  assert.match(f.message, /drops fields it does not know/);
  assert.equal((applied(text, f.fixes![0]).value.steps as Array<{ input: Record<string, unknown> }>)[0].input.frameRate, 24);
});

test('an enum value with other capitals is a warning whose fix writes the contract spelling', () => {
  const text = workflowText([{ $type: 'videoGen', input: { engine: 'vidu', prompt: 'x', style: 'Anime' } }]);
  const findings = relint(text);
  assert.deepEqual(errorsOf(findings), []);
  const f = onlyFinding(findings.filter((x) => x.code === 'enum-case'));
  assert.equal(f.severity, 'warning');
  assert.equal((applied(text, f.fixes![0]).value.steps as Array<{ input: Record<string, unknown> }>)[0].input.style, 'anime');
});

test('required members with a documented default are not demanded; prose coercions are accepted', () => {
  const flux = workflowText([{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'flux1', operation: 'createImage', diffuserModel: 'urn:air:flux1:checkpoint:civitai:1@2', prompt: 'x' } }]);
  assert.deepEqual(errorsOf(relint(flux)).map((f) => f.message), []);
  const chat = workflowText([{ $type: 'chatCompletion', input: { model: 'x', messages: [{ role: 'user', content: 'hello' }] } }]);
  assert.ok(!relint(chat).some((f) => f.pointer.startsWith('/steps/0/input/messages')), JSON.stringify(relint(chat).map((f) => f.message)));
});

test('each documented default names a member its contract definition requires and a recipe table that gives its default', (t) => {
  if (!existsSync(CONTRACT) || !existsSync(RECIPES)) {
    t.skip('contract or docs not present');
    return;
  }
  const schemas = JSON.parse(readFileSync(CONTRACT, 'utf8')).components.schemas as Record<string, { allOf?: Array<{ required?: string[] }>; required?: string[] }>;
  for (const d of DOCUMENTED_DEFAULTS) {
    const def = schemas[d.definition];
    assert.ok(def, d.definition);
    const required = [...(def.required ?? []), ...(def.allOf ?? []).flatMap((l) => l.required ?? [])];
    assert.ok(required.includes(d.property), `${d.definition} does not require ${d.property}`);
    const page = readFileSync(path.join(RECIPES, d.page), 'utf8');
    const row = page.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${d.property}\``) && l.includes(d.documented));
    assert.ok(row, `${d.page} has no parameter row for ${d.property} with default ${d.documented}`);
  }
});

test('deep inside an input, a wrong value is reported where it is, references or not', () => {
  const text = workflowText([
    { $type: 'textToSpeech', name: 'voice', input: { text: 'hi', engine: 'custom', xVectorOnlyMode: false } },
    { $type: 'composeMedia', input: { elements: [{ url: 5 }, { url: { $ref: 'voice', bogus: 1 } }, { url: { $ref: 'voice', path: 'output.audioBlob.url' } }] } },
    { $type: 'chatCompletion', input: { model: 'x', messages: [{ role: 'user', content: [{ type: 'text', text: 1 }] }] } },
  ]);
  const errors = errorsOf(relint(text)).map((f) => `${f.code} ${f.pointer}`);
  assert.deepEqual(errors.sort(), [
    'unknown-property /steps/1/input/elements/1/url/bogus',
    'wrong-type /steps/1/input/elements/0/url',
    'wrong-type /steps/2/input/messages/0/content/0/text',
  ]);
});
