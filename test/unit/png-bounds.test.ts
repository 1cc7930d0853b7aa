// Bounded input: PNG text chunks that inflate to gigabytes, truncated PNGs, oversized text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodePng } from '../../src/core/png/encode';
import { readPngChunks, scanPngChunks, writePngChunks, type PngChunk } from '../../src/core/png/chunks';
import { MAX_TEXT_CHUNK_BYTES, readParametersFrom, readTextChunks, withParameters } from '../../src/core/png/text-chunks';
import { MAX_PARAMETERS_TEXT_BYTES, parametersFromBytes } from '../../src/core/prompt/params-source';
import importParams from '../../src/cli/commands/import-params';
import { zeroBombStream } from '../../bench/suites/bounded-input';

const PARAMS = 'a red fox in snow, <lora:foxy:0.8>\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3, Size: 512x512';

const zeroBomb = zeroBombStream;

function png(extra: PngChunk[], options: { beforeIdat?: boolean } = {}): Buffer {
  const base = readPngChunks(encodePng({ width: 8, height: 8, channels: 3, data: new Uint8Array(192).map((_, i) => i) }));
  const at = options.beforeIdat === false ? base.length - 1 : base.findIndex((c) => c.type === 'IDAT');
  return Buffer.from(writePngChunks([...base.slice(0, at), ...extra, ...base.slice(at)]));
}
const zTXt = (keyword: string, stream: Buffer): PngChunk => ({ type: 'zTXt', data: Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.of(0, 0), stream]) });
const tEXt = (keyword: string, text: string): PngChunk => ({ type: 'tEXt', data: Buffer.from(`${keyword}\0${text}`, 'latin1') });
const rssMiB = (): number => process.memoryUsage().rss / 1024 / 1024;

test('a 3 MB PNG whose parameters chunk inflates to ~3 GB: refused with a clear message, memory stays bounded', () => {
  const stream = zeroBomb(3000);
  // The bomb is real: it inflates past any small limit (checked without inflating it all).
  assert.throws(() => inflateSync(stream, { maxOutputLength: 64 * 1024 * 1024 }), { code: 'ERR_BUFFER_TOO_LARGE' });
  const bomb = png([zTXt('parameters', stream)]);
  assert.ok(bomb.length > 2_500_000 && bomb.length < 4_000_000, `${bomb.length} bytes`);
  const before = rssMiB();
  const read = readParametersFrom(bomb);
  const grew = rssMiB() - before;
  assert.equal(read.kind, 'too-large');
  assert.match(read.kind === 'too-large' ? read.message : '', /"parameters" text chunk is larger than 256 KiB once decompressed/);
  assert.ok(grew < 200, `RSS grew ${grew.toFixed(0)} MiB`);
  const source = parametersFromBytes(bomb, 'bomb.png');
  assert.equal(source.ok, false);
});

test('a bomb in a chunk we do not read is never inflated: the parameters next to it are found', () => {
  const file = png([zTXt('comment', zeroBomb(3000)), tEXt('parameters', PARAMS)]);
  const before = rssMiB();
  assert.deepEqual(readParametersFrom(file), { kind: 'found', text: PARAMS, damage: undefined });
  assert.ok(rssMiB() - before < 200);
  // Replacing the parameters recognises chunks by keyword; nothing is inflated either.
  const replaced = withParameters(png([zTXt('parameters', zeroBomb(3000))]), PARAMS);
  assert.equal(readTextChunks(replaced, { keyword: 'parameters' })[0].text, PARAMS);
  // Without a keyword filter, reading every chunk reports the bomb instead of inflating it.
  assert.throws(() => readTextChunks(file), /comment.*larger than/);
});

test('a compressed parameters chunk just under the limit is read; just over is refused', () => {
  const under = 'x'.repeat(MAX_TEXT_CHUNK_BYTES);
  assert.equal(readParametersFrom(png([zTXt('parameters', deflateSync(Buffer.from(under)))])).kind, 'found');
  assert.equal(readParametersFrom(png([zTXt('parameters', deflateSync(Buffer.from(under + 'x')))])).kind, 'too-large');
});

test('a truncated PNG is read up to the damage: the parameters before it are kept, with a note', () => {
  const whole = png([tEXt('parameters', PARAMS)]);
  const idat = whole.indexOf('IDAT');
  for (const cut of [idat + 6, whole.length - 5, whole.length - 12]) {
    const truncated = whole.subarray(0, cut);
    assert.ok(scanPngChunks(truncated).damage, `cut at ${cut}`);
    const read = readParametersFrom(truncated);
    assert.equal(read.kind, 'found', `cut at ${cut}`);
    const source = parametersFromBytes(truncated, 'cut.png');
    assert.ok(source.ok && source.note && /Truncated PNG/.test(source.note));
  }
  // Cut before the chunk: it is not there, and the message says the file is damaged.
  const early = parametersFromBytes(whole.subarray(0, 40), 'early.png');
  assert.ok(!early.ok && /without generation parameters \(no "parameters" text chunk\) \(Truncated PNG/.test(early.message), JSON.stringify(early));
});

function io(cwd: string, stdin?: Buffer) {
  const s = { out: '', err: '', cwd, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t), readStdin: stdin ? async () => stdin : undefined };
  return s;
}

test('import-params (CLI): the bomb PNG and oversized text are refused with a message and exit 1; a truncated PNG imports', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'png-bounds-'));
  writeFileSync(path.join(dir, 'bomb.png'), png([zTXt('parameters', zeroBomb(3000))]));
  const before = rssMiB();
  const bomb = io(dir);
  assert.equal(await importParams.run(['bomb.png'], bomb), 1);
  assert.ok(rssMiB() - before < 200);
  assert.match(bomb.err, /bomb\.png: The "parameters" text chunk is larger than 256 KiB/);

  const huge = io(dir, Buffer.alloc(MAX_PARAMETERS_TEXT_BYTES + 1, 'a'));
  assert.equal(await importParams.run(['-'], huge), 1);
  assert.match(huge.err, /stdin holds 256 KiB of text; generation parameters are at most 256 KiB/);
  assert.equal(huge.out, '');

  const whole = png([tEXt('parameters', PARAMS)]);
  writeFileSync(path.join(dir, 'cut.png'), whole.subarray(0, whole.length - 20));
  const cut = io(dir);
  assert.equal(await importParams.run(['cut.png'], cut), 0, cut.err);
  assert.match(cut.err, /note: cut\.png: Truncated PNG/);
  assert.match(cut.out, /"prompt": "a red fox in snow/);
});
