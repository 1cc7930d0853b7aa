// Keeps the `civitai` DiagnosticCollection in step with open workflow files. The lint runs in the
// language server's own process (src/lsp/main.ts, started through vscode-languageclient by
// ./languageClient.ts), so a slow or pathological file never blocks the extension host: the server
// lints on open and (debounced) on change, and sends each result with the version it is for.
// The host only turns findings into diagnostics and parses the text for the features that read
// its structure (CodeLens, hovers, status bar). A command that needs the findings of a version the
// server has not answered yet (submit right after an edit, a test) lints that once, in-process.
import * as vscode from 'vscode';
import { lintWorkflow, type LintResult } from '../../core/lint';
import type { Finding } from '../../core/findings';
import { parseWorkflowDocument, type WorkflowDocument } from '../../core/workflow/document';
import { findingsForVsCode } from '../../core/editor-sources';
import { getActiveUserProfiles, type ModelProfile } from '../../core/ecosystems/profiles';
import type { DidLintParams } from '../../lsp/protocol';
import { startWorkflowClient, type WorkflowLanguageClient } from './languageClient';
import { isWorkflowDocument, toDiagnostic, DIAGNOSTIC_SOURCE } from '../common/convert';

interface Known {
  version: number;
  profiles: readonly ModelProfile[];
  document?: WorkflowDocument;
  findings?: Finding[];
}

export class WorkflowDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  /** Per document: what is known for one version (under the profiles in force then). */
  private readonly known = new Map<string, Known>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private client: Promise<WorkflowLanguageClient | undefined> | undefined;
  /** Fires after a document's findings were recomputed. */
  readonly onDidLint = this.changed.event;

  constructor(
    private readonly extensionPath: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.disposables.push(
      this.collection,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => this.ensureClient(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) this.ensureClient(d);
  }

  /** The findings for the document's current version (and current profiles), computing them if needed. */
  resultFor(document: vscode.TextDocument): LintResult {
    const known = this.current(document);
    if (known?.findings) return { document: (known.document ??= parseWorkflowDocument(document.getText())), findings: known.findings };
    // Not answered by the server yet: lint this version once here (on demand, never per keystroke).
    const result = lintWorkflow(document.getText());
    this.known.set(document.uri.toString(), { version: document.version, profiles: getActiveUserProfiles(), document: result.document, findings: result.findings });
    return result;
  }

  /**
   * Lints every open workflow file again now, without an edit: for a change outside their text
   * that the rules read (the `civitai.modelProfiles` setting, once the new profiles are active).
   */
  relintAll(): void {
    this.known.clear();
    void this.client?.then((c) => c?.setModelProfiles(vscode.workspace.getConfiguration('civitai').get<unknown>('modelProfiles')));
  }

  private current(document: vscode.TextDocument): Known | undefined {
    const hit = this.known.get(document.uri.toString());
    return hit && hit.version === document.version && hit.profiles === getActiveUserProfiles() ? hit : undefined;
  }

  /** The language server starts with the first workflow file (unrelated JSON files cost nothing). */
  private ensureClient(document: vscode.TextDocument): void {
    if (this.client || !isWorkflowDocument(document)) return;
    const settings = vscode.workspace.getConfiguration('civitai');
    this.client = startWorkflowClient(
      this.extensionPath,
      { debounceMs: settings.get<number>('lint.debounceMs', 250), modelProfiles: settings.get<unknown>('modelProfiles') },
      (params) => this.accept(params),
      this.log,
    ).catch((error: unknown) => {
      this.log(`language server failed to start: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
  }

  /** A result from the server: shown only if it is for the version open now. */
  private accept(params: DidLintParams): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === params.uri);
    if (!document || document.version !== params.version) return;
    this.known.set(params.uri, { version: params.version, profiles: getActiveUserProfiles(), findings: params.findings });
    // Syntax errors are VS Code's JSON service's to show; the server already left them out.
    this.collection.set(document.uri, findingsForVsCode(params.findings).map(toDiagnostic));
    this.changed.fire(document.uri);
  }

  private forget(uri: vscode.Uri): void {
    this.known.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.client?.then((c) => c?.stop());
  }
}
