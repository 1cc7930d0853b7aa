// Text edits for prompt fixes: computed on the decoded prompt, emitted on the document text with
// JSON escaping applied, and kept minimal so the user's other escapes and layout survive.
import type { TextEdit } from '../findings';
import { nodeAtPointer, type JsonNode, type WorkflowDocument } from '../workflow/document';
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

/** The indentation of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * An edit that adds `"<air>": <strength>` to the step's `loras` map, creating the map when there
 * is none. Undefined when `loras` exists but is not an object (the schema reports that).
 */
export function addLoraEdit(doc: WorkflowDocument, inputPointer: string, air: string, strength: number): TextEdit | undefined {
  const member = `${JSON.stringify(air)}: ${formatNumber(strength)}`;
  const loras = nodeAtPointer(doc, `${inputPointer}/loras`);
  if (loras) {
    if (loras.type !== 'object') return undefined;
    const props = loras.children ?? [];
    if (props.length === 0) return { offset: loras.offset, length: loras.length, newText: `{ ${member} }` };
    const last = props[props.length - 1];
    const multiline = doc.text.slice(loras.offset, last.offset).includes('\n');
    const sep = multiline ? `,\n${indentAt(doc.text, last.offset)}` : ', ';
    return { offset: last.offset + last.length, length: 0, newText: `${sep}${member}` };
  }
  const input = nodeAtPointer(doc, inputPointer);
  if (!input || input.type !== 'object') return undefined;
  const props: JsonNode[] = input.children ?? [];
  if (props.length === 0) return { offset: input.offset + 1, length: 0, newText: ` "loras": { ${member} } ` };
  const last = props[props.length - 1];
  const multiline = doc.text.slice(input.offset, last.offset).includes('\n');
  const sep = multiline ? `,\n${indentAt(doc.text, last.offset)}` : ', ';
  return { offset: last.offset + last.length, length: 0, newText: `${sep}"loras": { ${member} }` };
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}
