// Every step type the contract defines, run on the emulator: one minimal valid body per type
// (generated from the schema, see contract-probes.ts) succeeds, its output passes the client's zod
// schemas and the contract's own output schema, and every file it names downloads as what its
// blob type says (PNG, SVG, MP4, WAV, glTF, safetensors, ZIP…). Then chains across types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { OUTPUT_BY_STEP_TYPE, WorkflowSchema, type Workflow } from '../../src/core/api/schemas';
import { decodePng, readPngHeader } from '../../src/core/png';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { renderVideoMp4 } from '../../src/emulator/media/video';
import { EMULATED_STEP_TYPES } from '../../src/emulator/plan';
import { contractErrors } from '../../src/emulator/validation';
import { minimalStep, stepTemplates } from './contract-probes';

const TOKEN = 'all-steps-token';
const openapiPath = path.join(__dirname, '..', '..', '..', 'shared', 'civitai-orchestration', 'openapi.json');
const haveContract = existsSync(openapiPath);

let emu: EmulatorHandle;
before(async () => {
  emu = await startEmulator({ timing: { unassignedMs: 1, preparingMs: 1, scheduledMs: 1, processingMs: 2 } });
});
after(async () => {
  await emu.close();
});

async function submit(body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${emu.url}/v2/consumer/workflows?wait=5`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function download(url: string): Promise<{ type: string; bytes: Uint8Array }> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return { type: res.headers.get('content-type') ?? '', bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Every blob-shaped object in an output (an object with an id and a URL), and URL-only files. */
function blobsIn(value: unknown, at = 'output'): Array<{ at: string; type: string | undefined; url: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => blobsIn(v, `${at}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  if (typeof o.id === 'string' && typeof o.url === 'string' && 'available' in o) return [{ at, type: typeof o.type === 'string' ? o.type : undefined, url: o.url }];
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' && /\/blobs\/content\//.test(v) ? [{ at: `${at}.${k}`, type: undefined, url: v }] : blobsIn(v, `${at}.${k}`)));
}

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** What the first bytes of each kind of file must be. */
function checkFile(type: string | undefined, contentType: string, bytes: Uint8Array, where: string): void {
  assert.ok(bytes.length > 0, `${where}: empty file`);
  if (contentType === 'image/png') {
    readPngHeader(bytes);
    assert.ok(type === 'image' || type === undefined, `${where}: a PNG is an image blob`);
  } else if (contentType === 'image/svg+xml') assert.match(new TextDecoder().decode(bytes), /^<svg /, where);
  else if (contentType === 'video/mp4') {
    assert.equal(ascii(bytes, 4, 8), 'ftyp', `${where}: MP4`);
    assert.ok(type === 'video' || type === undefined, `${where}: ${type}`);
  } else if (contentType === 'audio/wav') {
    assert.equal(ascii(bytes, 0, 4) + ascii(bytes, 8, 12), 'RIFFWAVE', `${where}: WAV`);
    assert.equal(type, 'audio');
  } else if (contentType === 'model/gltf-binary') {
    assert.equal(ascii(bytes, 0, 4), 'glTF', `${where}: glb`);
    assert.equal(type, 'model3d');
  } else if (contentType === 'application/zip') assert.equal(ascii(bytes, 0, 2), 'PK', `${where}: zip`);
  else if (contentType === 'application/json') JSON.parse(new TextDecoder().decode(bytes));
  else if (contentType === 'application/octet-stream') {
    // safetensors: 8-byte little-endian header length, then that much JSON.
    const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    assert.ok('__metadata__' in JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))), `${where}: safetensors`);
  } else assert.fail(`${where}: unexpected content type ${contentType}`);
}

/**
 * OpenAPI's inheritance read as JSON Schema: the contract derives `AudioBlob` from `Blob` with
 * `allOf`, each part closed with `additionalProperties: false` (which plain JSON Schema reads as
 * "no object can have both parts' fields"), and a `discriminator` on the base names the derived
 * schema for each `type`. So: a base used in an `allOf` is referenced open, the composite is
 * closed with `unevaluatedProperties`, and a schema with a discriminator dispatches on its tag.
 */
function inheritanceAsJsonSchema(schemas: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const open = (name: string): string => `${name}__open`;
  const bases = new Set<string>();
  for (const schema of Object.values(schemas)) {
    for (const part of (schema.allOf as Array<Record<string, unknown>> | undefined) ?? []) {
      if (typeof part.$ref === 'string') bases.add(part.$ref.split('/').pop() as string);
    }
  }
  for (const [name, schema] of Object.entries(schemas)) {
    const { discriminator, ...rest } = schema as { discriminator?: { propertyName: string; mapping?: Record<string, string> } } & Record<string, unknown>;
    if (Array.isArray(rest.allOf)) {
      out[name] = {
        allOf: (rest.allOf as Array<Record<string, unknown>>).map((part) => {
          if (typeof part.$ref === 'string') return { $ref: `#/components/schemas/${open(part.$ref.split('/').pop() as string)}` };
          const { additionalProperties: _closed, ...body } = part;
          return body;
        }),
        unevaluatedProperties: false,
      };
    } else {
      out[name] = rest;
    }
    if (bases.has(name)) {
      const { additionalProperties: _closed, ...body } = rest;
      out[open(name)] = body;
    }
    const mapping = discriminator?.mapping ? Object.entries(discriminator.mapping).filter(([, ref]) => ref.split('/').pop() !== name) : [];
    if (discriminator && mapping.length > 0) {
      const tag = discriminator.propertyName;
      const plain = `${name}__plain`;
      out[plain] = out[name];
      out[name] = {
        allOf: [
          ...mapping.map(([value, ref]) => ({ if: { properties: { [tag]: { const: value } }, required: [tag] }, then: { $ref: ref } })),
          { if: { properties: { [tag]: { enum: mapping.map(([v]) => v) } }, required: [tag] }, else: { $ref: `#/components/schemas/${plain}` } },
        ],
      };
    }
  }
  return out;
}

/** The contract's output schema of each step type, compiled with ajv (JSON Schema 2020-12, as OpenAPI 3.1 is). */
function contractOutputValidators(): Map<string, (value: unknown) => string | null> {
  const doc = JSON.parse(readFileSync(openapiPath, 'utf8')) as { components: { schemas: Record<string, Record<string, unknown>> } };
  const schemas = doc.components.schemas;
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema({ $id: 'contract', components: { schemas: inheritanceAsJsonSchema(schemas) } } as object);
  const mapping = ((schemas.WorkflowStep.discriminator as { mapping: Record<string, string> }).mapping);
  const out = new Map<string, (value: unknown) => string | null>();
  for (const [type, ref] of Object.entries(mapping)) {
    const step = schemas[ref.split('/').pop() as string];
    const parts = (step.allOf as Array<Record<string, unknown>> | undefined) ?? [step];
    const output = parts.map((p) => (p.properties as Record<string, unknown> | undefined)?.output).find(Boolean) as Record<string, unknown>;
    const validate = ajv.compile({ $ref: `contract${String(output.$ref)}` });
    out.set(type, (value) => (validate(value) ? null : `${ajv.errorsText(validate.errors)} ${JSON.stringify(validate.errors?.[0]?.params ?? {})}`));
  }
  return out;
}

test('the emulator has a builder for exactly the contract\'s step types', () => {
  assert.deepEqual([...EMULATED_STEP_TYPES], stepTemplates().map((t) => t.type));
  assert.equal(EMULATED_STEP_TYPES.length, 45);
  assert.deepEqual(Object.keys(OUTPUT_BY_STEP_TYPE).sort(), [...EMULATED_STEP_TYPES], 'the client has an output schema for each');
});

test('one minimal valid body per step type: all 45 succeed with outputs the client and the contract accept', { skip: haveContract ? false : 'needs ../shared/civitai-orchestration/openapi.json' }, async () => {
  const contract = contractOutputValidators();
  const failures: string[] = [];
  const kinds = new Set<string>();
  for (const { type } of stepTemplates()) {
    const body = { steps: [{ ...minimalStep(type), name: 'probe' }] };
    assert.deepEqual(contractErrors(JSON.stringify(body)), {}, `${type}: the generated body is contract-valid`);
    const r = await submit(body);
    if (r.status !== 200) {
      failures.push(`${type}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
      continue;
    }
    const parsed = WorkflowSchema.safeParse(r.json);
    if (!parsed.success) {
      failures.push(`${type}: zod: ${JSON.stringify(parsed.error.issues.slice(0, 2))}`);
      continue;
    }
    const wf: Workflow = parsed.data;
    const step = wf.steps[0];
    if (wf.status !== 'succeeded' || step.status !== 'succeeded' || step.output === undefined) {
      failures.push(`${type}: ${wf.status}, output ${JSON.stringify(step.output)}`);
      continue;
    }
    const problem = contract.get(type)?.(step.output);
    if (problem) failures.push(`${type}: contract output schema: ${problem}`);
    assert.ok(wf.cost && wf.cost.total >= 1, `${type}: charged something`);
    for (const blob of blobsIn(step.output)) {
      const file = await download(blob.url);
      checkFile(blob.type, file.type, file.bytes, `${type} ${blob.at}`);
      kinds.add(file.type);
    }
  }
  assert.deepEqual(failures, []);
  assert.deepEqual([...kinds].sort(), ['application/json', 'application/octet-stream', 'application/zip', 'audio/wav', 'image/png', 'image/svg+xml', 'model/gltf-binary', 'video/mp4']);
});

test('chains across types: imageGen → videoGen from the image → videoUpscaler; promptEnhancement → imageGen prompt', async () => {
  const body = {
    steps: [
      { $type: 'imageGen', name: 'still', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a lighthouse at dusk', width: 832, height: 1216, seed: 5 } },
      { $type: 'videoGen', name: 'clip', input: { engine: 'ltx2.3', operation: 'createVideo', model: '22b-distilled', prompt: 'slow pan', images: [{ $ref: 'still', path: 'output.images[0].url' }], duration: 3, fps: 12 } },
      { $type: 'videoUpscaler', name: 'clip-hd', input: { video: { $ref: 'clip', path: 'output.video.url' }, scaleFactor: 2 } },
    ],
  };
  const r = await submit(body);
  assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 500));
  const wf = WorkflowSchema.parse(r.json);
  assert.equal(wf.status, 'succeeded');
  const [still, clip, hd] = wf.steps.map((s) => s.output as Record<string, Record<string, unknown> & Array<Record<string, unknown>>>);
  const image = (still.images as unknown as Array<Record<string, unknown>>)[0];
  const video = clip.video;
  const upscaled = hd.video;
  assert.equal(video.type, 'video');
  // Portrait source, portrait video; the upscaler doubles both sides.
  assert.ok((video.height as number) > (video.width as number));
  assert.deepEqual([upscaled.width, upscaled.height], [(video.width as number) * 2, (video.height as number) * 2]);
  // The video really starts from the generated image: the same encoder fed that PNG gives the same bytes.
  const png = (await download(image.url as string)).bytes;
  const mp4 = (await download(video.url as string)).bytes;
  const expected = renderVideoMp4({ width: video.width as number, height: video.height as number, fps: 12, frames: 36, seed: 0, firstFrame: png });
  assert.equal(mp4.length, expected.length);
  // The seed only colours the moving square, which starts at the right edge's middle: the file
  // header and the first frame's top rows (raw samples of the image) must be byte for byte equal.
  assert.equal(Buffer.from(mp4.subarray(0, 2000)).equals(Buffer.from(expected.subarray(0, 2000))), true);
  assert.ok(decodePng(png).width > 0);

  const text = await submit({
    steps: [
      { $type: 'promptEnhancement', name: 'better', input: { ecosystem: 'sdxl', prompt: 'a cat' } },
      { $type: 'imageGen', name: 'cat', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: { $ref: 'better', path: 'output.enhancedPrompt' } } },
    ],
  });
  assert.equal(text.status, 200, JSON.stringify(text.json).slice(0, 500));
  const tw = WorkflowSchema.parse(text.json);
  assert.equal(tw.status, 'succeeded');
  assert.equal(tw.steps[1].$type, 'imageGen');

  const wrong = await submit({ steps: [{ $type: 'echo', name: 'e', input: { message: 'hi' } }, { $type: 'videoUpscaler', input: { video: { $ref: 'e', path: 'output.video.url' } } }] });
  assert.equal(wrong.status, 400);
  assert.match(JSON.stringify(wrong.json), /has no output\.video\.url/);
});

test('imageUpload takes a whole-input reference to an earlier image and passes its pixels on', async () => {
  const r = await submit({
    steps: [
      { $type: 'imageGen', name: 'still', input: { engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: 'a boat', width: 512, height: 384, seed: 2 } },
      { $type: 'imageUpload', name: 'copy', input: { $ref: 'still', path: 'output.images[0].url' } },
    ],
  });
  assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 400));
  const wf = WorkflowSchema.parse(r.json);
  const original = (wf.steps[0].output as { images: Array<{ url: string }> }).images[0];
  const copy = (wf.steps[1].output as { blob: { url: string; width: number; height: number } }).blob;
  assert.deepEqual([copy.width, copy.height], [512, 384]);
  assert.deepEqual((await download(copy.url)).bytes, (await download(original.url)).bytes);
});
