// PNG encoder for 8-bit greyscale / RGB / RGBA pixel buffers (non-interlaced), using Node's zlib.
import { deflateSync } from 'node:zlib';
import { writePngChunks, type PngChunk } from './chunks';
import { ColorType, encodeHeader } from './header';

/** Samples per pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
export type Channels = 1 | 2 | 3 | 4;

/** Row-major 8-bit samples, `width * height * channels` long, no row padding. */
export interface RawImage {
  width: number;
  height: number;
  channels: Channels;
  data: Uint8Array;
}

/** PNG row filter (PNG spec §9.2). `up` is cheap and ideal for images with repeated rows. */
export type RowFilter = 'none' | 'sub' | 'up';

export interface EncodeOptions {
  /** zlib level 0–9 (default 6). Lower is faster and larger. */
  level?: number;
  /** One filter for every row (default `up`). */
  filter?: RowFilter;
  /** Ancillary chunks (e.g. tEXt) written after IHDR, before the image data. */
  chunks?: readonly PngChunk[];
}

const COLOR_TYPE_OF: Record<Channels, number> = {
  1: ColorType.gray,
  2: ColorType.grayAlpha,
  3: ColorType.rgb,
  4: ColorType.rgba,
};

const FILTER_CODE: Record<RowFilter, number> = { none: 0, sub: 1, up: 2 };

export function encodePng(image: RawImage, options: EncodeOptions = {}): Uint8Array {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Invalid image size ${width}x${height}`);
  }
  const stride = width * channels;
  if (data.length !== stride * height) {
    throw new RangeError(`Pixel buffer holds ${data.length} bytes; ${width}x${height}x${channels} needs ${stride * height}`);
  }
  const filter = options.filter ?? 'up';
  const code = FILTER_CODE[filter];
  const filtered = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const src = y * stride;
    const dst = y * (stride + 1);
    filtered[dst] = code;
    if (filter === 'none' || (filter === 'up' && y === 0)) {
      filtered.set(data.subarray(src, src + stride), dst + 1);
    } else if (filter === 'up') {
      const prev = src - stride;
      // A row equal to the one above filters to zeros, which the fresh buffer already holds.
      if (Buffer.compare(data.subarray(src, src + stride), data.subarray(prev, src)) === 0) continue;
      for (let i = 0; i < stride; i++) filtered[dst + 1 + i] = (data[src + i] - data[prev + i]) & 0xff;
    } else {
      for (let i = 0; i < stride; i++) {
        const left = i >= channels ? data[src + i - channels] : 0;
        filtered[dst + 1 + i] = (data[src + i] - left) & 0xff;
      }
    }
  }
  const idat = deflateSync(filtered, { level: options.level ?? 6 });
  return writePngChunks([
    encodeHeader({ width, height, bitDepth: 8, colorType: COLOR_TYPE_OF[channels], interlace: 0 }),
    ...(options.chunks ?? []),
    { type: 'IDAT', data: new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}
