// The service's own complaints (400 `errors` from a submit or preview) as diagnostics, in a
// collection of their own so our linter's results stay untouched: they describe the text that was
// sent, so they are cleared on the next edit of that file.
import * as vscode from 'vscode';
import { serverErrorsToFindings } from '../../core/api';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { toRange } from '../common/convert';

export const SERVER_DIAGNOSTIC_SOURCE = 'civitai (service)';

export class ServerDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('civitai-service');
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
    });
  }

  /** Shows the service's validation errors on the text that was submitted; returns how many. */
  show(uri: vscode.Uri, submittedText: string, errors: Record<string, readonly string[]>): vscode.Diagnostic[] {
    const findings = serverErrorsToFindings(errors, parseWorkflowDocument(submittedText));
    const diagnostics = findings.map((f) => {
      const d = new vscode.Diagnostic(toRange(f.range), f.message, vscode.DiagnosticSeverity.Error);
      d.source = SERVER_DIAGNOSTIC_SOURCE;
      d.code = f.code;
      return d;
    });
    this.collection.set(uri, diagnostics);
    return diagnostics;
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
