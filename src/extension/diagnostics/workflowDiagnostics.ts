// Keeps the `civitai` DiagnosticCollection in step with open workflow files. The lint runs in the
// language server's own process (src/lsp/main.ts, started through vscode-languageclient by
// ./languageClient.ts), so a slow or pathological file never blocks the extension host: the server
// lints on open and (debounced) on change, and sends each result with the version it is for, the
// cost estimate and the AIRs it found. The host never parses a file per edit: the CodeLens, status
// bar, quick fixes and resources read what the server sent. A command that needs the findings of a
// version the server has not answered yet (submit right after an edit, a test) lints that once,
// in-process.
import * as vscode from 'vscode';
import { lintWorkflow, type LintResult } from '../../core/lint';
import type { Finding, TextEdit } from '../../core/findings';
import { parseWorkflowDocument, type WorkflowDocument } from '../../core/workflow/document';
import { findingsForVsCode } from '../../core/editor-sources';
import { getActiveUserProfiles, type ModelProfile } from '../../core/ecosystems/profiles';
import { storeTagUsage } from '../../core/tags/usage';
import type { PromptTokenStatus } from '../../core/prompt/clip-status';
import type { DidLintParams, WorkflowConfiguration } from '../../lsp/protocol';
import { startWorkflowClient, type WorkflowLanguageClient } from './languageClient';
import { isWorkflowDocument, toDiagnostic, DIAGNOSTIC_SOURCE } from '../common/convert';

/** What the server computed for one version besides the findings (see DidLintParams). */
export type LintSummary = Pick<DidLintParams, 'cost' | 'airs'>;

interface Known {
  version: number;
  profiles: readonly ModelProfile[];
  document?: WorkflowDocument;
  findings?: Finding[];
  summary?: LintSummary;
}

/** The `civitai.*` settings the language server reads (see WorkflowConfiguration). */
function serverSettings(): Required<Pick<WorkflowConfiguration, 'modelProfiles' | 'tagWikiLinks' | 'debounceMs'>> {
  const settings = vscode.workspace.getConfiguration('civitai');
  return {
    modelProfiles: settings.get<unknown>('modelProfiles'),
    tagWikiLinks: settings.get<boolean>('tagWikiLinks', false),
    debounceMs: settings.get<number>('lint.debounceMs', 250),
  };
}

export class WorkflowDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  /** Per document: what is known for one version (under the profiles in force then). */
  private readonly known = new Map<string, Known>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private client: Promise<WorkflowLanguageClient | undefined> | undefined;
  /** The settings the server reads, as sent at its start (later changes are sent as they come). */
  private readonly configuration: WorkflowConfiguration;
  /** Fires after the server's result for a document's current version arrived. */
  readonly onDidLint = this.changed.event;

  constructor(
    private readonly extensionPath: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.configuration = serverSettings();
    this.disposables.push(
      this.collection,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => this.ensureClient(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('civitai.tagWikiLinks')) this.configure({ tagWikiLinks: serverSettings().tagWikiLinks });
        if (e.affectsConfiguration('civitai.lint.debounceMs')) this.configure({ debounceMs: serverSettings().debounceMs });
      }),
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

  /** The server's findings for the current version; undefined until it answered (never computed here). */
  private findingsFor(document: vscode.TextDocument): readonly Finding[] | undefined {
    return this.current(document)?.findings;
  }

  /**
   * The server's findings for the current version, waiting (without blocking) for its lint when
   * it has not answered yet: a quick fix asked for right after typing, fix-on-save. Undefined if
   * the text changes again or no answer comes within `timeoutMs`.
   */
  findingsWhenLinted(document: vscode.TextDocument, timeoutMs = 3000): Promise<readonly Finding[] | undefined> {
    const now = this.findingsFor(document);
    if (now) return Promise.resolve(now);
    const version = document.version;
    return new Promise((resolve) => {
      const done = (findings: readonly Finding[] | undefined) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(findings);
      };
      const subscription = this.onDidLint((uri) => {
        if (uri.toString() !== document.uri.toString()) return;
        done(document.version === version ? this.findingsFor(document) : undefined);
      });
      const timer = setTimeout(() => done(undefined), timeoutMs);
    });
  }

  /** The server's cost estimate (with step starts) and AIRs for the current version; undefined until it answered. */
  summaryFor(document: vscode.TextDocument): LintSummary | undefined {
    return this.current(document)?.summary;
  }

  /** The CLIP token status of the prompt at `offset`, counted by the server. */
  async promptTokens(document: vscode.TextDocument, offset: number): Promise<PromptTokenStatus | undefined> {
    const client = await this.client;
    return (await client?.promptTokens({ uri: document.uri.toString(), offset })) ?? undefined;
  }

  /**
   * The single edit that applies every preferred fix (of `code`, or all codes) to `version`,
   * computed by the server; undefined when there is nothing to fix or the version moved on.
   */
  async fixAll(document: vscode.TextDocument, version: number, code?: string): Promise<TextEdit | undefined> {
    const client = await this.client;
    const result = await client?.fixAll({ uri: document.uri.toString(), version, code });
    return result?.edit;
  }

  /**
   * Lints every open workflow file again now, without an edit: for a change outside their text
   * that the rules read (the `civitai.modelProfiles` setting, once the new profiles are active).
   */
  relintAll(): void {
    this.known.clear();
    this.configure({ modelProfiles: serverSettings().modelProfiles });
  }

  /** The user's tag picks changed: completions rank by them. */
  setTagUsage(usage: ReadonlyMap<string, number>): void {
    this.configure({ tagUsage: storeTagUsage(usage) });
  }

  private configure(change: WorkflowConfiguration): void {
    Object.assign(this.configuration, change);
    void this.client?.then((c) => c?.configure(change));
  }

  private current(document: vscode.TextDocument): Known | undefined {
    const hit = this.known.get(document.uri.toString());
    return hit && hit.version === document.version && hit.profiles === getActiveUserProfiles() ? hit : undefined;
  }

  /** The language server starts with the first workflow file (unrelated JSON files cost nothing). */
  private ensureClient(document: vscode.TextDocument): void {
    if (this.client || !isWorkflowDocument(document)) return;
    this.client = startWorkflowClient(
      this.extensionPath,
      { configuration: this.configuration },
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
    const { findings, cost, airs } = params;
    this.known.set(params.uri, { version: params.version, profiles: getActiveUserProfiles(), findings, summary: { cost, airs } });
    // Syntax errors are VS Code's JSON service's to show: findingsForVsCode leaves them out.
    this.collection.set(document.uri, findingsForVsCode(findings).map(toDiagnostic));
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
