// Keeps the `civitai` DiagnosticCollection in step with open workflow files: linted on open,
// re-linted (debounced) on change, and only the document that changed; all of them again when
// something beyond their text that the rules read changes (the user's model profiles).
import * as vscode from 'vscode';
import { lintWorkflow, type LintResult } from '../core/lint';
import { LintResultCache } from '../core/lint-cache';
import { findingsForVsCode } from '../core/editor-sources';
import { isWorkflowDocument, toDiagnostic, DIAGNOSTIC_SOURCE } from './convert';

export class WorkflowDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new LintResultCache<LintResult>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's findings were recomputed. */
  readonly onDidLint = this.changed.event;

  constructor() {
    this.disposables.push(
      this.collection,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => this.lintNow(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) this.lintNow(d);
  }

  /** The findings for the document's current version (and current profiles), computing them if needed. */
  resultFor(document: vscode.TextDocument): LintResult {
    const cached = this.results.get(document.uri.toString(), document.version);
    if (cached) return cached;
    return this.lintNow(document) ?? lintWorkflow(document.getText());
  }

  /**
   * Lints every open workflow file again now, without an edit: for a change outside their text
   * that the rules read (the `civitai.modelProfiles` setting, once the new profiles are active).
   */
  relintAll(): void {
    for (const document of vscode.workspace.textDocuments) this.lintNow(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isWorkflowDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    const delay = vscode.workspace.getConfiguration('civitai').get<number>('lint.debounceMs', 250);
    this.timers.set(key, setTimeout(() => this.lintNow(document), delay));
  }

  private lintNow(document: vscode.TextDocument): LintResult | undefined {
    if (!isWorkflowDocument(document)) return undefined;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const result = lintWorkflow(document.getText());
    this.results.set(key, document.version, result);
    // Syntax errors are VS Code's JSON service's to show (see core/editor-sources.ts).
    this.collection.set(document.uri, findingsForVsCode(result.findings).map(toDiagnostic));
    this.changed.fire(document.uri);
    return result;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.results.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
