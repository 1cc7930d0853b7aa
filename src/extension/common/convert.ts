// Turns core data (findings, edits, ranges) into VS Code objects. No logic beyond the mapping.
import * as vscode from 'vscode';
import type { Finding, Range, Severity, TextEdit } from '../../core/findings';

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'civitai';
export const RULES_DOC_URL = 'https://github.com/civitai-workflows/vscode/blob/main/docs/rules.md';

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, severities[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = {
    value: finding.code,
    target: vscode.Uri.parse(`${RULES_DOC_URL}#${finding.code}`),
  };
  return diagnostic;
}

export function toWorkspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const range = new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length));
    edit.replace(document.uri, range, e.newText);
  }
  return edit;
}

export function isWorkflowDocument(document: vscode.TextDocument): boolean {
  return document.uri.path.endsWith('.civitai.json');
}
