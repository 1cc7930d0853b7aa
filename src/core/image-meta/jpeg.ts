// JPEG metadata segments: APP1 `Exif\0\0` (TIFF), APP1 XMP, and COM. The walk stops at the
// start of the image data (SOS) or after a bounded number of segments; every length is checked.

const XMP_HEADER = 'http://ns.adobe.com/xap/1.0/\u0000';
const MAX_SEGMENTS = 4096;

export interface JpegMetadata {
  readonly exif?: Uint8Array;
  readonly xmp?: string;
  readonly comments: readonly string[];
}

export const hasJpegSignature = (bytes: Uint8Array) => bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

export function readJpegMetadata(bytes: Uint8Array): JpegMetadata {
  const comments: string[] = [];
  let exif: Uint8Array | undefined;
  let xmp: string | undefined;
  let p = 2;
  for (let n = 0; n < MAX_SEGMENTS && p + 4 <= bytes.length; n++) {
    if (bytes[p] !== 0xff) break;
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // image data or end: no metadata after
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    if (length < 2 || p + 2 + length > bytes.length) break;
    const data = bytes.subarray(p + 4, p + 2 + length);
    if (marker === 0xe1) {
      const head = Buffer.from(data.subarray(0, XMP_HEADER.length)).toString('latin1');
      if (!exif && head.startsWith('Exif\u0000\u0000')) exif = data.subarray(6);
      else if (!xmp && head === XMP_HEADER) xmp = Buffer.from(data.subarray(XMP_HEADER.length)).toString('utf8');
    } else if (marker === 0xfe) {
      comments.push(Buffer.from(data).toString('utf8'));
    }
    p += 2 + length;
  }
  return { ...(exif ? { exif } : {}), ...(xmp ? { xmp } : {}), comments };
}
