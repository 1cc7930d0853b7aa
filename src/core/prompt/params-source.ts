// Where generation parameters come from before they are parsed: a PNG's `parameters` chunk, a
// JPEG's or WebP's EXIF/XMP, or plain text (a file, stdin, the clipboard). Both entry points (the CLI's import-params and the
// editor's Import Generation Parameters) go through here, so both refuse oversized input with the
// same message before the parser ever sees it.
import { hasPngSignature } from '../png/chunks';
import { MAX_TEXT_CHUNK_BYTES, readParametersFrom } from '../png/text-chunks';
import { imageKind, readImageParameters } from '../image-meta';

/** Largest parameter text accepted; real ones are a few KB (prompts, LoRAs, settings). */
export const MAX_PARAMETERS_TEXT_BYTES = MAX_TEXT_CHUNK_BYTES;
/** Largest image read for its parameters (the metadata is usually near the start; pixels are skipped). */
export const MAX_PARAMETERS_PNG_BYTES = 64 * 1024 * 1024;

export type ParametersSource =
  | { ok: true; text: string; /** A note for the user, e.g. the file is damaged after the chunk. */ note?: string }
  | { ok: false; message: string };

const kib = (n: number): string => `${Math.round(n / 1024)} KiB`;

/** Why text of this many bytes is refused, or undefined when it is fine. */
export function parametersTextTooLarge(byteLength: number, label: string): string | undefined {
  return byteLength > MAX_PARAMETERS_TEXT_BYTES
    ? `${label} holds ${kib(byteLength)} of text; generation parameters are at most ${kib(MAX_PARAMETERS_TEXT_BYTES)} (a few KB is usual). Paste or select only the parameters block.`
    : undefined;
}

/** The parameter text in `bytes` (a PNG, JPEG, WebP or UTF-8 text), or a message saying why there is none. */
export function parametersFromBytes(bytes: Uint8Array, label: string): ParametersSource {
  const kind = imageKind(bytes);
  if (kind === 'jpeg' || kind === 'webp') {
    if (bytes.length > MAX_PARAMETERS_PNG_BYTES) return { ok: false, message: `${label} is larger than ${MAX_PARAMETERS_PNG_BYTES / 1024 / 1024} MiB; not read.` };
    const found = readImageParameters(bytes);
    if (!found) return { ok: false, message: `${label} is a ${kind.toUpperCase()} without generation parameters (no EXIF UserComment or XMP description)` };
    const tooLarge = parametersTextTooLarge(Buffer.byteLength(found.text, 'utf8'), `${label}'s ${found.source}`);
    return tooLarge ? { ok: false, message: tooLarge } : { ok: true, text: found.text };
  }
  if (hasPngSignature(bytes)) {
    if (bytes.length > MAX_PARAMETERS_PNG_BYTES) return { ok: false, message: `${label} is larger than ${MAX_PARAMETERS_PNG_BYTES / 1024 / 1024} MiB; not read.` };
    const read = readParametersFrom(bytes);
    if (read.kind === 'too-large') return { ok: false, message: `${label}: ${read.message}` };
    if (read.kind !== 'found') {
      const damage = read.kind === 'missing' && read.damage ? ` (${read.damage}; read up to the damage)` : '';
      return { ok: false, message: `${label} is a PNG without generation parameters (no "parameters" text chunk)${damage}` };
    }
    return { ok: true, text: read.text, note: read.damage ? `${label}: ${read.damage}; the parameters before it were read.` : undefined };
  }
  const tooLarge = parametersTextTooLarge(bytes.length, label);
  if (tooLarge) return { ok: false, message: tooLarge };
  return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
}
