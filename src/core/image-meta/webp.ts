// WebP metadata: the RIFF container's `EXIF` and `XMP ` chunks (extended format, VP8X). Chunk
// sizes are checked against the file; the walk is bounded.

const MAX_CHUNKS = 4096;

export interface WebpMetadata {
  readonly exif?: Uint8Array;
  readonly xmp?: string;
}

export const hasWebpSignature = (bytes: Uint8Array) =>
  bytes.length >= 12 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP';

export function readWebpMetadata(bytes: Uint8Array): WebpMetadata {
  let exif: Uint8Array | undefined;
  let xmp: string | undefined;
  let p = 12;
  for (let n = 0; n < MAX_CHUNKS && p + 8 <= bytes.length; n++) {
    const type = Buffer.from(bytes.subarray(p, p + 4)).toString('latin1');
    const size = bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] * 0x1000000);
    const start = p + 8;
    if (size < 0 || start + size > bytes.length) break;
    const data = bytes.subarray(start, start + size);
    if (type === 'EXIF' && !exif) {
      // Some writers keep JPEG's `Exif\0\0` header in front of the TIFF data.
      exif = Buffer.from(data.subarray(0, 6)).toString('latin1') === 'Exif\u0000\u0000' ? data.subarray(6) : data;
    } else if (type === 'XMP ' && !xmp) {
      xmp = Buffer.from(data).toString('utf8');
    }
    p = start + size + (size % 2); // chunks are padded to an even size
  }
  return { ...(exif ? { exif } : {}), ...(xmp ? { xmp } : {}) };
}
