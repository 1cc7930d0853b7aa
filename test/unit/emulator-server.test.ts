// The emulator over plain HTTP: routes, shapes, auth, validation, idempotency, blobs, memory.
// Every JSON answer is checked against the client's zod schemas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BlobSchema, ProblemDetailsSchema, WorkflowPageSchema, WorkflowSchema, workflowImages, type Workflow } from '../../src/core/api/schemas';
import { estimateWorkflowCost } from '../../src/core/cost/estimate';
import { lintWorkflow } from '../../src/core/lint';
import { decodePng } from '../../src/core/png';
import { buildWorkflowBody } from '../../src/core/templates/build';
import { templateChoices } from '../../src/core/templates/catalog';
import { createManualClock, startEmulator, type EmulatorHandle } from '../../src/emulator';

const TOKEN = 'emulator-test-token';
let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: { unassignedMs: 3, preparingMs: 3, scheduledMs: 3, processingMs: 6 } });
});
after(async () => {
  await emu.close();
});

interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
  bytes: Uint8Array;
}

async function call(method: string, url: string, body?: unknown, token: string | null = TOKEN): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url.startsWith('http') ? url : emu.url + url, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  let json: unknown;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json') && bytes.length) json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  // Every JSON the emulator sends must read with the client's schemas.
  if (json !== undefined) {
    if (res.status >= 400) ProblemDetailsSchema.parse(json);
    else if (isPage(json)) WorkflowPageSchema.parse(json);
    else if (isBlob(json)) BlobSchema.parse(json);
    else WorkflowSchema.parse(json);
  }
  return { status: res.status, headers: res.headers, json, bytes };
}
const isPage = (j: unknown): boolean => typeof j === 'object' && j !== null && 'items' in j;
const isBlob = (j: unknown): boolean => typeof j === 'object' && j !== null && (j as { type?: unknown }).type === 'image';

const sdxl = (input: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  ...top,
  steps: [
    {
      $type: 'imageGen',
      name: 'hero',
      input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a lighthouse at dusk', width: 256, height: 256, ...input },
    },
  ],
});

const submit = (body: unknown, query = '', token: string | null = TOKEN) => call('POST', `/v2/consumer/workflows${query}`, body, token);

test('auth: 401 ProblemDetails without a bearer token; each token is its own user', async () => {
  const none = await submit(sdxl(), '', null);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  assert.equal((none.json as { status: number }).status, 401);
  const mine = await submit(sdxl());
  const id = (mine.json as Workflow).id;
  assert.equal((await call('GET', `/v2/consumer/workflows/${id}`, undefined, 'someone-else')).status, 404);
  assert.equal((await call('GET', `/v2/consumer/workflows/${id}`)).status, 200);
});

test('validation: 400 ValidationProblemDetails in the service key style', async () => {
  const r = await submit(sdxl({ width: 100000, bogus: 1 }));
  assert.equal(r.status, 400);
  assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
  const problem = r.json as { title: string; status: number; errors: Record<string, string[]> };
  assert.equal(problem.status, 400);
  assert.equal(problem.title, 'One or more validation errors occurred.');
  assert.deepEqual(Object.keys(problem.errors).sort(), ['steps[0].input.bogus', 'steps[0].input.width']);
  assert.ok(problem.errors['steps[0].input.width'][0].length > 0);

  const notJson = await submit('{ "steps": [');
  assert.equal(notJson.status, 400);
  assert.ok('$' in (notJson.json as { errors: object }).errors);
  const offline = await submit({ steps: [{ $type: 'imageUpscaler', input: { image: 'https://example.com/far-away.png' } }] });
  assert.equal(offline.status, 400);
  assert.match((offline.json as { errors: Record<string, string[]> }).errors['steps[0].input.image'][0], /offline/);
  const ephemeral = await submit(sdxl({}, { ephemeral: true }));
  assert.equal(ephemeral.status, 400);
});

test('wait: 200 with the finished workflow in time, 202 with the running one otherwise', async () => {
  const done = await submit(sdxl(), '?wait=10');
  assert.equal(done.status, 200);
  assert.equal((done.json as Workflow).status, 'succeeded');
  const slow = await startEmulator({ timing: { processingMs: 3_600_000 }, speed: 1000 });
  try {
    // wait=2 is two virtual seconds: 2 ms of real time at speed 1000.
    const r = await fetch(`${slow.url}/v2/consumer/workflows?wait=2`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(sdxl()) });
    assert.equal(r.status, 202);
    const wf = WorkflowSchema.parse(await r.json());
    assert.ok(!['succeeded', 'failed'].includes(wf.status));
  } finally {
    await slow.close();
  }
});

test('results: quantity real PNGs of the requested size, deterministic per seed, behind signed URLs', async () => {
  const a = (await submit(sdxl({ seed: 99, quantity: 2, width: 320, height: 192 }), '?wait=10')).json as Workflow;
  const b = (await submit(sdxl({ seed: 99, quantity: 1, width: 320, height: 192 }), '?wait=10')).json as Workflow;
  const c = (await submit(sdxl({ seed: 100, quantity: 1, width: 320, height: 192 }), '?wait=10')).json as Workflow;
  const imgs = workflowImages(a);
  assert.equal(imgs.length, 2);
  for (const img of imgs) {
    assert.deepEqual([img.blob.width, img.blob.height, img.blob.nsfwLevel], [320, 192, 'pg']);
    assert.ok(img.blob.urlExpiresAt && Date.parse(img.blob.urlExpiresAt) > Date.now());
  }
  const content = async (wf: Workflow, k = 0) => {
    const r = await call('GET', workflowImages(wf)[k].blob.url!, undefined, null); // no token needed
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
    return r.bytes;
  };
  const [a0, a1, b0, c0] = [await content(a), await content(a, 1), await content(b), await content(c)];
  assert.deepEqual(a0, b0, 'same seed, same image');
  assert.notDeepEqual(a0, c0);
  assert.notDeepEqual(a0, a1, 'images of a batch use consecutive seeds');
  assert.deepEqual([decodePng(a0).width, decodePng(a0).height], [320, 192]);
  // Jobs: one per image, with the blob pointing at its job.
  assert.equal(a.steps[0].jobs?.length, 2);
  assert.equal(imgs[1].blob.jobId, a.steps[0].jobs?.[1].id);
});

test('blobs: GetBlob 308 to a fresh URL, refresh, expiry → 403, tampering → 403', async () => {
  const clock = createManualClock();
  const short = await startEmulator({ timing: { unassignedMs: 1, preparingMs: 1, scheduledMs: 1, processingMs: 1 }, blobUrlTtlMs: 60_000, clock });
  try {
    const wf = WorkflowSchema.parse(await (await fetch(`${short.url}/v2/consumer/workflows?wait=10`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(sdxl()) })).json());
    const blob = workflowImages(wf)[0].blob;
    const redirect = await fetch(`${short.url}/v2/consumer/blobs/${blob.id}`, { headers: { authorization: `Bearer ${TOKEN}` }, redirect: 'manual' });
    assert.equal(redirect.status, 308);
    const location = redirect.headers.get('location')!;
    assert.match(location, /\/v2\/consumer\/blobs\/content\//);
    assert.equal((await fetch(location)).status, 200);
    assert.equal((await fetch(`${short.url}/v2/consumer/blobs/${blob.id}`, { redirect: 'manual' })).status, 401);

    const refreshed = BlobSchema.parse(await (await fetch(`${short.url}/v2/consumer/blobs/${blob.id}/refresh`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).json());
    assert.equal(refreshed.id, blob.id);
    assert.notEqual(refreshed.url, blob.url);

    const dot = blob.url!.lastIndexOf('.');
    const tampered = blob.url!.slice(0, dot + 1) + (blob.url![dot + 1] === 'A' ? 'B' : 'A') + blob.url!.slice(dot + 2);
    assert.equal((await fetch(tampered)).status, 403);
    clock.advance(120_000);
    const expired = await fetch(blob.url!);
    assert.equal(expired.status, 403);
    assert.match(JSON.stringify(await expired.json()), /expired/);
    assert.equal((await fetch(`${short.url}/v2/consumer/blobs/content/not-a-token`)).status, 400);
  } finally {
    await short.close();
  }
});

test('whatif: the cost, no workflow; a whatif key then a submit with it returns the estimate (the trap)', async () => {
  const before = emu.workflowCount();
  const body = sdxl({ width: 1344, height: 768, steps: 25 }, { externalId: 'whatif-trap' });
  const preview = await submit(body, '?whatif=true');
  assert.equal(preview.status, 200);
  const wf = preview.json as Workflow;
  assert.equal(wf.id, null);
  assert.equal(wf.cost?.total, Math.ceil(estimateWorkflowCost(body).total!));
  assert.equal(wf.transactions?.list[0].type, 'debit');
  assert.equal(wf.transactions?.insufficientBuzz, false);
  assert.equal(emu.workflowCount(), before);
  // The contract: a prior whatif with the same externalId is "the existing workflow".
  const echoed = await submit(body);
  assert.equal((echoed.json as Workflow).id, null);
  assert.equal(emu.workflowCount(), before);
});

test('idempotency: the same key returns the same workflow; keys are per user', async () => {
  const body = sdxl({}, { externalId: 'same-key-1' });
  const first = (await submit(body)).json as Workflow;
  const second = (await submit(body)).json as Workflow;
  assert.equal(second.id, first.id);
  const other = (await submit(body, '', 'second-user')).json as Workflow;
  assert.notEqual(other.id, first.id);
});

test('chains: $arguments and an upscaler fed by an imageGen output (twice the size)', async () => {
  const body = {
    arguments: { size: 192, seed: 5 },
    steps: [
      { $type: 'imageGen', name: 'hero', input: { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'x', width: { $ref: '$arguments', path: 'size' }, height: 128, seed: { $ref: '$arguments', path: 'seed' } } },
      { $type: 'imageUpscaler', name: 'big', input: { image: { $ref: 'hero', path: 'output.images[0].url' } } },
      { $type: 'imageUpscaler', input: { image: { $ref: 'big', path: 'output.blob.url' }, numberOfRepeats: 2 } },
    ],
  };
  const wf = (await submit(body, '?wait=10')).json as Workflow;
  assert.equal(wf.status, 'succeeded');
  const sizes = workflowImages(wf).map((i) => [i.blob.width, i.blob.height]);
  assert.deepEqual(sizes, [[192, 128], [384, 256], [1536, 1024]]);
  const last = await call('GET', workflowImages(wf)[2].blob.url!, undefined, null);
  assert.deepEqual([decodePng(last.bytes).width, decodePng(last.bytes).height], [1536, 1024]);
  // An upscaler may also take an emulator blob URL or a data URL.
  const byUrl = (await submit({ steps: [{ $type: 'imageUpscaler', input: { image: workflowImages(wf)[0].blob.url } }] }, '?wait=10')).json as Workflow;
  assert.deepEqual([workflowImages(byUrl)[0].blob.width], [384]);
  const dataUrl = `data:image/png;base64,${Buffer.from((await call('GET', workflowImages(wf)[0].blob.url!, undefined, null)).bytes).toString('base64')}`;
  const byData = (await submit({ steps: [{ $type: 'imageUpscaler', input: { image: dataUrl } }] }, '?wait=10')).json as Workflow;
  assert.deepEqual([workflowImages(byData)[0].blob.height], [256]);
});

test('query by tag with paging, excludeFailed; delete cancels and removes', async () => {
  const tag = `q-${Date.now()}`;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(((await submit(sdxl({}, { tags: [tag] }), '?wait=10')).json as Workflow).id!);
  emu.faults.failNextWorkflow({ reason: 'no_provider_available' });
  const failed = ((await submit(sdxl({}, { tags: [tag] }), '?wait=10')).json as Workflow).id!;
  const page1 = (await call('GET', `/v2/consumer/workflows?tags=${tag}&take=3`)).json as { next: string; items: Workflow[] };
  assert.equal(page1.items.length, 3);
  assert.equal(page1.items[0].id, failed, 'newest first');
  const page2 = (await call('GET', `/v2/consumer/workflows?tags=${tag}&take=3&cursor=${page1.next}`)).json as { next: string; items: Workflow[] };
  assert.equal(page2.items.length, 1);
  assert.equal(page2.next, '');
  const healthy = (await call('GET', `/v2/consumer/workflows?tags=${tag}&excludeFailed=true`)).json as { items: Workflow[] };
  assert.deepEqual(healthy.items.map((w) => w.id).sort(), [...ids].sort());
  const asc = (await call('GET', `/v2/consumer/workflows?tags=${tag}&ascending=true`)).json as { items: Workflow[] };
  assert.equal(asc.items[0].id, ids[0]);

  const del = await call('DELETE', `/v2/consumer/workflows/${ids[0]}`);
  assert.equal(del.status, 204);
  assert.equal(del.bytes.length, 0);
  assert.equal((await call('GET', `/v2/consumer/workflows/${ids[0]}`)).status, 404);
  assert.equal(((await call('GET', `/v2/consumer/workflows?tags=${tag}`)).json as { items: Workflow[] }).items.length, 3);
  assert.equal((await call('DELETE', `/v2/consumer/workflows/${ids[0]}`)).status, 404);
});

test('unknown routes 404, wrong methods 405, both as ProblemDetails', async () => {
  assert.equal((await call('GET', '/v2/consumer/nothing')).status, 404);
  assert.equal((await call('PUT', '/v2/consumer/workflows')).status, 405);
});

test('bounded memory: old workflows are forgotten, evicted images are re-rendered identically', async () => {
  const small = await startEmulator({ timing: { unassignedMs: 1, preparingMs: 1, scheduledMs: 1, processingMs: 1 }, maxWorkflows: 2, maxImageBytes: 1 });
  try {
    const post = async () => WorkflowSchema.parse(await (await fetch(`${small.url}/v2/consumer/workflows?wait=10`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(sdxl({ seed: 1 })) })).json());
    const first = await post();
    const url = workflowImages(first)[0].blob.url!;
    const once = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const again = await post();
    const twice = new Uint8Array(await (await fetch(workflowImages(again)[0].blob.url!)).arrayBuffer());
    assert.deepEqual(once, twice);
    assert.ok(small.imageCacheBytes() <= twice.length, 'the cache keeps at most the newest image');
    await post();
    assert.equal(small.workflowCount(), 2);
    const gone = await fetch(`${small.url}/v2/consumer/workflows/${first.id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(gone.status, 404);
    assert.equal((await fetch(url)).status, 404);
  } finally {
    await small.close();
  }
});

test('listens on loopback by default', async () => {
  assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('every fixture that lints clean, and every editor template, is accepted and runs', async () => {
  const dir = path.resolve(__dirname, '..', 'fixtures');
  const bodies: Array<{ name: string; text: string }> = readdirSync(dir)
    .filter((f) => f.endsWith('.civitai.json'))
    .map((f) => ({ name: f, text: readFileSync(path.join(dir, f), 'utf8') }));
  for (const choice of templateChoices()) {
    bodies.push({ name: `template ${choice.id}`, text: JSON.stringify(buildWorkflowBody({ ecosystem: choice.ecosystem, engine: choice.engine, operation: choice.operation })) });
  }
  let checked = 0;
  for (const { name, text } of bodies) {
    const { findings } = lintWorkflow(text);
    if (findings.some((f) => f.severity === 'error')) continue;
    const r = await submit(text, '?wait=10');
    assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.json)}`);
    assert.equal((r.json as Workflow).status, 'succeeded', name);
    checked++;
  }
  assert.ok(checked >= 12, `only ${checked} clean bodies were checked`);
});
