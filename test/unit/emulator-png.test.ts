import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  crc32,
  decodePng,
  encodePng,
  hasPngSignature,
  PngFormatError,
  pngBytesFromDataUrl,
  pngHeaderFromImageString,
  readPngChunks,
  readPngHeader,
  withChunks,
  writePngChunks,
} from '../../src/core/png';
import { drawSeededPattern, enlargePng, renderSeededPng, seed32 } from '../../src/emulator/images';

// Vectors written by an independent encoder (Python zlib + struct): one row per filter type 0–4,
// a palette image with tRNS, and 16-bit greyscale.
const RGB_ALL_FILTERS =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAFCAIAAADtz9qMAAAAMklEQVR4nGNgYPhvw3u9Qmr9FvV2Rnajhza8NyCIid3oERwx86W4KCnchSAWkBgvFAEAzDMVxoBVdtMAAAAASUVORK5CYII=';
const RGB_PIXELS = [
  0, 0, 255, 60, 13, 215, 120, 26, 175, 180, 39, 135, 7, 50, 225, 67, 63, 185, 127, 76, 145, 187, 89, 105, 14, 100, 195, 74, 113, 155,
  134, 126, 115, 194, 139, 75, 21, 150, 165, 81, 163, 125, 141, 176, 85, 201, 189, 45, 28, 200, 135, 88, 213, 95, 148, 226, 55, 208, 239, 15,
];
const PALETTE_TRNS =
  'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAMAAACqqpYoAAAACVBMVEX/AAAA/wAAAP8tSs2KAAAAAnRSTlP/gAgPs2oAAAAQSURBVHicY2FgZGRmYvwHAAFFAQuZlrvPAAAAAElFTkSuQmCC';
const GRAY16 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACEAAAAAAHTY67AAAAEklEQVR4nGMUMpk5k+nt6VATABEYA727HDAXAAAAAElFTkSuQmCC';

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('decodes every row filter written by another encoder', () => {
  const img = decodePng(b64(RGB_ALL_FILTERS));
  assert.equal(img.width, 4);
  assert.equal(img.height, 5);
  assert.equal(img.channels, 3);
  assert.deepEqual([...img.data], RGB_PIXELS);
});

test('expands palettes with tRNS alpha and reduces 16-bit samples to 8', () => {
  const pal = decodePng(b64(PALETTE_TRNS));
  assert.equal(pal.channels, 4);
  assert.deepEqual([...pal.data], [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 255, 0, 0, 255]);
  const gray = decodePng(b64(GRAY16));
  assert.equal(gray.channels, 1);
  assert.deepEqual([...gray.data], [0x12, 0xab, 0xff, 0x00]);
});

test('encode → decode round trip for every channel count and filter', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    for (const filter of ['none', 'sub', 'up'] as const) {
      const width = 7;
      const height = 5;
      const data = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37 + channels * 11) & 0xff);
      const png = encodePng({ width, height, channels, data }, { filter });
      const back = decodePng(png);
      assert.equal(back.channels, channels);
      assert.deepEqual([...back.data], [...data], `channels ${channels}, filter ${filter}`);
    }
  }
});

test('refuses damaged files with PngFormatError, never a crash', () => {
  const good = encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(12).fill(9) });
  assert.throws(() => decodePng(good.subarray(0, 20)), PngFormatError);
  assert.throws(() => decodePng(new Uint8Array([1, 2, 3])), PngFormatError);
  const flipped = good.slice();
  flipped[43] ^= 0xff; // inside the IDAT data (signature 8 + IHDR 25 + IDAT length/type 8): the CRC no longer matches
  assert.throws(() => decodePng(flipped), /CRC mismatch/);
  assert.throws(() => decodePng(good, { maxPixels: 3 }), /too large/);
  assert.equal(hasPngSignature(good), true);
  assert.equal(hasPngSignature(new Uint8Array(8)), false);
});

test('chunks round trip, and withChunks inserts metadata before the image data', () => {
  const png = encodePng({ width: 1, height: 1, channels: 3, data: new Uint8Array([1, 2, 3]) });
  const chunks = readPngChunks(png);
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  assert.deepEqual(writePngChunks(chunks), png);
  const withText = withChunks(png, [{ type: 'tEXt', data: new TextEncoder().encode('k\0v') }]);
  assert.deepEqual(readPngChunks(withText).map((c) => c.type), ['IHDR', 'tEXt', 'IDAT', 'IEND']);
  assert.deepEqual([...decodePng(withText).data], [1, 2, 3]);
  const stripped = withChunks(withText, [], (c) => c.type === 'tEXt');
  assert.deepEqual(stripped, png);
});

test('header and data-URL helpers read sizes cheaply', () => {
  const png = encodePng({ width: 640, height: 360, channels: 3, data: new Uint8Array(640 * 360 * 3) });
  assert.deepEqual(
    { w: readPngHeader(png).width, h: readPngHeader(png).height },
    { w: 640, h: 360 },
  );
  const dataUrl = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  assert.equal(pngHeaderFromImageString(dataUrl)?.width, 640);
  assert.equal(pngHeaderFromImageString(Buffer.from(png).toString('base64'))?.height, 360);
  assert.equal(pngHeaderFromImageString('https://example.com/a.png'), undefined);
  assert.equal(pngHeaderFromImageString('data:image/png;base64,AAAA'), undefined);
  assert.deepEqual(pngBytesFromDataUrl(dataUrl), png);
  assert.equal(pngBytesFromDataUrl('data:text/plain,hello'), undefined);
});

test('seeded images: same seed same bytes, other seed other pixels, requested size', () => {
  const a = renderSeededPng(320, 192, 42);
  const b = renderSeededPng(320, 192, 42);
  const c = renderSeededPng(320, 192, 43);
  assert.deepEqual(a, b);
  const pa = decodePng(a);
  const pc = decodePng(c);
  assert.equal(pa.width, 320);
  assert.equal(pa.height, 192);
  let differing = 0;
  for (let i = 0; i < pa.data.length; i++) if (pa.data[i] !== pc.data[i]) differing++;
  assert.ok(differing > pa.data.length / 4, `seeds 42 and 43 differ in only ${differing} samples`);
});

test('seed32 keeps the high bits of int64 seeds', () => {
  assert.notEqual(seed32(1), seed32(1 + 2 ** 32));
  assert.equal(seed32(7n), seed32(7));
});

test('drawSeededPattern fills every pixel of odd sizes', () => {
  const img = drawSeededPattern(131, 67, 5);
  assert.equal(img.data.length, 131 * 67 * 3);
});

test('enlargePng multiplies the size and keeps the pixels', () => {
  const src = renderSeededPng(40, 30, 1);
  const big = decodePng(enlargePng(src, 2, 1e6));
  const small = decodePng(src);
  assert.equal(big.width, 80);
  assert.equal(big.height, 60);
  const at = (img: typeof big, x: number, y: number): number[] => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
  assert.deepEqual(at(big, 13, 9), at(small, 6, 4));
  assert.throws(() => enlargePng(src, 2, 100), /exceeds/);
});

test('emulator images are smooth above the label and say EMULATOR in a band at the bottom', () => {
  for (const [w, h, seed] of [[512, 512, 1], [832, 1216, 7], [1536, 640, 99]] as const) {
    const img = drawSeededPattern(w, h, seed);
    const px = (x: number, y: number) => [0, 1, 2].map((c) => img.data[(y * w + x) * 3 + c]);
    // Smooth: above the band, no two neighbours differ by more than a few levels (the old shapes jumped by 100+).
    const bandTop = Math.round(h * 0.8);
    let worst = 0;
    for (let y = 0; y < bandTop; y += 3) {
      for (let x = 1; x < w; x += 2) {
        const a = px(x - 1, y);
        const b = px(x, y);
        const c = y > 0 ? px(x, y - 1) : b;
        worst = Math.max(worst, ...a.map((v, i) => Math.abs(v - b[i])), ...c.map((v, i) => Math.abs(v - b[i])));
      }
    }
    assert.ok(worst <= 6, `${w}x${h}: neighbouring pixels differ by up to ${worst} levels`);
    // Labelled: near-white text pixels on a darker band, only in the bottom eighth.
    const bright = (y0: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = 0; x < w; x++) if (px(x, y).every((v) => v >= 240)) n++;
      return n;
    };
    const bottom = bright(h - Math.round(h / 8), h);
    assert.ok(bottom > w * 2, `${w}x${h}: the label's text pixels (${bottom})`);
  }
});
