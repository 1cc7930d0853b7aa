// The workflow checks behind the Language Server Protocol, for any LSP editor (Neovim, Helix…):
// `civitai-workflow lsp --stdio`. The same core functions the VS Code providers call: lint
// findings as diagnostics, their fixes as code actions, prompt completions and hovers, the cost
// estimate as CodeLens. Lints run debounced per document, and a result for a version that is no
// longer current is dropped, never published.
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintWorkflow, type LintResult } from '../core/lint';
import type { Finding, Severity, TextEdit as CoreTextEdit } from '../core/findings';
import { promptCompletions, type PromptCompletionKind } from '../core/prompt/completions';
import { promptHover } from '../core/prompt/hover';
import { getActiveUserProfiles, parseUserProfiles, setActiveUserProfiles } from '../core/ecosystems/profiles';
import { estimateWorkflowCost, formatBuzz } from '../core/cost/estimate';
import { nodeAtPointer, type WorkflowDocument } from '../core/workflow/document';
import { promptFieldAt } from '../core/prompt/fields';
import { shippedTagIndex } from '../core/tags/shipped';
import { DID_LINT_NOTIFICATION, MODEL_PROFILES_NOTIFICATION, type DidLintParams, type VsCodeClientOptions } from './protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** LSP CompletionItemKind numbers (the protocol's enum), per kind of prompt completion. */
const COMPLETION_KIND: Record<PromptCompletionKind, CompletionItem['kind']> = {
  quality: 14, // Keyword
  score: 14,
  temporal: 21, // Constant
  rating: 20, // EnumMember
  people: 12, // Value
  sequence: 15, // Snippet
  'negative-preset': 15,
  embedding: 18, // Reference
  danbooru: 1, // Text
};

export const DIAGNOSTIC_SOURCE = 'civitai';

export interface ServerOptions {
  /** Milliseconds between the last change and the lint (default 200). */
  debounceMs?: number;
}

function vsCodeOptions(value: unknown): VsCodeClientOptions | undefined {
  return typeof value === 'object' && value !== null && (value as { editor?: unknown }).editor === 'vscode' ? (value as VsCodeClientOptions) : undefined;
}

/** Only workflow files are checked: an editor may send every JSON file it opens. */
export function isWorkflowUri(uri: string): boolean {
  return /\.civitai\.json$/i.test(uri.split(/[?#]/)[0]);
}

export function startWorkflowLanguageServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let debounceMs = options.debounceMs ?? 200;
  let vscodeClient = false;
  const timers = new Map<string, NodeJS.Timeout>();
  /** The last lint per document, with the version it was computed for. */
  const results = new Map<string, { version: number; result: LintResult }>();

  const lintCurrent = (document: TextDocument): LintResult => {
    const known = results.get(document.uri);
    if (known && known.version === document.version) return known.result;
    const result = lintWorkflow(document.getText());
    results.set(document.uri, { version: document.version, result });
    return result;
  };

  const publish = (uri: string, version: number): void => {
    timers.delete(uri);
    const document = documents.get(uri);
    // Closed, or changed again since this lint was scheduled: a newer one is on its way.
    if (!document || document.version !== version) return;
    const result = lintCurrent(document);
    if (documents.get(uri)?.version !== version) return;
    if (vscodeClient) {
      const params: DidLintParams = { uri, version, findings: result.findings };
      void connection.sendNotification(DID_LINT_NOTIFICATION, params);
      return;
    }
    void connection.sendDiagnostics({ uri, version, diagnostics: result.findings.map((f) => toDiagnostic(f)) });
  };

  const schedule = (document: TextDocument, delay: number): void => {
    if (!isWorkflowUri(document.uri)) return;
    clearTimeout(timers.get(document.uri));
    timers.set(document.uri, setTimeout(() => publish(document.uri, document.version), delay));
  };

  connection.onInitialize((params): InitializeResult => {
    const vscode = vsCodeOptions(params.initializationOptions);
    if (vscode) {
      vscodeClient = true;
      if (typeof vscode.debounceMs === 'number' && vscode.debounceMs >= 0) debounceMs = vscode.debounceMs;
      setActiveUserProfiles(parseUserProfiles(vscode.modelProfiles).profiles);
      return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental }, serverInfo: { name: 'civitai-workflow' } };
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: [',', ' ', '(', '<'] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'civitai-workflow' },
    };
  });

  // The profiles changed (VS Code's client): results under the old ones are stale, lint all again.
  connection.onNotification(MODEL_PROFILES_NOTIFICATION, (raw: unknown) => {
    setActiveUserProfiles(parseUserProfiles(raw).profiles);
    results.clear();
    for (const document of documents.all()) schedule(document, 0);
  });

  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => schedule(e.document, debounceMs));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    results.delete(e.document.uri);
    if (isWorkflowUri(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isWorkflowUri(document.uri)) return [];
    const start = document.offsetAt(params.range.start);
    const end = document.offsetAt(params.range.end);
    const actions: CodeAction[] = [];
    for (const finding of lintCurrent(document).findings) {
      if (finding.offset > end || finding.offset + finding.length < start) continue;
      for (const fix of finding.fixes ?? []) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: fix.isPreferred === true,
          diagnostics: [toDiagnostic(finding)],
          edit: { changes: { [document.uri]: fix.edits.map((e) => toLspEdit(document, e)) } },
        });
      }
    }
    return actions;
  });

  connection.onCompletion((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isWorkflowUri(document.uri)) return null;
    const offset = document.offsetAt(params.position);
    const doc = lintCurrent(document).document;
    const result = promptCompletions(doc, offset, getActiveUserProfiles(), { tags: tagIndexAt(doc, offset) });
    if (!result) return null;
    const range = { start: document.positionAt(result.offset), end: document.positionAt(result.offset + result.length) };
    return {
      // What is offered depends on the tags already in the prompt.
      isIncomplete: true,
      items: result.items.map(
        (item): CompletionItem => ({
          label: item.label,
          kind: COMPLETION_KIND[item.kind],
          detail: item.detail,
          documentation: { kind: 'markdown', value: item.documentation },
          filterText: item.filterText,
          sortText: item.sortText,
          insertTextFormat: item.isSnippet ? 2 : 1,
          textEdit: { range, newText: item.insertText },
        }),
      ),
    };
  });

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isWorkflowUri(document.uri)) return null;
    const doc = lintCurrent(document).document;
    const offset = document.offsetAt(params.position);
    const hover = promptHover(doc, offset, getActiveUserProfiles(), { tags: tagIndexAt(doc, offset) });
    if (!hover) return null;
    return { contents: { kind: 'markdown', value: hover.markdown }, range: { start: document.positionAt(hover.offset), end: document.positionAt(hover.offset + hover.length) } };
  });

  connection.onCodeLens((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isWorkflowUri(document.uri)) return [];
    const lint = lintCurrent(document);
    const estimate = estimateWorkflowCost(lint.document.value);
    const lenses: CodeLens[] = [];
    for (const step of estimate.steps) {
      const node = nodeAtPointer(lint.document, `/steps/${step.index}`);
      if (!node) continue;
      const at = document.positionAt(node.offset);
      const title = step.buzz === null ? `Cost: unknown${step.reason ? ` (${step.reason})` : ''}` : `≈ ${formatBuzz(step.buzz)} Buzz`;
      // No command: other editors show the title; VS Code's client adds its own lenses.
      lenses.push({ range: { start: at, end: at }, command: { title, command: '' } });
    }
    return lenses;
  });

  documents.listen(connection);
  connection.listen();
}

/** The Danbooru tag index, as the VS Code providers load it: only inside a profiled prompt. */
function tagIndexAt(doc: WorkflowDocument, offset: number) {
  return promptFieldAt(doc, offset, getActiveUserProfiles())?.step.profile ? shippedTagIndex() : undefined;
}

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.code,
    message: finding.message,
  };
}

function toLspEdit(document: TextDocument, edit: CoreTextEdit) {
  return { range: { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) }, newText: edit.newText };
}
