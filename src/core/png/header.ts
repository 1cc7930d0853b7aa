// The IHDR chunk: image size and pixel format.
import { PngFormatError, readPngChunks, hasPngSignature, type PngChunk } from './chunks';

/** PNG colour types (PNG spec, table 11.1). */
export const ColorType = { gray: 0, rgb: 2, palette: 3, grayAlpha: 4, rgba: 6 } as const;
export type ColorTypeCode = (typeof ColorType)[keyof typeof ColorType];

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

export function encodeHeader(h: PngHeader): PngChunk {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, h.width);
  view.setUint32(4, h.height);
  data[8] = h.bitDepth;
  data[9] = h.colorType;
  data[10] = 0; // compression: deflate
  data[11] = 0; // filter method 0
  data[12] = h.interlace;
  return { type: 'IHDR', data };
}

export function decodeHeader(chunk: PngChunk): PngHeader {
  if (chunk.type !== 'IHDR' || chunk.data.length !== 13) throw new PngFormatError('Damaged PNG: bad IHDR chunk');
  const view = new DataView(chunk.data.buffer, chunk.data.byteOffset, 13);
  const header = {
    width: view.getUint32(0),
    height: view.getUint32(4),
    bitDepth: chunk.data[8],
    colorType: chunk.data[9],
    interlace: chunk.data[12],
  };
  if (header.width === 0 || header.height === 0) throw new PngFormatError('Damaged PNG: zero width or height');
  return header;
}

/**
 * Reads only the header: cheap, for "how big is this image" questions (e.g. the cost of
 * upscaling a data-URL image). Checks the IHDR CRC but not the rest of the file.
 */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  if (!hasPngSignature(bytes)) throw new PngFormatError('Not a PNG file (the signature is missing)');
  if (bytes.length < 33) throw new PngFormatError('Truncated PNG: no complete IHDR chunk');
  // Parse the signature + IHDR only, by handing a minimal prefix to the chunk reader.
  const prefix = new Uint8Array(33 + 12);
  prefix.set(bytes.subarray(0, 33));
  // A synthetic empty IEND (length 0, "IEND", CRC 0xAE426082) terminates the prefix.
  prefix.set([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], 33);
  return decodeHeader(readPngChunks(prefix)[0]);
}
