// PNG text metadata: read `tEXt`, `zTXt` and `iTXt` chunks, and write the `parameters` chunk
// that A1111, Forge and Civitai use for generation parameters. Built on the chunk list of
// `chunks.ts`; decompression with Node's zlib.
import { inflateSync } from 'node:zlib';
import { hasPngSignature, readPngChunks, withChunks, type PngChunk } from './chunks';

export const PARAMETERS_KEYWORD = 'parameters';

export interface PngTextEntry {
  readonly keyword: string;
  readonly text: string;
  readonly chunk: 'tEXt' | 'zTXt' | 'iTXt';
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

function decodeTextChunk(chunk: PngChunk): PngTextEntry | undefined {
  const data = chunk.data;
  const nul = data.indexOf(0);
  if (nul <= 0 || nul > 79) return undefined; // keywords are 1–79 bytes
  const keyword = latin1(data.subarray(0, nul));
  try {
    if (chunk.type === 'tEXt') return { keyword, text: latin1(data.subarray(nul + 1)), chunk: 'tEXt' };
    if (chunk.type === 'zTXt') {
      if (data[nul + 1] !== 0) return undefined; // only deflate is defined
      return { keyword, text: latin1(inflateSync(data.subarray(nul + 2))), chunk: 'zTXt' };
    }
    if (chunk.type === 'iTXt') {
      const compressed = data[nul + 1] === 1;
      const langEnd = data.indexOf(0, nul + 3);
      if (langEnd < 0) return undefined;
      const translatedEnd = data.indexOf(0, langEnd + 1);
      if (translatedEnd < 0) return undefined;
      const body = data.subarray(translatedEnd + 1);
      return { keyword, text: utf8(compressed ? inflateSync(body) : body), chunk: 'iTXt' };
    }
  } catch {
    return undefined; // a damaged compressed chunk is skipped, not fatal
  }
  return undefined;
}

/** Every readable text entry, in file order. Throws only when the bytes are not a PNG at all. */
export function readTextChunks(png: Uint8Array): PngTextEntry[] {
  // CRCs are not verified: a text chunk written by a sloppy tool is still worth reading.
  return readPngChunks(png, { verifyCrc: false })
    .filter((c) => c.type === 'tEXt' || c.type === 'zTXt' || c.type === 'iTXt')
    .map(decodeTextChunk)
    .filter((e): e is PngTextEntry => e !== undefined);
}

/** The generation parameters stored in a PNG, or undefined (no chunk, or not a readable PNG). */
export function readParameters(png: Buffer | Uint8Array): string | undefined {
  if (!hasPngSignature(png)) return undefined;
  try {
    return readTextChunks(png).find((e) => e.keyword === PARAMETERS_KEYWORD)?.text;
  } catch {
    return undefined;
  }
}

function textChunk(keyword: string, text: string): PngChunk {
  const key = Buffer.from(keyword, 'latin1');
  // tEXt holds Latin-1 only; anything else (CJK tags, emoji) needs iTXt with UTF-8, as PIL does.
  const isLatin1 = [...text].every((ch) => ch.codePointAt(0)! <= 0xff);
  if (isLatin1) return { type: 'tEXt', data: Buffer.concat([key, Buffer.of(0), Buffer.from(text, 'latin1')]) };
  // keyword \0 compression-flag(0) method(0) language-tag "" \0 translated-keyword "" \0 text
  return { type: 'iTXt', data: Buffer.concat([key, Buffer.of(0, 0, 0, 0, 0), Buffer.from(text, 'utf8')]) };
}

/**
 * A copy of the PNG with its generation parameters set: any earlier `parameters` entry is
 * replaced, the new chunk goes with the other metadata before the image data, CRCs computed.
 * Bytes that are not a PNG (a JPEG result, a damaged file) come back unchanged.
 */
export function withParameters(png: Buffer, text: string): Buffer {
  if (!hasPngSignature(png)) return png;
  try {
    const isParameters = (c: PngChunk) => (c.type === 'tEXt' || c.type === 'zTXt' || c.type === 'iTXt') && decodeTextChunk(c)?.keyword === PARAMETERS_KEYWORD;
    const out = withChunks(png, [textChunk(PARAMETERS_KEYWORD, text)], isParameters);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return png;
  }
}
