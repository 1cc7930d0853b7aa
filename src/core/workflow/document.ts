// A parsed workflow file: the text, its jsonc-parser tree, and conversions between
// JSON Pointers, tree nodes, offsets and line/character positions.
import { parseTree, findNodeAtLocation, getNodeValue, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Position, Range } from '../findings';

export type JsonNode = Node;
export type PathSegment = string | number;

export interface SyntaxProblem {
  message: string;
  offset: number;
  length: number;
}

export interface WorkflowDocument {
  readonly text: string;
  /** Undefined only when the text holds no JSON value at all. */
  readonly root: JsonNode | undefined;
  /** The value as far as it could be parsed (jsonc-parser recovers from most errors). */
  readonly value: unknown;
  readonly syntaxErrors: readonly SyntaxProblem[];
  readonly lineStarts: readonly number[];
}

export function parseWorkflowDocument(text: string): WorkflowDocument {
  const errors: ParseError[] = [];
  // Workflow files are strict JSON for the service, but comments and trailing commas are
  // reported as syntax errors rather than refused, so the rest of the file is still checked.
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const value = root ? safeNodeValue(root) : undefined;
  return {
    text,
    root,
    value,
    syntaxErrors: errors.map((e) => ({ message: describeParseError(e), offset: e.offset, length: Math.max(e.length, 1) })),
    lineStarts: computeLineStarts(text),
  };
}

function safeNodeValue(node: JsonNode): unknown {
  try {
    return getNodeValue(node);
  } catch {
    return undefined;
  }
}

function describeParseError(e: ParseError): string {
  const code = printParseErrorCode(e.error);
  const readable: Record<string, string> = {
    InvalidSymbol: 'Unexpected character',
    InvalidNumberFormat: 'Invalid number',
    PropertyNameExpected: 'Expected a property name in double quotes',
    ValueExpected: 'Expected a value',
    ColonExpected: 'Expected a colon after the property name',
    CommaExpected: 'Expected a comma',
    CloseBraceExpected: 'Expected a closing brace "}"',
    CloseBracketExpected: 'Expected a closing bracket "]"',
    EndOfFileExpected: 'Unexpected content after the end of the JSON value',
    InvalidCommentToken: 'Comments are not allowed in workflow JSON',
    UnexpectedEndOfComment: 'Unterminated comment',
    UnexpectedEndOfString: 'Unterminated string',
    UnexpectedEndOfNumber: 'Unterminated number',
    InvalidUnicode: 'Invalid unicode escape',
    InvalidEscapeCharacter: 'Invalid escape character in string',
    InvalidCharacter: 'Invalid character in string',
  };
  return readable[code] ?? code;
}

/** Offsets where each line starts (after \n, \r\n or a lone \r). */
export function lineStartsOf(text: string): number[] {
  return computeLineStarts(text);
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    // The usual case, and several times faster on large files: indexOf scans natively.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function offsetToPosition(doc: Pick<WorkflowDocument, 'lineStarts' | 'text'>, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, doc.text.length));
  const starts = doc.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= clamped) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: clamped - starts[lo] };
}

export function positionToOffset(doc: Pick<WorkflowDocument, 'lineStarts' | 'text'>, pos: Position): number {
  const line = Math.max(0, Math.min(pos.line, doc.lineStarts.length - 1));
  return Math.min(doc.lineStarts[line] + Math.max(0, pos.character), doc.text.length);
}

export function rangeOf(doc: Pick<WorkflowDocument, 'lineStarts' | 'text'>, offset: number, length: number): Range {
  return { start: offsetToPosition(doc, offset), end: offsetToPosition(doc, offset + length) };
}

// ---- JSON Pointer (RFC 6901) ----

export function formatPointer(path: readonly PathSegment[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`Not a JSON Pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The node at a pointer: the value node (for object members, the value, not the property). */
export function nodeAtPointer(doc: WorkflowDocument, pointer: string): JsonNode | undefined {
  if (!doc.root) return undefined;
  const path: PathSegment[] = [];
  let node: JsonNode | undefined = doc.root;
  for (const seg of parsePointer(pointer)) {
    if (!node) return undefined;
    path.push(node.type === 'array' && /^\d+$/.test(seg) ? Number(seg) : seg);
    node = findNodeAtLocation(doc.root, path);
  }
  return node;
}

/** The `property` node (key + value) for an object member pointer, if there is one. */
export function propertyNodeAtPointer(doc: WorkflowDocument, pointer: string): JsonNode | undefined {
  const value = nodeAtPointer(doc, pointer);
  return value?.parent?.type === 'property' ? value.parent : undefined;
}

/** The path of a node from the root, numbers for array indices (a property node maps to its value). */
export function pathOfNode(node: JsonNode): PathSegment[] {
  const path: PathSegment[] = [];
  let current: JsonNode | undefined = node.type === 'property' ? node.children?.[1] ?? node : node;
  while (current?.parent) {
    const parent: JsonNode = current.parent;
    if (parent.type === 'property') {
      path.unshift(String(parent.children?.[0]?.value));
      current = parent.parent;
    } else if (parent.type === 'array') {
      path.unshift(parent.children?.indexOf(current) ?? 0);
      current = parent;
    } else {
      current = parent;
    }
  }
  return path;
}

/** The pointer of a node in the tree (a property node maps to its value's pointer). */
export function pointerOfNode(node: JsonNode): string {
  return formatPointer(pathOfNode(node));
}

/** The deepest node containing `offset` (inclusive of the node's end). */
export function nodeAtOffset(doc: WorkflowDocument, offset: number): JsonNode | undefined {
  let node = doc.root;
  if (!node || offset < node.offset || offset > node.offset + node.length) return undefined;
  for (;;) {
    const child: JsonNode | undefined = node.children?.find((c) => offset >= c.offset && offset <= c.offset + c.length);
    if (!child) return node;
    node = child;
  }
}
