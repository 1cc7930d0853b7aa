// A small typed view over a parsed workflow's steps, and text-edit builders that change one JSON
// property while keeping the rest of the file exactly as the user wrote it.
import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import type { TextEdit } from '../findings';
import { diffAsSingleEdit, editsConflict } from '../fixes';
import { formatPointer, pathOfNode, type JsonNode, type WorkflowDocument } from './document';

export { pathOfNode };

export interface StepView {
  readonly index: number;
  /** The step object. */
  readonly node: JsonNode;
  readonly pointer: string;
  /** The explicit `name`, when it is a string. */
  readonly name?: string;
  /** What `$ref` uses for this step: the explicit name, or the array index as the service does. */
  readonly effectiveName: string;
  readonly type?: string;
  /** The `input` object, when there is one. */
  readonly input?: JsonNode;
  readonly inputPointer: string;
  readonly engine?: string;
  readonly ecosystem?: string;
  readonly operation?: string;
}

/** Every object in `steps`, in order (non-objects are skipped: the schema reports them). */
export function stepsOf(doc: WorkflowDocument): StepView[] {
  const stepsArray = doc.root?.type === 'object' ? memberValue(doc.root, 'steps') : undefined;
  if (stepsArray?.type !== 'array') return [];
  const views: StepView[] = [];
  (stepsArray.children ?? []).forEach((node, index) => {
    if (node.type !== 'object') return;
    const name = stringMember(node, 'name');
    const inputNode = memberValue(node, 'input');
    const input = inputNode?.type === 'object' ? inputNode : undefined;
    views.push({
      index,
      node,
      pointer: formatPointer(['steps', index]),
      name,
      effectiveName: name ?? String(index),
      type: stringMember(node, '$type'),
      input,
      inputPointer: formatPointer(['steps', index, 'input']),
      engine: input ? stringMember(input, 'engine') : undefined,
      ecosystem: input ? stringMember(input, 'ecosystem') : undefined,
      operation: input ? stringMember(input, 'operation') : undefined,
    });
  });
  return views;
}

// ---- Reading members ----

/** The `property` node (key + value) of `key` in an object node. */
export function memberProperty(object: JsonNode | undefined, key: string): JsonNode | undefined {
  if (object?.type !== 'object') return undefined;
  return object.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
}

export function memberValue(object: JsonNode | undefined, key: string): JsonNode | undefined {
  return memberProperty(object, key)?.children?.[1];
}

export function memberKeys(object: JsonNode | undefined): string[] {
  if (object?.type !== 'object') return [];
  return (object.children ?? []).map((p) => String(p.children?.[0]?.value));
}

export function stringMember(object: JsonNode | undefined, key: string): string | undefined {
  const v = memberValue(object, key);
  return v?.type === 'string' ? (v.value as string) : undefined;
}

export function numberMember(object: JsonNode | undefined, key: string): number | undefined {
  const v = memberValue(object, key);
  return v?.type === 'number' ? (v.value as number) : undefined;
}

/** Where a finding about a member is shown: its key, which is what a reader looks for. */
export function keySpan(property: JsonNode): { offset: number; length: number } {
  const key = property.children?.[0] ?? property;
  return { offset: key.offset, length: key.length };
}

// ---- Building edits ----

let lastFormatting: { text: string; options: FormattingOptions } | undefined;

/**
 * The indentation and line ending the file already uses, so inserted text blends in. Remembered
 * for the last text: every fix asks, and on a minified file the search reads the whole text
 * (10 000 duplicate step names, one fix each, took 7.8 s).
 */
export function formattingOf(text: string): FormattingOptions {
  if (lastFormatting?.text === text) return lastFormatting.options;
  const options = detectFormatting(text);
  lastFormatting = { text, options };
  return options;
}

function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)\S/.exec(text);
  if (indented?.[1].startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  const width = indented ? indented[1].length : 2;
  // The first indented line is one level deep in a JSON file; guard against odd widths.
  return { insertSpaces: true, tabSize: width > 0 && width <= 8 ? width : 2, eol };
}

/** One change to a JSON text, addressed by path (numbers for array indices). */
export type JsonChange =
  /** Sets a member or item, inserting it when absent (behind member `after` when given). */
  | { kind: 'set'; path: JSONPath; value: unknown; after?: string }
  /** Removes a member or item with its separating comma. */
  | { kind: 'remove'; path: JSONPath }
  /** Renames a member where it stands; `value`, when given, replaces its value too. */
  | { kind: 'rename'; path: JSONPath; to: string; value?: unknown };

/**
 * The edits that perform `changes` in order. Given the parsed document, changes to members that
 * exist (set, rename, remove) become edits straight from its tree: one small edit each, no
 * re-parsing (rules build fixes on every keystroke). Anything else (an insertion, changes that
 * touch each other) runs in sequence on the text, each change seeing the previous one's result,
 * and becomes one minimal edit: the user's formatting outside the changed span stays untouched.
 */
export function editsFor(source: string | WorkflowDocument, changes: readonly JsonChange[]): TextEdit[] {
  if (typeof source !== 'string' && source.root) {
    const direct = directEdits(source, changes);
    if (direct) return direct;
  }
  const text = typeof source === 'string' ? source : source.text;
  let current = text;
  for (const change of changes) current = applyChange(current, change);
  const edit = diffAsSingleEdit(text, current);
  return edit ? [edit] : [];
}

function directEdits(doc: WorkflowDocument, changes: readonly JsonChange[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const change of changes) {
    const node = doc.root ? findNodeAtLocation(doc.root, change.path) : undefined;
    if (!node) {
      // A member to add: inserted beside its sibling from the tree, so a fix never costs a pass
      // over the whole text (with one such fix per step that was quadratic in the file's size).
      const insertion = change.kind === 'set' ? insertionEdit(doc, change) : undefined;
      if (!insertion) return undefined;
      edits.push(insertion);
      continue;
    }
    if (change.kind === 'set') {
      edits.push({ offset: node.offset, length: node.length, newText: stringifyAt(doc.text, node.offset, change.value) });
    } else if (change.kind === 'rename') {
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      if (!key) return undefined;
      edits.push({ offset: key.offset, length: key.length, newText: JSON.stringify(change.to) });
      if (change.value !== undefined) edits.push({ offset: node.offset, length: node.length, newText: stringifyAt(doc.text, node.offset, change.value) });
    } else {
      const removal = removalEdit(node);
      if (!removal) return undefined;
      edits.push(removal);
    }
  }
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  if (sorted.some((e, i) => i > 0 && editsConflict(sorted[i - 1], e))) return undefined;
  return sorted;
}

/**
 * Adds member `key` to an existing, non-empty object: after member `after` when it exists, else
 * after the last member (as the text path does), on its own line with the sibling's indentation,
 * or inline when the sibling shares its line with something else.
 */
function insertionEdit(doc: WorkflowDocument, change: Extract<JsonChange, { kind: 'set' }>): TextEdit | undefined {
  const key = change.path[change.path.length - 1];
  if (typeof key !== 'string' || !doc.root) return undefined;
  const parent = findNodeAtLocation(doc.root, change.path.slice(0, -1));
  const members = parent?.type === 'object' ? parent.children ?? [] : [];
  if (members.length === 0) return undefined;
  const anchor = (change.after !== undefined && members.find((p) => p.children?.[0]?.value === change.after)) || members[members.length - 1];
  const lineStart = doc.text.lastIndexOf('\n', anchor.offset - 1) + 1;
  const indent = doc.text.slice(lineStart, anchor.offset);
  const separator = /^[ \t]*$/.test(indent) ? ',' + (formattingOf(doc.text).eol ?? '\n') + indent : ', ';
  const member = `${JSON.stringify(key)}: ${stringifyAt(doc.text, anchor.offset, change.value)}`;
  return { offset: anchor.offset + anchor.length, length: 0, newText: separator + member };
}

/** Removes a member or item with the comma that separates it: after the previous one, or before the next. */
function removalEdit(node: JsonNode): TextEdit | undefined {
  const item = node.parent?.type === 'property' ? node.parent : node;
  const siblings = item.parent?.children ?? [];
  const index = siblings.indexOf(item);
  if (index > 0) {
    const previous = siblings[index - 1];
    const start = previous.offset + previous.length;
    return { offset: start, length: item.offset + item.length - start, newText: '' };
  }
  const next = siblings[index + 1];
  if (index === 0 && next) return { offset: item.offset, length: next.offset - item.offset, newText: '' };
  return undefined; // the only member: the text-level path tidies the braces
}

/** JSON text for `value`, multi-line values indented relative to the line `offset` is on. */
function stringifyAt(text: string, offset: number, value: unknown): string {
  const options = formattingOf(text);
  const json = JSON.stringify(value, null, options.insertSpaces ? ' '.repeat(options.tabSize ?? 2) : '\t');
  if (!json.includes('\n')) return json;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const baseIndent = /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
  return json.split('\n').join((options.eol ?? '\n') + baseIndent);
}

function applyChange(text: string, change: JsonChange): string {
  const formattingOptions = formattingOf(text);
  switch (change.kind) {
    case 'set': {
      const after = change.after;
      const getInsertionIndex = after === undefined ? undefined : (keys: string[]) => {
        const i = keys.indexOf(after);
        return i < 0 ? keys.length : i + 1;
      };
      return applyEdits(text, modify(text, change.path, change.value, { formattingOptions, getInsertionIndex }));
    }
    case 'remove':
      return applyEdits(text, modify(text, change.path, undefined, { formattingOptions }));
    case 'rename': {
      let current = text;
      if (change.value !== undefined) current = applyEdits(current, modify(current, change.path, change.value, { formattingOptions }));
      const root = parseTree(current);
      const valueNode = root ? findNodeAtLocation(root, change.path) : undefined;
      const key = valueNode?.parent?.type === 'property' ? valueNode.parent.children?.[0] : undefined;
      if (!key) return current;
      return current.slice(0, key.offset) + JSON.stringify(change.to) + current.slice(key.offset + key.length);
    }
  }
}
