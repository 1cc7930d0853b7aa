// Which source reports what in VS Code, so each problem is one entry in the Problems view.
//
// VS Code's JSON service always checks JSON syntax of a `json` file (commas, brackets, comments,
// trailing commas) and offers no way to switch that off for one file type: our json-syntax
// findings would repeat each of its errors, so in the editor they are left to it. Everything else
// is ours alone: the contributed schema (schemas/workflow.editor.schema.json) keeps only what
// completion and hover need and cannot fail, so contract problems appear once, in our words, with
// our fixes. The CLI and the language server for other editors report everything.
import type { Finding } from './findings';

/** Codes VS Code's JSON service already reports for a workflow file opened as JSON. */
export const REPORTED_BY_VSCODE_JSON: ReadonlySet<string> = new Set(['json-syntax']);

/** The findings VS Code shows as `civitai` diagnostics: all but what its JSON service reports itself. */
export function findingsForVsCode(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !REPORTED_BY_VSCODE_JSON.has(f.code));
}
