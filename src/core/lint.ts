// Entry point of the linter: text in, findings out. Never throws on any input.
// (Foundation placeholder: syntax and top-level shape only; the schema-backed linter replaces it.)
import { parseWorkflowDocument, rangeOf, type WorkflowDocument } from './workflow/document';
import type { Finding } from './findings';

export interface LintOptions {
  /** Skip the schema pass (used by tests of individual rules). */
  schema?: boolean;
}

export interface LintResult {
  document: WorkflowDocument;
  findings: Finding[];
}

export function lintWorkflow(text: string, _options: LintOptions = {}): LintResult {
  const document = parseWorkflowDocument(text);
  const findings: Finding[] = document.syntaxErrors.map((e) => ({
    code: 'json-syntax',
    severity: 'error',
    message: e.message,
    pointer: '',
    offset: e.offset,
    length: e.length,
    range: rangeOf(document, e.offset, e.length),
  }));
  return { document, findings };
}

export function lintWorkflowText(text: string, options?: LintOptions): Finding[] {
  return lintWorkflow(text, options).findings;
}
