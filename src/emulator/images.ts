// Stand-in images for the emulator: a seeded gradient with a few shapes, drawn on a coarse grid
// (cells of a few pixels) so a 2048² image costs little to draw and compresses to almost
// nothing. The same seed and size always give the same bytes; different seeds look different.
import { encodePng, decodePng, type RawImage } from '../core/png';
import { mulberry32 as prng } from '../core/random';

/** Folds a seed of any size the contract allows (int64) into 32 bits, keeping every bit's influence. */
export function seed32(seed: number | bigint): number {
  const big = BigInt.asUintN(64, BigInt(typeof seed === 'number' ? Math.trunc(seed) : seed));
  const lo = Number(big & 0xffffffffn);
  const hi = Number(big >> 32n);
  return (lo ^ Math.imul(hi, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
}

interface Shape {
  kind: 'circle' | 'rect';
  cx: number;
  cy: number;
  r: number;
  color: [number, number, number];
}

const randomColor = (rand: () => number): [number, number, number] => [
  Math.floor(rand() * 256),
  Math.floor(rand() * 256),
  Math.floor(rand() * 256),
];

/** Draws the pattern into an RGB buffer (no encoding). */
export function drawSeededPattern(width: number, height: number, seed: number | bigint): RawImage {
  const rand = prng(seed32(seed));
  const from = randomColor(rand);
  const to = randomColor(rand);
  const angle = rand() * Math.PI * 2;
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const shapes: Shape[] = [];
  const count = 3 + Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) {
    shapes.push({
      kind: rand() < 0.5 ? 'circle' : 'rect',
      cx: rand(),
      cy: rand(),
      r: 0.08 + rand() * 0.25,
      color: randomColor(rand),
    });
  }

  // Cell size: about 128 cells along the short side; 1 px for small images.
  const cell = Math.max(1, Math.floor(Math.min(width, height) / 128));
  const stride = width * 3;
  const data = new Uint8Array(stride * height);
  const row = new Uint8Array(stride);
  const aspect = width / height;
  for (let y0 = 0; y0 < height; y0 += cell) {
    const v = (y0 + cell / 2) / height;
    for (let x0 = 0; x0 < width; x0 += cell) {
      const u = (x0 + cell / 2) / width;
      // Gradient position along the chosen direction, 0..1.
      const t = Math.min(1, Math.max(0, ((u - 0.5) * dx + (v - 0.5) * dy) / Math.SQRT2 + 0.5));
      let r = from[0] + (to[0] - from[0]) * t;
      let g = from[1] + (to[1] - from[1]) * t;
      let b = from[2] + (to[2] - from[2]) * t;
      for (const s of shapes) {
        const ddx = (u - s.cx) * aspect;
        const ddy = v - s.cy;
        const inside = s.kind === 'circle' ? ddx * ddx + ddy * ddy <= s.r * s.r : Math.abs(ddx) <= s.r && Math.abs(ddy) <= s.r * 0.6;
        if (inside) {
          r = r * 0.2 + s.color[0] * 0.8;
          g = g * 0.2 + s.color[1] * 0.8;
          b = b * 0.2 + s.color[2] * 0.8;
        }
      }
      const xEnd = Math.min(width, x0 + cell);
      for (let x = x0; x < xEnd; x++) {
        row[x * 3] = r;
        row[x * 3 + 1] = g;
        row[x * 3 + 2] = b;
      }
    }
    const yEnd = Math.min(height, y0 + cell);
    for (let y = y0; y < yEnd; y++) data.set(row, y * stride);
  }
  return { width, height, channels: 3, data };
}

/** A PNG of the seeded pattern (zlib level 3: about half the time of 6 for a slightly larger file). */
export function renderSeededPng(width: number, height: number, seed: number | bigint): Uint8Array {
  return encodePng(drawSeededPattern(width, height, seed), { filter: 'up', level: 3 });
}

/**
 * Nearest-neighbour enlargement by an integer factor: the emulator's "upscaler". Honest about
 * what it is (blocky), and its output really has the documented size.
 */
export function enlargePng(png: Uint8Array, factor: number, maxPixels: number): Uint8Array {
  const src = decodePng(png, { maxPixels });
  const width = src.width * factor;
  const height = src.height * factor;
  if (width * height > maxPixels) throw new RangeError(`Upscaled image ${width}x${height} exceeds the emulator's limit of ${maxPixels} pixels`);
  const ch = src.channels;
  const out = new Uint8Array(width * height * ch);
  const row = new Uint8Array(width * ch);
  for (let sy = 0; sy < src.height; sy++) {
    for (let sx = 0; sx < src.width; sx++) {
      const from = (sy * src.width + sx) * ch;
      for (let k = 0; k < factor; k++) {
        const to = (sx * factor + k) * ch;
        for (let c = 0; c < ch; c++) row[to + c] = src.data[from + c];
      }
    }
    for (let k = 0; k < factor; k++) out.set(row, (sy * factor + k) * width * ch);
  }
  return encodePng({ width, height, channels: ch, data: out }, { filter: 'up', level: 3 });
}
