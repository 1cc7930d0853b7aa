// Text edits for prompt fixes: computed on the decoded prompt, emitted on the document text with
// JSON escaping applied, and kept minimal so the user's other escapes and layout survive.
import type { TextEdit } from '../findings';
import { escapeJsonStringContent, toDocumentOffset, type JsonStringView } from './json-string';

/** Replaces decoded [from, to) of a prompt with `newText`. */
export function replaceDecoded(view: JsonStringView, from: number, to: number, newText: string): TextEdit {
  const start = toDocumentOffset(view, from);
  const end = toDocumentOffset(view, to);
  return { offset: start, length: end - start, newText: escapeJsonStringContent(newText) };
}

/** One edit turning the prompt's decoded value into `next` (common prefix and suffix kept). */
export function rewriteDecoded(view: JsonStringView, next: string): TextEdit {
  const prev = view.value;
  let p = 0;
  while (p < prev.length && p < next.length && prev[p] === next[p]) p++;
  let s = 0;
  while (s < prev.length - p && s < next.length - p && prev[prev.length - 1 - s] === next[next.length - 1 - s]) s++;
  return replaceDecoded(view, p, prev.length - s, next.slice(p, next.length - s));
}

/** Applies decoded-string splices right to left (spans must not overlap). */
export function spliceAll(text: string, splices: ReadonlyArray<{ offset: number; length: number; newText: string }>): string {
  let out = text;
  for (const e of [...splices].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}

/** Applies document edits right to left (used by tests and `lint --fix`-style callers). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return spliceAll(text, edits);
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}
