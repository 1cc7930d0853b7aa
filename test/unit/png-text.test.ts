import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { encodePng } from '../../src/core/png/encode';
import { decodePng } from '../../src/core/png/decode';
import { readPngChunks, writePngChunks, crc32 } from '../../src/core/png/chunks';
import { readParameters, readTextChunks, withParameters } from '../../src/core/png/text-chunks';

function smallPng(extra?: Parameters<typeof encodePng>[1]): Buffer {
  const data = new Uint8Array(4 * 3 * 3).map((_, i) => (i * 37) % 256);
  return Buffer.from(encodePng({ width: 4, height: 3, channels: 3, data }, extra));
}

test('withParameters adds a tEXt chunk with a correct CRC, and readParameters reads it back', () => {
  const png = smallPng();
  const text = 'cat, (dog:1.2)\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 4x3';
  const out = withParameters(png, text);
  // readPngChunks verifies every CRC by default: this throws if ours were wrong.
  const chunks = readPngChunks(out);
  const t = chunks.find((c) => c.type === 'tEXt');
  assert.ok(t);
  assert.equal(Buffer.from(t.data).toString('latin1'), `parameters\0${text}`);
  assert.equal(chunks[chunks.length - 1].type, 'IEND');
  assert.equal(readParameters(out), text);
  // The pixels are untouched.
  assert.deepEqual(decodePng(out).data, decodePng(png).data);
});

test('setting parameters twice replaces the first entry', () => {
  const out = withParameters(withParameters(smallPng(), 'first'), 'second');
  const entries = readTextChunks(out).filter((e) => e.keyword === 'parameters');
  assert.deepEqual(entries.map((e) => e.text), ['second']);
});

test('text outside Latin-1 is written as UTF-8 iTXt and read back intact', () => {
  const text = '1girl, 初音ミク, ✨ sparkles';
  const out = withParameters(smallPng(), text);
  const entry = readTextChunks(out).find((e) => e.keyword === 'parameters');
  assert.equal(entry?.chunk, 'iTXt');
  assert.equal(readParameters(out), text);
});

test('readParameters reads zTXt and compressed iTXt written by other tools', () => {
  const png = smallPng();
  const chunks = readPngChunks(png);
  const z = { type: 'zTXt', data: Buffer.concat([Buffer.from('parameters\0\0', 'latin1'), deflateSync(Buffer.from('from zTXt', 'latin1'))]) };
  const withZ = Buffer.from(writePngChunks([chunks[0], z, ...chunks.slice(1)]));
  assert.equal(readParameters(withZ), 'from zTXt');
  const i = { type: 'iTXt', data: Buffer.concat([Buffer.from('parameters\0\x01\0en\0\0', 'latin1'), deflateSync(Buffer.from('from iTXt ü', 'utf8'))]) };
  const withI = Buffer.from(writePngChunks([chunks[0], i, ...chunks.slice(1)]));
  assert.equal(readParameters(withI), 'from iTXt ü');
});

test('other keywords are ignored; no parameters gives undefined', () => {
  const png = smallPng({ chunks: [{ type: 'tEXt', data: Buffer.from('Software\0something', 'latin1') }] });
  assert.equal(readParameters(png), undefined);
  assert.deepEqual(readTextChunks(png).map((e) => e.keyword), ['Software']);
});

test('non-PNG and damaged bytes never throw', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  assert.equal(withParameters(jpeg, 'x'), jpeg);
  assert.equal(readParameters(jpeg), undefined);
  const truncated = smallPng().subarray(0, 30);
  assert.equal(readParameters(truncated), undefined);
  assert.equal(withParameters(truncated, 'x'), truncated);
  // A damaged compressed chunk is skipped.
  const chunks = readPngChunks(smallPng());
  const bad = { type: 'zTXt', data: Buffer.from('parameters\0\0not deflate', 'latin1') };
  assert.equal(readParameters(Buffer.from(writePngChunks([chunks[0], bad, ...chunks.slice(1)]))), undefined);
  assert.equal(typeof crc32(Buffer.from('IEND')), 'number');
});
