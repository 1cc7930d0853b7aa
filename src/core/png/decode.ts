// PNG decoder to 8-bit samples: every colour type at bit depth 8 or 16 (16 is reduced to 8),
// palettes expanded (with tRNS alpha). Interlaced and sub-byte images are refused with a
// clear error: the emulator and parameter import never need them.
import { inflateSync } from 'node:zlib';
import { PngFormatError, readPngChunks } from './chunks';
import { ColorType, decodeHeader, type PngHeader } from './header';
import type { Channels, RawImage } from './encode';

export interface DecodeOptions {
  /** Refuse images with more pixels than this (default 64 Mi), before inflating anything. */
  maxPixels?: number;
}

export interface DecodedPng extends RawImage {
  header: PngHeader;
}

const SAMPLES: Record<number, number> = {
  [ColorType.gray]: 1,
  [ColorType.rgb]: 3,
  [ColorType.palette]: 1,
  [ColorType.grayAlpha]: 2,
  [ColorType.rgba]: 4,
};

export function decodePng(bytes: Uint8Array, options: DecodeOptions = {}): DecodedPng {
  const chunks = readPngChunks(bytes);
  const header = decodeHeader(chunks[0]);
  const { width, height, bitDepth, colorType, interlace } = header;
  const samples = SAMPLES[colorType];
  if (samples === undefined) throw new PngFormatError(`Unsupported PNG colour type ${colorType}`);
  if (bitDepth !== 8 && bitDepth !== 16) throw new PngFormatError(`Unsupported PNG bit depth ${bitDepth} (8 or 16 expected)`);
  if (colorType === ColorType.palette && bitDepth !== 8) throw new PngFormatError('Unsupported palette bit depth');
  if (interlace !== 0) throw new PngFormatError('Interlaced PNGs are not supported');
  const maxPixels = options.maxPixels ?? 64 * 1024 * 1024;
  if (width * height > maxPixels) throw new PngFormatError(`PNG too large: ${width}x${height} exceeds ${maxPixels} pixels`);

  const idat = chunks.filter((c) => c.type === 'IDAT');
  if (idat.length === 0) throw new PngFormatError('Damaged PNG: no image data');
  const bytesPerSample = bitDepth / 8;
  const bpp = samples * bytesPerSample; // bytes per complete pixel (filter unit)
  const stride = width * bpp;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat.map((c) => c.data)), { maxOutputLength: (stride + 1) * height + 1 });
  } catch (err) {
    throw new PngFormatError(`Damaged PNG: image data does not inflate (${(err as Error).message})`);
  }
  if (raw.length < (stride + 1) * height) throw new PngFormatError('Truncated PNG: image data is short');

  const unfiltered = unfilter(raw, width, height, bpp);
  const eight = bytesPerSample === 2 ? takeHighBytes(unfiltered) : unfiltered;

  if (colorType === ColorType.palette) return { ...expandPalette(eight, width, height, chunks), header };
  return { width, height, channels: samples as Channels, data: eight, header };
}

function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const prev = dst - stride;
    // One loop per filter type: the per-byte switch would dominate decoding time.
    switch (filter) {
      case 0:
        out.set(raw.subarray(src, src + stride), dst);
        break;
      case 1:
        for (let i = 0; i < stride; i++) out[dst + i] = (raw[src + i] + (i >= bpp ? out[dst + i - bpp] : 0)) & 0xff;
        break;
      case 2:
        if (y === 0) out.set(raw.subarray(src, src + stride), dst);
        else for (let i = 0; i < stride; i++) out[dst + i] = (raw[src + i] + out[prev + i]) & 0xff;
        break;
      case 3:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? out[dst + i - bpp] : 0;
          const b = y > 0 ? out[prev + i] : 0;
          out[dst + i] = (raw[src + i] + ((a + b) >> 1)) & 0xff;
        }
        break;
      case 4:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? out[dst + i - bpp] : 0;
          const b = y > 0 ? out[prev + i] : 0;
          const c = y > 0 && i >= bpp ? out[prev + i - bpp] : 0;
          out[dst + i] = (raw[src + i] + paeth(a, b, c)) & 0xff;
        }
        break;
      default:
        throw new PngFormatError(`Damaged PNG: unknown row filter ${filter} on row ${y}`);
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function takeHighBytes(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = data[i * 2];
  return out;
}

function expandPalette(indices: Uint8Array, width: number, height: number, chunks: ReturnType<typeof readPngChunks>): RawImage {
  const plte = chunks.find((c) => c.type === 'PLTE');
  if (!plte || plte.data.length % 3 !== 0) throw new PngFormatError('Damaged PNG: palette image without a valid PLTE chunk');
  const trns = chunks.find((c) => c.type === 'tRNS')?.data;
  const channels: Channels = trns ? 4 : 3;
  const entries = plte.data.length / 3;
  const out = new Uint8Array(width * height * channels);
  for (let i = 0; i < indices.length; i++) {
    const idx = indices[i];
    if (idx >= entries) throw new PngFormatError(`Damaged PNG: palette index ${idx} out of range`);
    const o = i * channels;
    out[o] = plte.data[idx * 3];
    out[o + 1] = plte.data[idx * 3 + 1];
    out[o + 2] = plte.data[idx * 3 + 2];
    if (trns) out[o + 3] = idx < trns.length ? trns[idx] : 255;
  }
  return { width, height, channels, data: out };
}
