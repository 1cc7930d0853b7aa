// Stand-in images for the emulator: a seeded two-colour gradient with a few soft blobs of light,
// and a band across the bottom that says "EMULATOR" (placeholders, not model output). Cheap at
// 2048²: see BANDS. Same seed and size, same bytes; different seeds look different.
import { encodePng, decodePng, type RawImage } from '../core/png';
import { mulberry32 as prng } from '../core/random';
import { ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from '../core/raster/font5x7';

/** Folds a seed of any size the contract allows (int64) into 32 bits, keeping every bit's influence. */
export function seed32(seed: number | bigint): number {
  const big = BigInt.asUintN(64, BigInt(typeof seed === 'number' ? Math.trunc(seed) : seed));
  const lo = Number(big & 0xffffffffn);
  const hi = Number(big >> 32n);
  return (lo ^ Math.imul(hi, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
}

type Rgb = [number, number, number];

interface Blob {
  cx: number;
  cy: number;
  /** Radius as a fraction of the short side. */
  r: number;
  color: Rgb;
  strength: number;
}

/** A colour from a hue (0..1) with the given lightness band: pleasant, never muddy. */
function hueColor(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h * 12) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/**
 * Rows of the field along the short side. Each band of rows repeats one computed row (cheap, and
 * the PNG `up` filter turns repeats into zeros); across a row the field is interpolated per pixel.
 * The field is smooth, so the steps between bands are a level or two of colour: not visible.
 */
const BANDS = 128;

function field(u: number, v: number, f: FieldSpec, out: Float32Array, at: number): void {
  const t = Math.min(1, Math.max(0, ((u - 0.5) * f.dx + (v - 0.5) * f.dy) / Math.SQRT2 + 0.5));
  let r = f.from[0] + (f.to[0] - f.from[0]) * t;
  let g = f.from[1] + (f.to[1] - f.from[1]) * t;
  let b = f.from[2] + (f.to[2] - f.from[2]) * t;
  for (const blob of f.blobs) {
    const ddx = (u - blob.cx) * f.sx;
    const ddy = (v - blob.cy) * f.sy;
    const w = blob.strength * Math.exp(-(ddx * ddx + ddy * ddy) / (blob.r * blob.r));
    r += (blob.color[0] - r) * w;
    g += (blob.color[1] - g) * w;
    b += (blob.color[2] - b) * w;
  }
  out[at] = r;
  out[at + 1] = g;
  out[at + 2] = b;
}

interface FieldSpec {
  from: Rgb;
  to: Rgb;
  dx: number;
  dy: number;
  blobs: Blob[];
  /** Axis scales so blobs stay round whatever the aspect ratio. */
  sx: number;
  sy: number;
}

/** Draws the pattern into an RGB buffer (no encoding). */
export function drawSeededPattern(width: number, height: number, seed: number | bigint): RawImage {
  const rand = prng(seed32(seed));
  const hue = rand();
  const from = hueColor(hue, 0.55, 0.42);
  const to = hueColor((hue + 0.18 + rand() * 0.3) % 1, 0.6, 0.62);
  const angle = rand() * Math.PI * 2;
  const blobs: Blob[] = [];
  const count = 3 + Math.floor(rand() * 3);
  for (let i = 0; i < count; i++) {
    blobs.push({
      cx: rand(), cy: rand(), r: 0.15 + rand() * 0.3,
      color: hueColor((hue + 0.5 + (rand() - 0.5) * 0.4) % 1, 0.7, 0.55 + rand() * 0.25),
      strength: 0.55 + rand() * 0.35,
    });
  }
  const aspect = width / height;
  const spec: FieldSpec = { from, to, dx: Math.cos(angle), dy: Math.sin(angle), blobs, sx: aspect >= 1 ? aspect : 1, sy: aspect < 1 ? 1 / aspect : 1 };
  const band = Math.max(1, Math.floor(Math.min(width, height) / BANDS));
  // Field samples across a row, every `band` pixels (and at the right edge), interpolated between.
  const points = Math.ceil(width / band) + 1;
  const samples = new Float32Array(points * 3);
  const stride = width * 3;
  const data = new Uint8Array(stride * height);
  const row = new Uint8Array(stride);
  for (let y0 = 0; y0 < height; y0 += band) {
    const v = Math.min(1, (y0 + band / 2) / height);
    for (let k = 0; k < points; k++) field(Math.min(1, (k * band) / width), v, spec, samples, k * 3);
    for (let x = 0; x < width; x++) {
      const k = Math.floor(x / band);
      const t = (x - k * band) / band;
      const p = k * 3;
      row[x * 3] = samples[p] + (samples[p + 3] - samples[p]) * t;
      row[x * 3 + 1] = samples[p + 1] + (samples[p + 4] - samples[p + 1]) * t;
      row[x * 3 + 2] = samples[p + 2] + (samples[p + 5] - samples[p + 2]) * t;
    }
    const yEnd = Math.min(height, y0 + band);
    for (let y = y0; y < yEnd; y++) data.set(row, y * stride);
  }
  const image = { width, height, channels: 3 as const, data };
  drawLabel(image, 'EMULATOR');
  return image;
}

// ---- the label: the project's 5×7 font, scaled, each pixel shaded by how much of it a glyph covers ----

/** The text as a grid of font pixels: ADVANCE columns per character (the glyph and a gap), 7 rows. */
function textMask(text: string): { cols: number; mask: Uint8Array } {
  const chars = [...text];
  const cols = chars.length * ADVANCE - 1;
  const mask = new Uint8Array(cols * GLYPH_HEIGHT);
  chars.forEach((ch, k) => {
    const rows = glyphRows(ch);
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      for (let c = 0; c < GLYPH_WIDTH; c++) if (rows[r] & (1 << (GLYPH_WIDTH - 1 - c))) mask[r * cols + k * ADVANCE + c] = 1;
    }
  });
  return { cols, mask };
}

/**
 * For each output pixel along one axis, the (at most two) font cells it overlaps and how much of
 * the pixel each covers: exact area coverage, so scaled glyph edges come out smooth.
 */
function coverage(pixels: number, scale: number, cells: number): { cell: Int32Array; weight: Float32Array } {
  const cell = new Int32Array(pixels * 2).fill(-1);
  const weight = new Float32Array(pixels * 2);
  for (let p = 0; p < pixels; p++) {
    const f0 = p / scale;
    const f1 = (p + 1) / scale;
    let k = 0;
    for (let c = Math.floor(f0); c < f1 && k < 2; c++) {
      if (c < 0 || c >= cells) continue;
      cell[p * 2 + k] = c;
      weight[p * 2 + k] = (Math.min(f1, c + 1) - Math.max(f0, c)) * scale;
      k++;
    }
  }
  return { cell, weight };
}

/** A dark translucent band along the bottom with the text in near-white, centred. */
function drawLabel(image: RawImage & { channels: 3 }, text: string): void {
  const { width, height, data } = image;
  const { cols, mask } = textMask(text);
  // Letters about a twelfth of the short side tall (fractional scales are fine: coverage is exact).
  const scale = Math.max(1, Math.min(width / (cols + 6), Math.min(width, height) / 12 / GLYPH_HEIGHT));
  const textWidth = Math.ceil(cols * scale);
  const textHeight = Math.ceil(GLYPH_HEIGHT * scale);
  if (textWidth > width || textHeight > height) return; // too small to say anything legible
  const pad = Math.round(scale * 2.5);
  const bandTop = Math.max(0, height - (textHeight + pad * 2));
  const left = Math.floor((width - textWidth) / 2);
  const top = bandTop + pad;
  const across = coverage(textWidth, scale, cols);
  const down = coverage(textHeight, scale, GLYPH_HEIGHT);
  for (let y = bandTop; y < height; y++) {
    const ty = y - top;
    const inRows = ty >= 0 && ty < textHeight;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let a = 0;
      const tx = x - left;
      if (inRows && tx >= 0 && tx < textWidth) {
        for (let i = 0; i < 2; i++) {
          const row = down.cell[ty * 2 + i];
          if (row < 0) continue;
          for (let j = 0; j < 2; j++) {
            const col = across.cell[tx * 2 + j];
            if (col >= 0 && mask[row * cols + col]) a += down.weight[ty * 2 + i] * across.weight[tx * 2 + j];
          }
        }
      }
      // Darken the band (the picture stays visible behind it), then blend the text in.
      data[o] = data[o] * 0.45 * (1 - a) + 250 * a;
      data[o + 1] = data[o + 1] * 0.45 * (1 - a) + 250 * a;
      data[o + 2] = data[o + 2] * 0.45 * (1 - a) + 250 * a;
    }
  }
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
