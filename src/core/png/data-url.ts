// Image fields in the contract take "a URL, a data URL or a Base64 string". These helpers read
// PNG bytes out of the latter two forms (URLs need a fetch, which is not core's business).
import { hasPngSignature, PngFormatError } from './chunks';
import { readPngHeader, type PngHeader } from './header';

const DATA_URL = /^data:([^;,]*)(;[^,]*)?,/i;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The base64 payload of a data URL or bare Base64 string; undefined for anything else. */
function base64Payload(value: string): string | undefined {
  const m = DATA_URL.exec(value);
  if (m) return /;base64/i.test(m[2] ?? '') ? value.slice(m[0].length) : undefined;
  if (value.length >= 16 && BASE64.test(value.slice(0, 4096))) return value;
  return undefined;
}

/** PNG bytes from a data URL or bare Base64 string, or undefined when it holds no PNG. */
export function pngBytesFromDataUrl(value: string): Uint8Array | undefined {
  const payload = base64Payload(value);
  if (payload === undefined) return undefined;
  const bytes = new Uint8Array(Buffer.from(payload, 'base64'));
  return hasPngSignature(bytes) ? bytes : undefined;
}

/**
 * The PNG header of a data URL / Base64 image, decoding only its first few bytes (cheap even
 * for a multi-megabyte string on every keystroke). Undefined when it is not a readable PNG.
 */
export function pngHeaderFromImageString(value: string): PngHeader | undefined {
  const payload = base64Payload(value);
  if (payload === undefined) return undefined;
  // 33 bytes (signature + IHDR) need 44 base64 characters; take a few more for safety.
  const bytes = new Uint8Array(Buffer.from(payload.slice(0, 64), 'base64'));
  try {
    return readPngHeader(bytes);
  } catch (err) {
    if (err instanceof PngFormatError) return undefined;
    throw err;
  }
}
