import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRules } from '../../src/core/rules/index';
import { httpExchangeNotBody, olderPayloadShape, responseNotRequest } from '../../src/core/rules/payload-shape';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { applied, applyAndRelint, check, codesOf, errorsOf, inputOf, onlyFinding, relint, type Json } from './rules-test-helpers';

// The older SDXL example payload (reference seed 003), its request body and its 202 response body.
const OLDER_BODY: Json = {
  tags: ['api-evangelist', 'sdxl-demo'],
  callbackUrl: 'https://example.com/civitai/webhooks',
  callbackEvents: ['workflow:succeeded', 'workflow:failed'],
  detailed: true,
  steps: [
    {
      $type: 'imageGen',
      name: 'sdxl-hero',
      input: {
        engine: 'sdxl',
        model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
        prompt: 'a glowing API specification floating above a cyberpunk skyline, ultra detailed, cinematic',
        negativePrompt: 'blurry, watermark, low quality, text',
        width: 1024,
        height: 1024,
        steps: 30,
        cfgScale: 7,
        sampler: 'DPM++ 2M Karras',
        seed: 42,
        quantity: 2,
        additionalNetworks: [{ air: 'urn:air:sdxl:lora:civitai:200000@250000', strength: 0.8 }],
      },
    },
  ],
};
const RESPONSE_BODY: Json = {
  id: 'wf_01HX6Y0Z8A7F8B6C5D4E3F2G1H',
  status: 'preparing',
  tags: ['api-evangelist', 'sdxl-demo'],
  createdAt: '2026-05-25T15:42:11.000Z',
  cost: { base: 24, total: 24, currency: 'BUZZ' },
  steps: [{ name: 'sdxl-hero', $type: 'imageGen', status: 'preparing', jobs: [] }],
};

const text = (value: unknown): string => JSON.stringify(value, null, 2);

test('the older example body gets exactly one finding, on the root, that supersedes the contract noise below it', () => {
  const findings = runRules(parseWorkflowDocument(text(OLDER_BODY)));
  const f = onlyFinding(findings);
  assert.equal(f.code, 'older-payload-shape');
  assert.equal(f.severity, 'error');
  assert.equal(f.pointer, '');
  assert.equal(f.supersedesScope, 'subtree');
  assert.ok(f.supersedes?.includes('unknown-property') && f.supersedes.includes('unknown-engine'));
  assert.match(f.message, /engine "sdxl"/);
  assert.match(f.message, /additionalNetworks/);
  // Shown on the first offending key, not over the whole file.
  assert.equal(text(OLDER_BODY).slice(f.offset, f.offset + f.length), '"callbackUrl"');
});

test('the rewrite of the older example is the current shape and lints with zero errors', () => {
  const source = text(OLDER_BODY);
  const f = onlyFinding(check(olderPayloadShape, source));
  assert.equal(f.fixes?.length, 1);
  assert.equal(f.fixes?.[0].isPreferred, true);
  const { value, findings } = applyAndRelint(source, f.fixes![0], 'older-payload-shape');
  assert.deepEqual(errorsOf(findings).map((x) => `${x.code}: ${x.message}`), []);
  assert.deepEqual(value.callbacks, [{ url: 'https://example.com/civitai/webhooks', type: ['workflow:succeeded', 'workflow:failed'], detailed: true }]);
  for (const gone of ['callbackUrl', 'callbackEvents', 'detailed']) assert.equal(gone in value, false, gone);
  const input = inputOf(value);
  assert.equal(input.engine, 'sdcpp');
  assert.equal(input.ecosystem, 'sdxl');
  assert.equal(input.operation, 'createImage');
  assert.equal(input.sampleMethod, 'dpm++2m');
  assert.equal(input.schedule, 'karras');
  assert.deepEqual(input.loras, { 'urn:air:sdxl:lora:civitai:200000@250000': 0.8 });
  assert.equal('sampler' in input, false);
  assert.equal('additionalNetworks' in input, false);
  // Everything else is kept as written.
  for (const kept of ['model', 'prompt', 'negativePrompt', 'width', 'height', 'steps', 'cfgScale', 'seed', 'quantity']) {
    assert.deepEqual(input[kept], ((OLDER_BODY.steps as Json[])[0].input as Json)[kept], kept);
  }
});

test('a sampler without an sdcpp counterpart moves the step to comfy; the map form of additionalNetworks is read', () => {
  const body = {
    steps: [
      {
        $type: 'imageGen',
        input: {
          engine: 'sd1',
          model: 'urn:air:sd1:checkpoint:civitai:4384@128713',
          prompt: 'a cat',
          sampler: 'DPM++ SDE Karras',
          additionalNetworks: { 'urn:air:sd1:lora:civitai:1@2': { strength: 0.7 }, 'urn:air:sd1:lora:civitai:3@4': {} },
        },
      },
    ],
  };
  const source = text(body);
  const f = onlyFinding(check(olderPayloadShape, source));
  const { value, findings } = applyAndRelint(source, f.fixes![0], 'older-payload-shape');
  const input = inputOf(value);
  assert.equal(input.engine, 'comfy');
  assert.equal(input.ecosystem, 'sd1');
  assert.equal(input.sampler, 'dpmpp_sde');
  assert.equal(input.scheduler, 'karras');
  assert.deepEqual(input.loras, { 'urn:air:sd1:lora:civitai:1@2': 0.7, 'urn:air:sd1:lora:civitai:3@4': 1 });
  assert.deepEqual(errorsOf(findings).map((x) => x.code), []);
});

test('the older shape reads samplers through the one sampler table: other tools\' spellings and engine values are converted, not dropped', () => {
  const older = (sampler: string) => text({ steps: [{ $type: 'imageGen', input: { engine: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a cat', sampler } }] });
  const cases: Array<[string, Record<string, unknown>]> = [
    ['Euler CFG++', { engine: 'comfy', sampler: 'euler_cfg_pp' }], // Forge: comfy only (was dropped before the tables were merged)
    ['dpmpp_2m_karras', { engine: 'sdcpp', sampleMethod: 'dpm++2m', schedule: 'karras' }], // a ComfyUI saver's spelling
    ['ddim_trailing', { engine: 'sdcpp', sampleMethod: 'ddim_trailing' }], // an engine value: kept
    ['Euler a', { engine: 'sdcpp', sampleMethod: 'euler_a' }],
  ];
  for (const [sampler, want] of cases) {
    const { value, findings } = applyAndRelint(older(sampler), onlyFinding(check(olderPayloadShape, older(sampler))).fixes![0], 'older-payload-shape');
    const input = inputOf(value);
    for (const [k, v] of Object.entries(want)) assert.equal(input[k], v, `${sampler}: ${k}`);
    assert.deepEqual(errorsOf(findings).map((x) => x.code), [], sampler);
  }
});

test('callback events get current names; an unmappable one is kept visibly and the fix is not preferred', () => {
  const body = { callbackUrl: 'https://example.com/hook', callbackEvents: ['succeeded', 'workflow.failed', 'whenever'], steps: OLDER_BODY.steps };
  const f = onlyFinding(check(olderPayloadShape, text(body)));
  assert.equal(f.fixes?.[0].isPreferred, false);
  assert.match(f.fixes?.[0].title ?? '', /"whenever" has no current name/);
  const { value } = applied(text(body), f.fixes![0]);
  assert.deepEqual((value.callbacks as Json[])[0].type, ['workflow:succeeded', 'workflow:failed', 'whenever']);
});

test('callbackUrl without events subscribes to the terminal workflow events', () => {
  const body = { callbackUrl: 'https://example.com/hook', steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'x' } }] };
  const f = onlyFinding(check(olderPayloadShape, text(body)));
  const { value } = applyAndRelint(text(body), f.fixes![0], 'older-payload-shape');
  assert.deepEqual((value.callbacks as Json[])[0].type, ['workflow:succeeded', 'workflow:failed', 'workflow:expired', 'workflow:canceled']);
});

test('older-payload-shape stays quiet on current bodies', () => {
  const current = { steps: [{ $type: 'imageGen', input: { engine: 'comfy', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'x', sampler: 'dpmpp_2m' } }], callbacks: [{ url: 'https://a.example', type: ['workflow:*'] }] };
  assert.deepEqual(check(olderPayloadShape, text(current)), []);
});

test('a pasted response body is one error that silences everything else', () => {
  const source = text(RESPONSE_BODY);
  const findings = runRules(parseWorkflowDocument(source));
  const f = onlyFinding(findings);
  assert.equal(f.code, 'response-not-request');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.supersedes, ['*']);
  assert.equal(f.supersedesScope, 'subtree');
  assert.equal(f.pointer, '');
  assert.match(f.message, /wf_01HX6Y0Z8A7F8B6C5D4E3F2G1H/);
  // The linter shows that one diagnostic, nothing from the contract pass.
  assert.deepEqual(codesOf(relint(source)).filter((c) => c !== 'response-not-request'), []);
});

test('a webhook event body and a fetched result with outputs are recognised too', () => {
  const event = { $type: 'workflow', workflowId: 'wf_1', status: 'succeeded', timestamp: '2026-04-12T23:00:00Z' };
  assert.equal(onlyFinding(check(responseNotRequest, text(event))).code, 'response-not-request');
  const fetched = { status: 'succeeded', steps: [{ name: '0', $type: 'imageGen', status: 'succeeded', output: { images: [{ id: 'blob_1', url: 'https://x.example/a.jpeg' }] } }] };
  assert.equal(onlyFinding(check(responseNotRequest, text(fetched))).code, 'response-not-request');
});

test('response-not-request stays quiet on submissions, even ones with metadata', () => {
  assert.deepEqual(check(responseNotRequest, text(OLDER_BODY)), []);
  const submission = { metadata: { status: 'draft' }, steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'x' } }] };
  assert.deepEqual(check(responseNotRequest, text(submission)), []);
});

test('the seed file itself has the request and response this test is built from', (t) => {
  // Guards the fixtures above against drifting from the reference example.
  const seedPath = join(__dirname, '..', '..', '..', 'shared', 'reference', 'seeds', '003_3bd2d463bc0308f1.txt');
  let seed: string;
  try {
    seed = readFileSync(seedPath, 'utf8');
  } catch {
    t.skip('reference seed 003 is not in this checkout');
    return;
  }
  const payload = JSON.parse(seed.slice(seed.indexOf('{\n  "$comment"'), seed.lastIndexOf('}') + 1)) as { request: { body: Json }; response: { body: Json } };
  assert.deepEqual(payload.request.body, OLDER_BODY);
  assert.deepEqual(payload.response.body, RESPONSE_BODY);
});

test('the legacy fixture rewrites to a body that lints with zero errors', (t) => {
  const fixture = join(__dirname, '..', 'fixtures', 'legacy-sdxl-payload.json');
  let source: string;
  try {
    source = readFileSync(fixture, 'utf8');
  } catch {
    t.skip('test/fixtures/legacy-sdxl-payload.json is not in this checkout');
    return;
  }
  const f = onlyFinding(relint(source));
  assert.equal(f.code, 'older-payload-shape');
  const { findings } = applyAndRelint(source, f.fixes![0], 'older-payload-shape');
  assert.deepEqual(errorsOf(findings).map((x) => x.code), []);
});

test('a whole HTTP exchange is one error whose fix keeps request.body (then the older shape is fixed in turn)', () => {
  const exchange = {
    $comment: 'Submit an SDXL image generation workflow',
    request: { method: 'POST', url: 'https://orchestration.civitai.com/v2/consumer/workflows', headers: { Authorization: 'Bearer <CIVITAI_API_KEY>' }, body: OLDER_BODY },
    response: { status: 202, body: RESPONSE_BODY },
  };
  const source = text(exchange);
  const f = onlyFinding(relint(source));
  assert.equal(f.code, 'http-exchange-not-body');
  const kept = applyAndRelint(source, f.fixes![0], 'http-exchange-not-body');
  assert.deepEqual(kept.value, OLDER_BODY);
  assert.equal(kept.text, text(OLDER_BODY), 'the body is dedented to the top level');
  const older = onlyFinding(kept.findings);
  assert.equal(older.code, 'older-payload-shape');
  assert.deepEqual(errorsOf(applyAndRelint(kept.text, older.fixes![0], 'older-payload-shape').findings), []);
});

test('http-exchange-not-body stays quiet on a workflow that happens to have a request member in metadata', () => {
  const body = { metadata: { request: { body: {} } }, steps: (OLDER_BODY.steps as Json[]) };
  assert.deepEqual(check(httpExchangeNotBody, text(body)), []);
});
