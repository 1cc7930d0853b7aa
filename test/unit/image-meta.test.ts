// Reading generation parameters from JPEG and WebP files as from PNGs. The files are built here
// byte by byte from the formats' specifications (JPEG APPn/COM segments, TIFF/EXIF IFDs with the
// UserComment charset prefix, RIFF chunks), then damaged at random: reading must never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImageParameters, imageKind } from '../../src/core/image-meta';
import { decodeUserComment } from '../../src/core/image-meta/exif';
import { readXmpParameters } from '../../src/core/image-meta/xmp';
import { encodePng } from '../../src/core/png/encode';
import { withParameters } from '../../src/core/png/text-chunks';
import { mulberry32 } from '../../src/core/random';

const PARAMS = 'a cat, (masterpiece:1.2), 猫\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512';

function utf16(text: string, bigEndian: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  if (!bigEndian) return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return be;
}

/** UserComment bytes: 8-byte charset name, then the text. */
function userComment(text: string, charset: 'UNICODE-BE' | 'UNICODE-LE' | 'ASCII'): Buffer {
  if (charset === 'ASCII') return Buffer.concat([Buffer.from('ASCII\0\0\0', 'latin1'), Buffer.from(text, 'utf8')]);
  return Buffer.concat([Buffer.from('UNICODE\0', 'latin1'), utf16(text, charset === 'UNICODE-BE')]);
}

/** TIFF with IFD0 -> Exif IFD -> UserComment (type UNDEFINED). */
function tiffWithUserComment(comment: Buffer, little: boolean): Buffer {
  const b = Buffer.alloc(44 + comment.length);
  const u16 = (v: number, at: number) => (little ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  b.write(little ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  u16(1, 8); // IFD0: one entry
  u16(0x8769, 10); // ExifIFD pointer
  u16(4, 12); // LONG
  u32(1, 14);
  u32(26, 18);
  u32(0, 22); // no next IFD
  u16(1, 26); // Exif IFD: one entry
  u16(0x9286, 28); // UserComment
  u16(7, 30); // UNDEFINED
  u32(comment.length, 32);
  u32(44, 36);
  u32(0, 40);
  comment.copy(b, 44);
  return b;
}

function segment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, ((data.length + 2) >> 8) & 0xff, (data.length + 2) & 0xff]);
  return Buffer.concat([head, data]);
}

function jpeg(...segments: Buffer[]): Buffer {
  // SOI, the metadata, a stub frame header, SOS with one byte of "scan", EOI.
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, segment(0xdb, Buffer.alloc(65)), segment(0xda, Buffer.alloc(10)), Buffer.from([0x00, 0xff, 0xd9])]);
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function webp(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), riffChunk('VP8X', Buffer.alloc(10)), ...chunks, riffChunk('VP8 ', Buffer.alloc(12))]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

const xmpPacket = (value: string) =>
  `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/"><exif:UserComment><rdf:Alt><rdf:li xml:lang="x-default">${value}</rdf:li></rdf:Alt></exif:UserComment></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

test('JPEG: EXIF UserComment in every charset and byte order A1111/Forge and others write', () => {
  for (const little of [false, true]) {
    for (const charset of ['UNICODE-BE', 'UNICODE-LE', 'ASCII'] as const) {
      const file = jpeg(segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')), segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithUserComment(userComment(PARAMS, charset), little)])));
      assert.equal(imageKind(file), 'jpeg');
      assert.deepEqual(readImageParameters(file), { text: PARAMS, source: 'EXIF UserComment' }, `${charset} ${little ? 'II' : 'MM'}`);
    }
  }
});

test('JPEG: XMP exif:UserComment and a COM segment are read when there is no EXIF comment', () => {
  const xmp = jpeg(segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(xmpPacket(xmlEscape(PARAMS)), 'utf8')])));
  assert.deepEqual(readImageParameters(xmp), { text: PARAMS, source: 'XMP' });
  const com = jpeg(segment(0xfe, Buffer.from('made with love')), segment(0xfe, Buffer.from(PARAMS, 'utf8')));
  assert.deepEqual(readImageParameters(com), { text: PARAMS, source: 'JPEG comment' });
  assert.equal(readImageParameters(jpeg(segment(0xfe, Buffer.from('just a comment')))), undefined);
});

test('WebP: EXIF chunk (with or without the Exif header) and XMP chunk', () => {
  const tiff = tiffWithUserComment(userComment(PARAMS, 'UNICODE-BE'), true);
  assert.deepEqual(readImageParameters(webp(riffChunk('EXIF', tiff))), { text: PARAMS, source: 'EXIF UserComment' });
  assert.deepEqual(readImageParameters(webp(riffChunk('EXIF', Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])))), { text: PARAMS, source: 'EXIF UserComment' });
  assert.deepEqual(readImageParameters(webp(riffChunk('XMP ', Buffer.from(xmpPacket(xmlEscape(PARAMS)), 'utf8')))), { text: PARAMS, source: 'XMP' });
  assert.equal(readImageParameters(webp()), undefined);
});

test('PNG goes through the PNG reader; other bytes are not images', () => {
  const png = withParameters(Buffer.from(encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) })), PARAMS);
  assert.deepEqual(readImageParameters(png), { text: PARAMS, source: 'PNG text chunk' });
  assert.equal(imageKind(Buffer.from(PARAMS)), undefined);
  assert.equal(readImageParameters(Buffer.from(PARAMS)), undefined);
});

test('UserComment decoding: no prefix, undefined charset, trailing NULs', () => {
  assert.equal(decodeUserComment(Buffer.from('Steps: 20')), 'Steps: 20');
  assert.equal(decodeUserComment(Buffer.concat([Buffer.alloc(8), Buffer.from('abc\0\0')])), 'abc');
  assert.equal(readXmpParameters('<x dc:description="a &amp; b &#x263A;"/>'), 'a & b ☺');
});

test('damaged files: truncated, bit-flipped or with lying lengths, never throw and never hang', () => {
  const random = mulberry32(20);
  const samples = [
    jpeg(segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithUserComment(userComment(PARAMS, 'UNICODE-BE'), false)]))),
    webp(riffChunk('EXIF', tiffWithUserComment(userComment(PARAMS, 'ASCII'), true)), riffChunk('XMP ', Buffer.from(xmpPacket(PARAMS)))),
  ];
  for (const sample of samples) {
    for (let i = 0; i < 400; i++) {
      const bytes = Buffer.from(sample.subarray(0, Math.floor(random() * sample.length) + 1));
      const flips = Math.floor(random() * 6);
      for (let k = 0; k < flips; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const result = readImageParameters(bytes);
      assert.ok(result === undefined || typeof result.text === 'string');
    }
  }
  // An IFD claiming 65535 entries and offsets past the end.
  const lying = Buffer.from(tiffWithUserComment(userComment(PARAMS, 'ASCII'), true));
  lying.writeUInt16LE(0xffff, 26);
  lying.writeUInt32LE(0xfffffff0, 36);
  assert.equal(readImageParameters(webp(riffChunk('EXIF', lying))), undefined);
});

test('the CLI imports a JPEG and a WebP like a PNG, and says which metadata a bare JPEG lacks', async () => {
  const { default: importParamsCommand } = await import('../../src/cli/commands/import-params');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'image-meta-'));
  writeFileSync(join(dir, 'a.jpg'), jpeg(segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithUserComment(userComment(PARAMS, 'UNICODE-BE'), false)]))));
  writeFileSync(join(dir, 'a.webp'), webp(riffChunk('EXIF', tiffWithUserComment(userComment(PARAMS, 'UNICODE-LE'), true))));
  writeFileSync(join(dir, 'bare.jpg'), jpeg());
  for (const file of ['a.jpg', 'a.webp', 'bare.jpg']) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await importParamsCommand.run(['--offline', file], { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd: dir, isTTY: false });
    if (file === 'bare.jpg') {
      assert.equal(code, 1);
      assert.match(err.join(''), /bare\.jpg is a JPEG without generation parameters \(no EXIF UserComment or XMP description\)/);
    } else {
      assert.equal(code, 0, err.join(''));
      const input = JSON.parse(out.join('')).steps[0].input;
      assert.deepEqual([input.prompt, input.negativePrompt, input.steps, input.seed], ['a cat, (masterpiece:1.2), 猫', 'blurry', 20, 1]);
    }
  }
});
