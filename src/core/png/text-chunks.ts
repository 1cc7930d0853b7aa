// PNG text metadata: read `tEXt`, `zTXt` and `iTXt` chunks, and write the `parameters` chunk
// that A1111, Forge and Civitai use for generation parameters. Built on the chunk list of
// `chunks.ts`; decompression with Node's zlib. Bounded: a compressed chunk is inflated only when
// its keyword is one we read, and never past MAX_TEXT_CHUNK_BYTES (a 3 MB file can hold a chunk
// that inflates to gigabytes).
import { inflateSync } from 'node:zlib';
import { hasPngSignature, scanPngChunks, withChunks, type PngChunk } from './chunks';

export const PARAMETERS_KEYWORD = 'parameters';
/** The most text one chunk may hold once inflated; generation parameters are a few KB. */
export const MAX_TEXT_CHUNK_BYTES = 256 * 1024;

export interface PngTextEntry {
  readonly keyword: string;
  readonly text: string;
  readonly chunk: 'tEXt' | 'zTXt' | 'iTXt';
}

/** Thrown (and reported) when a text chunk we read would inflate past the limit. */
export class PngTextTooLargeError extends Error {
  override readonly name = 'PngTextTooLargeError';
  constructor(readonly keyword: string, readonly limit: number) {
    super(`The "${keyword}" text chunk is larger than ${Math.round(limit / 1024)} KiB once decompressed; it was not read.`);
  }
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const isText = (c: PngChunk): boolean => c.type === 'tEXt' || c.type === 'zTXt' || c.type === 'iTXt';

/** The chunk's keyword (1–79 Latin-1 bytes before a NUL), without touching the rest. */
function keywordOf(chunk: PngChunk): string | undefined {
  const nul = chunk.data.indexOf(0);
  return nul <= 0 || nul > 79 ? undefined : latin1(chunk.data.subarray(0, nul));
}

function inflateBounded(data: Uint8Array, keyword: string, limit: number): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: limit + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw new PngTextTooLargeError(keyword, limit);
    throw error;
  }
}

function decodeTextChunk(chunk: PngChunk, limit: number): PngTextEntry | undefined {
  const data = chunk.data;
  const keyword = keywordOf(chunk);
  if (keyword === undefined) return undefined;
  const nul = keyword.length;
  const bounded = (bytes: Uint8Array): Uint8Array => {
    if (bytes.length > limit) throw new PngTextTooLargeError(keyword, limit);
    return bytes;
  };
  try {
    if (chunk.type === 'tEXt') return { keyword, text: latin1(bounded(data.subarray(nul + 1))), chunk: 'tEXt' };
    if (chunk.type === 'zTXt') {
      if (data[nul + 1] !== 0) return undefined; // only deflate is defined
      return { keyword, text: latin1(bounded(inflateBounded(data.subarray(nul + 2), keyword, limit))), chunk: 'zTXt' };
    }
    if (chunk.type === 'iTXt') {
      const compressed = data[nul + 1] === 1;
      const langEnd = data.indexOf(0, nul + 3);
      if (langEnd < 0) return undefined;
      const translatedEnd = data.indexOf(0, langEnd + 1);
      if (translatedEnd < 0) return undefined;
      const body = data.subarray(translatedEnd + 1);
      return { keyword, text: utf8(bounded(compressed ? inflateBounded(body, keyword, limit) : body)), chunk: 'iTXt' };
    }
  } catch (error) {
    if (error instanceof PngTextTooLargeError) throw error;
    return undefined; // a damaged compressed chunk is skipped, not fatal
  }
  return undefined;
}

export interface ReadTextOptions {
  /** Read only entries with this keyword; the others are never decompressed. */
  keyword?: string;
  /** Largest text per entry (default MAX_TEXT_CHUNK_BYTES). */
  maxBytes?: number;
}

/**
 * Readable text entries, in file order, up to any damage in the file. Throws when the bytes are
 * not a PNG at all, and PngTextTooLargeError for an entry we read that is over the limit.
 */
export function readTextChunks(png: Uint8Array, options: ReadTextOptions = {}): PngTextEntry[] {
  const limit = options.maxBytes ?? MAX_TEXT_CHUNK_BYTES;
  // CRCs are not verified: a text chunk written by a sloppy tool is still worth reading.
  return scanPngChunks(png, { verifyCrc: false })
    .chunks.filter((c) => isText(c) && (options.keyword === undefined || keywordOf(c) === options.keyword))
    .map((c) => decodeTextChunk(c, limit))
    .filter((e): e is PngTextEntry => e !== undefined);
}

export type ParametersRead =
  | { kind: 'found'; text: string; /** Set when the file is damaged after the chunk. */ damage?: string }
  | { kind: 'missing'; damage?: string }
  | { kind: 'too-large'; message: string }
  | { kind: 'not-png' };

/** The generation parameters of a PNG, or why there are none, in words an adapter can show. */
export function readParametersFrom(png: Uint8Array): ParametersRead {
  if (!hasPngSignature(png)) return { kind: 'not-png' };
  try {
    const damage = scanPngChunks(png, { verifyCrc: false }).damage;
    const entry = readTextChunks(png, { keyword: PARAMETERS_KEYWORD })[0];
    return entry ? { kind: 'found', text: entry.text, damage } : { kind: 'missing', damage };
  } catch (error) {
    if (error instanceof PngTextTooLargeError) return { kind: 'too-large', message: error.message };
    return { kind: 'missing' };
  }
}

/** The generation parameters stored in a PNG, or undefined (none, too large, or not a PNG). */
export function readParameters(png: Buffer | Uint8Array): string | undefined {
  const read = readParametersFrom(png);
  return read.kind === 'found' ? read.text : undefined;
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
 * replaced (recognised by keyword, never decompressed), the new chunk goes with the other
 * metadata before the image data, CRCs computed. Bytes that are not a PNG (a JPEG result, a
 * damaged file) come back unchanged.
 */
export function withParameters(png: Buffer, text: string): Buffer {
  if (!hasPngSignature(png)) return png;
  try {
    const isParameters = (c: PngChunk) => isText(c) && keywordOf(c) === PARAMETERS_KEYWORD;
    const out = withChunks(png, [textChunk(PARAMETERS_KEYWORD, text)], isParameters);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return png;
  }
}
