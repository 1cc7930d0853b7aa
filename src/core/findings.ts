// The data every checker in core returns. Adapters (VS Code, CLI) turn it into their own shapes.

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** 0-based, like LSP and VS Code. `character` counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of `length` characters at `offset` in the document text. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix to apply when a user or `lint --fix` asks for "the" fix. */
  isPreferred?: boolean;
}

export interface Finding {
  /** Stable, documented code, e.g. `unknown-property`. */
  code: string;
  severity: Severity;
  message: string;
  /** RFC 6901 JSON Pointer of the node the finding is about ("" is the whole document). */
  pointer: string;
  /** Where the finding is shown, as offsets in the text. */
  offset: number;
  length: number;
  range: Range;
  fixes?: Fix[];
  /**
   * Codes of contract (schema) findings at the same pointer that this finding explains better;
   * the linter drops those so each real problem is reported once. `'*'` means every contract
   * code. The pointer compared is the finding's `pointer`, not where it is shown; for a member
   * that should not be there (`unknown-property`) both sides use the member's own pointer
   * (`/steps/0/input/sampler`). See `supersedes()` below.
   */
  supersedes?: string[];
  /**
   * `'subtree'`: the superseded codes are dropped at `pointer` and at every pointer below it (one
   * finding that explains a whole file or object, e.g. a pasted response body on `""`).
   * Default `'pointer'`: only at `pointer` itself.
   */
  supersedesScope?: 'pointer' | 'subtree';
  /**
   * With `'subtree'`: only below these pointers (one finding about a whole file that explains a few
   * parts of it, and must not hide unrelated problems elsewhere).
   */
  supersedesWithin?: string[];
}

/** Whether `ruleFinding` explains `contractFinding` well enough that the latter is dropped. */
export function supersedes(ruleFinding: Finding, contractFinding: Finding): boolean {
  const codes = ruleFinding.supersedes;
  if (!codes || !(codes.includes('*') || codes.includes(contractFinding.code))) return false;
  if (contractFinding.pointer === ruleFinding.pointer) return true;
  if (ruleFinding.supersedesScope !== 'subtree') return false;
  if (ruleFinding.supersedesWithin) return ruleFinding.supersedesWithin.some((p) => isPointerWithin(contractFinding.pointer, p));
  return isPointerWithin(contractFinding.pointer, ruleFinding.pointer);
}

/** Whether `pointer` is `ancestor` or below it (`/a/b` is within `/a` and `""`, not within `/a/bc`). */
export function isPointerWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || ancestor === '' || pointer.startsWith(ancestor + '/');
}

export const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
