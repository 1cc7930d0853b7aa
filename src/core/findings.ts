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
   * the linter drops those so each real problem is reported once.
   */
  supersedes?: string[];
}

export const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
