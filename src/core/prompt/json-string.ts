// Offsets inside a JSON string literal. The tokenizer works on the decoded string (what the
// service receives); diagnostics, completions and edits need document offsets, and every JSON
// escape (`\"`, `\\`, `\n`, `\u00e9`…) makes the two differ.

/**
 * For a raw JSON string literal (quotes included, as it appears in the file), the offset in the
 * literal of each decoded UTF-16 unit: `map[i]` is where decoded unit `i` starts; `map[length]`
 * is the position of the closing quote. Tolerates broken literals (unterminated, bad escapes):
 * whatever is there maps one to one.
 */
export function decodedToRawOffsets(literal: string): number[] {
  const map: number[] = [];
  let i = literal.startsWith('"') ? 1 : 0;
  const end = literal.length > i && literal.endsWith('"') && !endsWithEscapedQuote(literal) ? literal.length - 1 : literal.length;
  while (i < end) {
    map.push(i);
    if (literal[i] === '\\' && i + 1 < end) {
      if (literal[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(literal.slice(i + 2, i + 6))) i += 6;
      else i += 2;
    } else {
      i += 1;
    }
  }
  map.push(Math.min(i, end));
  return map;
}

function endsWithEscapedQuote(literal: string): boolean {
  // `"abc\"` (unterminated) ends with an escaped quote: count the backslashes before the last quote.
  let n = 0;
  for (let k = literal.length - 2; k >= 0 && literal[k] === '\\'; k--) n++;
  return literal.length >= 2 && n % 2 === 1;
}

/** Encodes text for use inside a JSON string literal (without the surrounding quotes). */
export function escapeJsonStringContent(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A decoded string and the way back to the document. */
export interface JsonStringView {
  /** The decoded value. */
  readonly value: string;
  /** Document offset of the literal's opening quote. */
  readonly literalOffset: number;
  /** Offsets into the literal, see `decodedToRawOffsets`. */
  readonly map: readonly number[];
}

export function jsonStringView(documentText: string, literalOffset: number, literalLength: number, value: string): JsonStringView {
  const literal = documentText.slice(literalOffset, literalOffset + literalLength);
  const map = decodedToRawOffsets(literal);
  // If decoding disagrees with the parser's value (should not happen), fall back to a clamped map.
  if (map.length !== value.length + 1) {
    const fallback = Array.from({ length: value.length + 1 }, (_, k) => Math.min(1 + k, Math.max(1, literalLength - 1)));
    return { value, literalOffset, map: fallback };
  }
  return { value, literalOffset, map };
}

/** Document offset of a decoded offset (clamped to the string). */
export function toDocumentOffset(view: JsonStringView, decodedOffset: number): number {
  const k = Math.max(0, Math.min(decodedOffset, view.map.length - 1));
  return view.literalOffset + view.map[k];
}

/** Document span [offset, offset+length) of a decoded span. */
export function toDocumentSpan(view: JsonStringView, decodedOffset: number, decodedLength: number): { offset: number; length: number } {
  const start = toDocumentOffset(view, decodedOffset);
  const end = toDocumentOffset(view, decodedOffset + decodedLength);
  return { offset: start, length: Math.max(0, end - start) };
}

/** Decoded offset of a document offset inside the literal (rounds down inside an escape). */
export function toDecodedOffset(view: JsonStringView, documentOffset: number): number {
  const raw = documentOffset - view.literalOffset;
  let lo = 0;
  let hi = view.map.length - 1;
  if (raw <= view.map[0]) return 0;
  if (raw >= view.map[hi]) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (view.map[mid] <= raw) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
