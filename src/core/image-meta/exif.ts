// The two EXIF fields tools write generation parameters into: `UserComment` (A1111 and Forge
// for JPEG and WebP, via piexif: an 8-byte charset prefix, then the text) and, as a fallback,
// `ImageDescription`. A TIFF structure reader that follows only IFD0 and its Exif IFD, checks
// every offset against the buffer and reads a bounded number of entries: a hostile file costs
// at most a few thousand reads.

const TAG_IMAGE_DESCRIPTION = 0x010e;
const TAG_EXIF_IFD = 0x8769;
const TAG_USER_COMMENT = 0x9286;
const TAG_XP_COMMENT = 0x9c9c;
const MAX_ENTRIES = 512;
const TYPE_SIZES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

export interface ExifText {
  readonly userComment?: string;
  readonly imageDescription?: string;
  readonly xpComment?: string;
}

/** Reads the text fields from a TIFF-structured EXIF block (after any `Exif\0\0` header). */
export function readExifText(tiff: Uint8Array): ExifText {
  if (tiff.length < 8) return {};
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return {};
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  if (u16(2) !== 42) return {};

  const entries = (ifd: number): Map<number, Uint8Array> => {
    const out = new Map<number, Uint8Array>();
    if (ifd < 8 || ifd + 2 > tiff.length) return out;
    const count = Math.min(u16(ifd), MAX_ENTRIES);
    for (let i = 0; i < count; i++) {
      const at = ifd + 2 + i * 12;
      if (at + 12 > tiff.length) break;
      const tag = u16(at);
      const size = (TYPE_SIZES[u16(at + 2)] ?? 0) * u32(at + 4);
      if (size === 0) continue;
      const start = size <= 4 ? at + 8 : u32(at + 8);
      if (start + size > tiff.length) continue;
      out.set(tag, tiff.subarray(start, start + size));
    }
    return out;
  };

  const ifd0 = entries(u32(4));
  const exifPointer = ifd0.get(TAG_EXIF_IFD);
  const exif = exifPointer && exifPointer.length === 4 ? entries(new DataView(exifPointer.buffer, exifPointer.byteOffset, 4).getUint32(0, little)) : new Map<number, Uint8Array>();
  const userComment = exif.get(TAG_USER_COMMENT) ?? ifd0.get(TAG_USER_COMMENT);
  const description = ifd0.get(TAG_IMAGE_DESCRIPTION);
  const xp = ifd0.get(TAG_XP_COMMENT);
  return {
    ...(userComment ? nonEmpty('userComment', decodeUserComment(userComment, little)) : {}),
    ...(description ? nonEmpty('imageDescription', Buffer.from(description).toString('utf8').replace(/\u0000+$/, '')) : {}),
    ...(xp ? nonEmpty('xpComment', Buffer.from(xp).toString('utf16le').replace(/\u0000+$/, '')) : {}),
  };
}

function nonEmpty<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value.trim() ? ({ [key]: value } as Record<K, string>) : {};
}

/**
 * `UserComment`: 8 bytes naming the charset, then the text. `UNICODE` is UTF-16 whose byte order
 * writers disagree on (piexif writes big-endian whatever the TIFF order), so it is read from the
 * bytes: ASCII-range text has its zero bytes on one side.
 */
export function decodeUserComment(bytes: Uint8Array, littleEndianTiff = false): string {
  const prefix = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  const body = bytes.subarray(8);
  let text: string;
  if (prefix.startsWith('UNICODE')) {
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i < Math.min(body.length, 512); i++) if (body[i] === 0) (i % 2 === 0 ? evenZeros++ : oddZeros++);
    const bigEndian = evenZeros > oddZeros || (evenZeros === oddZeros && !littleEndianTiff);
    text = bigEndian ? utf16be(body) : Buffer.from(body).toString('utf16le');
  } else if (prefix.startsWith('ASCII') || prefix === '\u0000'.repeat(8)) {
    text = Buffer.from(body).toString('utf8');
  } else {
    // No recognised prefix: some writers put the text alone.
    text = Buffer.from(bytes).toString('utf8');
  }
  return text.replace(/^\uFEFF/, '').replace(/\u0000+$/, '');
}

function utf16be(bytes: Uint8Array): string {
  const swapped = Buffer.alloc(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1];
    swapped[i + 1] = bytes[i];
  }
  return swapped.toString('utf16le');
}
