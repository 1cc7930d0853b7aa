// Entry point of the linter: text in, findings out. Never throws on any input.
//   syntax (json-syntax) → shape (not-an-object) → contract (schema) → rules → de-duplication.
import { parseWorkflowDocument, lineStartsOf, rangeOf, type WorkflowDocument, type SyntaxProblem } from './workflow/document';
import { severityRank, supersedes, type Finding } from './findings';
import { runRules } from './rules';
import { validateContract } from './schema/validate';
import { CONTRACT_CODES } from './schema/codes';
import { NodeIndex } from './schema/node-index';
import { foreignEncodingOfText, replacementRuns } from './workflow/encoding';

export interface LintOptions {
  /** Skip the schema pass (used by tests of individual rules). */
  schema?: boolean;
  /** Skip the rules (used by tests of the contract pass). */
  rules?: boolean;
  /**
   * The encoding the caller found in the file's bytes when it is not UTF-8 (the CLI reads bytes;
   * the editor passes nothing and the text is examined instead).
   */
  foreignEncoding?: string;
  /** Replacements for the passes (tests use them to check that a crashing pass is contained). */
  passes?: {
    contract?: (doc: WorkflowDocument) => Finding[];
    rules?: (doc: WorkflowDocument) => Finding[];
  };
}

export interface LintResult {
  document: WorkflowDocument;
  findings: Finding[];
}

export function lintWorkflow(text: string, options: LintOptions = {}): LintResult {
  let document: WorkflowDocument;
  const tooDeep = typeof text === 'string' ? offsetPastDepth(text, MAX_NESTING) : undefined;
  if (tooDeep !== undefined) {
    // The parser and the checks recurse per level: refuse before they run out of stack.
    document = { text, root: undefined, value: undefined, syntaxErrors: [], lineStarts: lineStartsOf(text) };
    return { document, findings: [nestingFinding(document, tooDeep)] };
  }
  try {
    document = parseWorkflowDocument(typeof text === 'string' ? text : String(text ?? ''));
  } catch (e) {
    // The parser does not throw on bad input; this is a last resort so the caller still gets a result.
    document = { text: String(text ?? ''), root: undefined, value: undefined, syntaxErrors: [], lineStarts: [0] };
    return { document, findings: [internalError(document, 'parser', e)] };
  }

  // A file in another encoding is one finding: its syntax errors would all be that one problem.
  const foreign = options.foreignEncoding ?? foreignEncodingOfText(document.text);
  if (foreign !== undefined) return { document, findings: [encodingFinding(document, foreign)] };

  if (document.text.trim() === '') {
    return { document, findings: [shapeFinding(document, 'The file is empty: a workflow is a JSON object with a `steps` array, e.g. `{ "steps": [] }`.')] };
  }

  const findings: Finding[] = [...syntaxFindings(document), ...invalidUtf8Findings(document)];
  const root = document.root;
  if (root === undefined) return { document, findings: sortFindings(findings) };
  if (root.type !== 'object') {
    findings.push(shapeFinding(document, `A workflow file must hold one JSON object with a \`steps\` array, not ${describeRoot(root.type, document.value)}.`, root.offset, root.length));
    return { document, findings: sortFindings(findings) };
  }

  let contract: Finding[] = [];
  if (options.schema !== false) {
    try {
      contract = (options.passes?.contract ?? validateContract)(document);
    } catch (e) {
      contract = [internalError(document, 'contract check', e)];
    }
    if (document.syntaxErrors.length > 0) contract = withoutSyntaxFallout(contract, document);
  }

  let rules: Finding[] = [];
  if (options.rules !== false) {
    try {
      rules = (options.passes?.rules ?? runRules)(document);
    } catch (e) {
      rules = [internalError(document, 'rules', e)];
    }
  }

  contract = withoutSuperseded(contract, rules);

  return { document, findings: sortFindings([...findings, ...contract, ...rules]) };
}

export function lintWorkflowText(text: string, options?: LintOptions): Finding[] {
  return lintWorkflow(text, options).findings;
}

/**
 * Drops contract findings a rule explains better (see `supersedes` in findings.ts). Rules are
 * indexed by pointer and a finding looks up its own pointer and its ancestors, so this stays
 * linear in the number of findings on large files.
 */
function withoutSuperseded(contract: Finding[], rules: readonly Finding[]): Finding[] {
  const byPointer = new Map<string, Finding[]>();
  for (const r of rules) {
    if (!r.supersedes || r.supersedes.length === 0) continue;
    const list = byPointer.get(r.pointer);
    if (list) list.push(r);
    else byPointer.set(r.pointer, [r]);
  }
  if (byPointer.size === 0) return contract;
  return contract.filter((f) => {
    if (f.code === 'internal-error') return true;
    for (let p: string | undefined = f.pointer; p !== undefined; p = parentPointer(p)) {
      if (byPointer.get(p)?.some((r) => supersedes(r, f))) return false;
    }
    return true;
  });
}

function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/**
 * With syntax errors, the parser's recovered value is still checked, but findings the broken
 * region may have caused are held back: any finding whose place contains a syntax error (an
 * unterminated string read as a wrong value), and a missing field of an object that contains one
 * (the field may sit in the unreadable part). Findings elsewhere are real and stay.
 */
function withoutSyntaxFallout(findings: Finding[], doc: WorkflowDocument): Finding[] {
  // Sorted once and searched per finding: a file with thousands of errors stays linear-ish.
  const errorOffsets = doc.syntaxErrors.map((e) => e.offset).sort((a, b) => a - b);
  const contains = (offset: number, length: number): boolean => {
    let lo = 0;
    let hi = errorOffsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (errorOffsets[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < errorOffsets.length && errorOffsets[lo] <= offset + length;
  };
  const nodes = new NodeIndex(doc);
  return findings.filter((f) => {
    if (f.code === 'internal-error') return true;
    if (contains(f.offset, f.length)) return false;
    if (f.code === 'missing-property' || f.code === 'too-few-items') {
      // These sit on the object's (or array's) opening bracket; its node gives the extent.
      const container = nodes.get(f.pointer);
      if (!container || contains(container.offset, container.length)) return false;
    }
    return true;
  });
}

/** Syntax errors reported one by one before the rest are counted in one finding. */
const MAX_SYNTAX_FINDINGS = 20;

/**
 * One finding per distinct problem: an unfinished file reports each unclosed bracket at the same
 * place, and a character the invalid-utf8 finding already explains is not also a syntax error.
 * After MAX_SYNTAX_FINDINGS the parser is mostly reporting the fallout of the first errors: the
 * rest are counted in one finding on the next of them.
 */
const CLOSERS = new Map([
  ['Expected a closing brace "}"', '}'],
  ['Expected a closing bracket "]"', ']'],
]);

function syntaxFindings(doc: WorkflowDocument): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  let more = 0;
  /** The brackets still to close at one place, innermost first (a truncated file). */
  let closers: { at: number; finding: Finding; chars: string[] } | undefined;
  for (const e of doc.syntaxErrors) {
    if (doc.text.charCodeAt(e.offset) === 0xfffd) continue;
    const closer = CLOSERS.get(e.message);
    if (closer && closers?.at === e.offset) {
      closers.chars.push(closer);
      closers.finding.message = `Expected ${closers.chars.map((c) => `"${c}"`).join(' then ')} here: ${closers.chars.length} objects or arrays are still open (the file may be cut short).`;
      continue;
    }
    const key = `${e.offset}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const shown = out.length < MAX_SYNTAX_FINDINGS || more++ === 0;
    if (shown) out.push(syntaxFinding(doc, e));
    closers = closer && shown ? { at: e.offset, finding: out[out.length - 1], chars: [closer] } : undefined;
  }
  if (more > 0) {
    const last = out[out.length - 1];
    last.message = `${more} more syntax errors from here on (the first ones above are usually the cause: fix them first).`;
  }
  return out;
}

function syntaxFinding(doc: WorkflowDocument, e: SyntaxProblem): Finding {
  const length = Math.max(1, Math.min(e.length, doc.text.length - e.offset));
  return {
    code: 'json-syntax',
    severity: CONTRACT_CODES['json-syntax'].severity,
    message: e.message,
    pointer: '',
    offset: e.offset,
    length,
    range: rangeOf(doc, e.offset, length),
  };
}

function encodingFinding(doc: WorkflowDocument, encoding: string): Finding {
  const firstLine = doc.lineStarts.length > 1 ? doc.lineStarts[1] - 1 : doc.text.length;
  const length = Math.max(0, Math.min(firstLine, 200));
  return {
    code: 'file-encoding',
    severity: CONTRACT_CODES['file-encoding'].severity,
    message: `This file is saved as ${encoding}, not UTF-8, so the service cannot read it: save it as UTF-8 (in VS Code: click the encoding in the status bar, Save with Encoding, UTF-8).`,
    pointer: '',
    offset: 0,
    length,
    range: rangeOf(doc, 0, length),
  };
}

/** Deepest nesting of arrays and objects the linter reads (a workflow needs a handful). */
export const MAX_NESTING = 256;

/** The offset of the bracket that opens level `max + 1`, outside strings; undefined when none does. */
function offsetPastDepth(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function nestingFinding(doc: WorkflowDocument, offset: number): Finding {
  return {
    code: 'nesting-too-deep',
    severity: CONTRACT_CODES['nesting-too-deep'].severity,
    message: `Arrays and objects are nested more than ${MAX_NESTING} levels deep here: no workflow needs that, and nothing else is checked until it is removed.`,
    pointer: '',
    offset,
    length: 1,
    range: rangeOf(doc, offset, 1),
  };
}

/** Places reported one by one before the rest are counted in one finding. */
const MAX_INVALID_UTF8_PLACES = 20;

function invalidUtf8Findings(doc: WorkflowDocument): Finding[] {
  const runs = replacementRuns(doc.text);
  const finding = (offset: number, length: number, message: string): Finding => ({
    code: 'invalid-utf8',
    severity: CONTRACT_CODES['invalid-utf8'].severity,
    message,
    pointer: '',
    offset,
    length,
    range: rangeOf(doc, offset, length),
  });
  const shown = runs.slice(0, MAX_INVALID_UTF8_PLACES).map((r) =>
    finding(r.offset, r.length, `${r.length === 1 ? 'A byte here is' : 'Bytes here are'} not valid UTF-8 (read as \`\ufffd\`, the replacement character, which is what the service would get): retype the text here.`),
  );
  const rest = runs.slice(MAX_INVALID_UTF8_PLACES);
  if (rest.length > 0) shown.push(finding(rest[0].offset, rest[0].length, `${rest.length} more places hold bytes that are not valid UTF-8 (read as \`\ufffd\`); the file was probably saved in another encoding: reopen it in that encoding and save it as UTF-8.`));
  return shown;
}

function shapeFinding(doc: WorkflowDocument, message: string, offset = 0, length = doc.text.length): Finding {
  return {
    code: 'not-an-object',
    severity: CONTRACT_CODES['not-an-object'].severity,
    message,
    pointer: '',
    offset,
    length,
    range: rangeOf(doc, offset, length),
  };
}

function describeRoot(type: string, value: unknown): string {
  if (type === 'array') return 'an array';
  if (type === 'string') return 'a string';
  if (type === 'number') return 'a number';
  if (type === 'boolean') return `\`${String(value)}\``;
  if (type === 'null') return '`null`';
  return type;
}

function internalError(doc: WorkflowDocument, pass: string, e: unknown): Finding {
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal-error',
    severity: CONTRACT_CODES['internal-error'].severity,
    message: `The ${pass} failed on this file (${detail}); other checks still ran.`,
    pointer: '',
    offset: 0,
    length: 0,
    range: rangeOf(doc, 0, 0),
  };
}

/**
 * Longest message kept whole. Rules quote what the user wrote and shorten it, but a message that
 * quotes a pasted megabyte by mistake must not reach the Problems view: its middle is cut.
 */
export const MAX_MESSAGE_CHARS = 1000;

function sortFindings(findings: Finding[]): Finding[] {
  for (const f of findings) {
    // Head, " … " (3 characters), tail: exactly MAX_MESSAGE_CHARS.
    if (f.message.length > MAX_MESSAGE_CHARS) f.message = `${f.message.slice(0, MAX_MESSAGE_CHARS - 203)} … ${f.message.slice(-200)}`;
  }
  return findings.sort((a, b) => a.offset - b.offset || severityRank[a.severity] - severityRank[b.severity] || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
