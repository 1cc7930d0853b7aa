// Generation parameters from an image file, whatever its format: PNG text chunks (`parameters`),
// JPEG and WebP EXIF `UserComment` (what A1111 and Forge write), XMP, or a JPEG comment.
// Every reader is bounded; damaged or foreign bytes give undefined, never an exception.
import { hasPngSignature } from '../png/chunks';
import { readParameters } from '../png/text-chunks';
import { readExifText } from './exif';
import { hasJpegSignature, readJpegMetadata } from './jpeg';
import { hasWebpSignature, readWebpMetadata } from './webp';
import { readXmpParameters } from './xmp';

export type ImageKind = 'png' | 'jpeg' | 'webp';

export function imageKind(bytes: Uint8Array): ImageKind | undefined {
  if (hasPngSignature(bytes)) return 'png';
  if (hasJpegSignature(bytes)) return 'jpeg';
  if (hasWebpSignature(bytes)) return 'webp';
  return undefined;
}

/** Where the parameters were found, for messages. */
export type ParametersSource = 'PNG text chunk' | 'EXIF UserComment' | 'EXIF ImageDescription' | 'XMP' | 'JPEG comment';

export function readImageParameters(bytes: Uint8Array): { text: string; source: ParametersSource } | undefined {
  try {
    const kind = imageKind(bytes);
    if (kind === 'png') {
      const text = readParameters(bytes);
      return text !== undefined ? { text, source: 'PNG text chunk' } : undefined;
    }
    if (kind === 'jpeg') {
      const meta = readJpegMetadata(bytes);
      return fromExifAndXmp(meta.exif, meta.xmp) ?? fromComments(meta.comments);
    }
    if (kind === 'webp') {
      const meta = readWebpMetadata(bytes);
      return fromExifAndXmp(meta.exif, meta.xmp);
    }
  } catch {
    // A structure the readers did not expect: no parameters rather than a crash.
  }
  return undefined;
}

function fromExifAndXmp(exif: Uint8Array | undefined, xmp: string | undefined): { text: string; source: ParametersSource } | undefined {
  const fields = exif ? readExifText(exif) : {};
  if (fields.userComment) return { text: fields.userComment, source: 'EXIF UserComment' };
  const fromXmp = xmp ? readXmpParameters(xmp) : undefined;
  if (fromXmp) return { text: fromXmp, source: 'XMP' };
  const description = fields.imageDescription ?? fields.xpComment;
  return description ? { text: description, source: 'EXIF ImageDescription' } : undefined;
}

function fromComments(comments: readonly string[]): { text: string; source: ParametersSource } | undefined {
  const text = comments.find((c) => /Steps:\s*\d/.test(c));
  return text ? { text, source: 'JPEG comment' } : undefined;
}
