// PNG container level: signature, chunk framing and CRC-32. Encoders, decoders and metadata
// helpers (e.g. tEXt `parameters` read/write) all work on the chunk list this module produces,
// so adding a chunk kind never means touching pixel code.

export const PNG_SIGNATURE: Uint8Array = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** A chunk with its 4-letter type (e.g. `IHDR`, `IDAT`, `tEXt`) and its data (no length/CRC). */
export interface PngChunk {
  type: string;
  data: Uint8Array;
}

/** Thrown on bytes that are not a PNG we can read; the message says what is wrong. */
export class PngFormatError extends Error {
  override readonly name = 'PngFormatError';
}

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses it); `crc` continues a running value. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function hasPngSignature(bytes: Uint8Array): boolean {
  if (bytes.length < PNG_SIGNATURE.length) return false;
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

function typeBytes(type: string): Uint8Array {
  if (!/^[A-Za-z]{4}$/.test(type)) throw new PngFormatError(`Invalid chunk type "${type}": four ASCII letters expected`);
  return Uint8Array.from(type, (ch) => ch.charCodeAt(0));
}

export interface ReadChunksOptions {
  /** Check every chunk's CRC (default true). */
  verifyCrc?: boolean;
}

/** The chunks read, and where and why reading stopped early (a truncated or damaged file). */
export interface ChunkScan {
  chunks: PngChunk[];
  /** Undefined when the file is whole (signature, IHDR first, IEND last). */
  damage?: string;
}

/**
 * Reads chunks up to the first damage instead of throwing: a truncated download whose text
 * chunks came before the damage still gives them. Throws only when the signature is missing.
 */
export function scanPngChunks(bytes: Uint8Array, options: ReadChunksOptions = {}): ChunkScan {
  const verify = options.verifyCrc ?? true;
  if (!hasPngSignature(bytes)) throw new PngFormatError('Not a PNG file (the signature is missing)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let pos = PNG_SIGNATURE.length;
  const stop = (damage: string): ChunkScan => ({ chunks, damage });
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length) return stop(`Truncated PNG: incomplete chunk header at byte ${pos}`);
    const length = view.getUint32(pos);
    const typeStart = pos + 4;
    const dataStart = pos + 8;
    const dataEnd = dataStart + length;
    if (length > 0x7fffffff || dataEnd + 4 > bytes.length) return stop(`Truncated PNG: a chunk at byte ${pos} claims ${length} bytes`);
    const type = ascii(bytes.subarray(typeStart, dataStart));
    if (!/^[A-Za-z]{4}$/.test(type)) return stop(`Damaged PNG: invalid chunk type at byte ${pos}`);
    if (verify) {
      const expected = view.getUint32(dataEnd);
      if (crc32(bytes.subarray(typeStart, dataEnd)) !== expected) return stop(`Damaged PNG: CRC mismatch in the ${type} chunk at byte ${pos}`);
    }
    if (chunks.length === 0 && type !== 'IHDR') return stop('Damaged PNG: the first chunk is not IHDR');
    chunks.push({ type, data: bytes.subarray(dataStart, dataEnd) });
    pos = dataEnd + 4;
    if (type === 'IEND') return { chunks };
  }
  return stop(chunks.length === 0 ? 'Damaged PNG: the first chunk is not IHDR' : 'Truncated PNG: no IEND chunk');
}

/** Splits a PNG into its chunks, up to and including IEND. Throws PngFormatError on damage. */
export function readPngChunks(bytes: Uint8Array, options: ReadChunksOptions = {}): PngChunk[] {
  const { chunks, damage } = scanPngChunks(bytes, options);
  if (damage) throw new PngFormatError(damage);
  return chunks;
}

/** Serialises chunks (signature, then length/type/data/CRC for each) into one PNG byte array. */
export function writePngChunks(chunks: readonly PngChunk[]): Uint8Array {
  const total = PNG_SIGNATURE.length + chunks.reduce((n, c) => n + 12 + c.data.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(PNG_SIGNATURE, 0);
  let pos = PNG_SIGNATURE.length;
  for (const chunk of chunks) {
    const type = typeBytes(chunk.type);
    view.setUint32(pos, chunk.data.length);
    out.set(type, pos + 4);
    out.set(chunk.data, pos + 8);
    const crc = crc32(chunk.data, crc32(type));
    view.setUint32(pos + 8 + chunk.data.length, crc);
    pos += 12 + chunk.data.length;
  }
  return out;
}

/**
 * Returns a copy of the PNG with `extra` chunks inserted just before the first IDAT (where
 * metadata such as tEXt is conventionally placed) and chunks matching `remove` dropped.
 */
export function withChunks(
  bytes: Uint8Array,
  extra: readonly PngChunk[],
  remove: (chunk: PngChunk) => boolean = () => false,
): Uint8Array {
  const kept = readPngChunks(bytes).filter((c) => !remove(c));
  const firstData = kept.findIndex((c) => c.type === 'IDAT');
  const at = firstData < 0 ? kept.length - 1 : firstData;
  return writePngChunks([...kept.slice(0, at), ...extra, ...kept.slice(at)]);
}
