// Entry point of the linter: text in, findings out. Never throws on any input.
//   syntax (json-syntax) → shape (not-an-object) → contract (schema) → rules → de-duplication.
import { parseWorkflowDocument, rangeOf, type WorkflowDocument, type SyntaxProblem } from './workflow/document';
import { severityRank, supersedes, type Finding } from './findings';
import { runRules } from './rules';
import { validateContract } from './schema/validate';
import { CONTRACT_CODES } from './schema/codes';
import { NodeIndex } from './schema/node-index';

export interface LintOptions {
  /** Skip the schema pass (used by tests of individual rules). */
  schema?: boolean;
  /** Skip the rules (used by tests of the contract pass). */
  rules?: boolean;
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
  try {
    document = parseWorkflowDocument(typeof text === 'string' ? text : String(text ?? ''));
  } catch (e) {
    // The parser does not throw on bad input; this is a last resort so the caller still gets a result.
    document = { text: String(text ?? ''), root: undefined, value: undefined, syntaxErrors: [], lineStarts: [0] };
    return { document, findings: [internalError(document, 'parser', e)] };
  }

  if (document.text.trim() === '') {
    return { document, findings: [shapeFinding(document, 'The file is empty: a workflow is a JSON object with a `steps` array, e.g. `{ "steps": [] }`.')] };
  }

  const findings: Finding[] = syntaxFindings(document);
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
  const errorOffsets = doc.syntaxErrors.map((e) => e.offset);
  const contains = (offset: number, length: number): boolean => errorOffsets.some((o) => o >= offset && o <= offset + length);
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

/** One finding per distinct problem: an unfinished file reports each unclosed bracket at the same place. */
function syntaxFindings(doc: WorkflowDocument): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const e of doc.syntaxErrors) {
    const key = `${e.offset}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(syntaxFinding(doc, e));
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

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.offset - b.offset || severityRank[a.severity] - severityRank[b.severity] || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
