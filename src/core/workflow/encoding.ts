// Files that are not UTF-8. The service reads UTF-8 JSON: a file saved as UTF-16/32 is one problem
// (not hundreds of syntax errors), and bytes that are not UTF-8 are reported where they are.

/** The encoding a file's bytes announce (byte order mark) or betray (NUL bytes between ASCII). */
export function foreignEncodingOfBytes(bytes: Uint8Array): string | undefined {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32 LE';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 BE';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 LE';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 BE';
  return nulPattern((i) => b[i], Math.min(b.length, SAMPLE));
}

/**
 * The same question for text already decoded as UTF-8 (the editor's view of a file without a byte
 * order mark): UTF-16/32 read that way is full of NUL characters. Undefined for ordinary text.
 */
export function foreignEncodingOfText(text: string): string | undefined {
  return nulPattern((i) => text.charCodeAt(i), Math.min(text.length, SAMPLE));
}

/** How much of the start of a file is looked at: the pattern shows within a few lines. */
const SAMPLE = 4096;

function nulPattern(at: (i: number) => number, n: number): string | undefined {
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < n; i++) {
    if (at(i) !== 0) continue;
    if (i % 2 === 0) nulEven++;
    else nulOdd++;
  }
  const nul = nulEven + nulOdd;
  // JSON text is almost all ASCII: as UTF-16 every other byte is NUL, as UTF-32 three in four.
  if (n < 4 || nul < n / 4) return undefined;
  if (nul >= (n * 5) / 8) return 'UTF-32';
  return nulOdd > nulEven ? 'UTF-16 LE' : 'UTF-16 BE';
}

/**
 * Decodes a file's bytes as UTF-8. Invalid sequences become U+FFFD (as in the editor), which the
 * linter reports where they stand; `invalid` says whether any byte was not UTF-8. A UTF-8 byte
 * order mark is returned apart: it is not part of the JSON.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; bom: boolean; invalid: boolean } {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let invalid = false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    invalid = true;
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body);
  }
  return { text, bom, invalid };
}

/** Where U+FFFD runs stand in `text`: [offset, length] of each run, in order. */
export function replacementRuns(text: string): Array<{ offset: number; length: number }> {
  const runs: Array<{ offset: number; length: number }> = [];
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i)) {
    let end = i + 1;
    while (end < text.length && text.charCodeAt(end) === 0xfffd) end++;
    runs.push({ offset: i, length: end - i });
    i = end;
  }
  return runs;
}
