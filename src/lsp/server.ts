// The workflow checks behind the Language Server Protocol: `civitai-workflow lsp --stdio` for any
// LSP editor (Neovim, Helix…), and dist/lsp-server.js for VS Code's own client. Lint findings as
// diagnostics, their fixes as code actions, prompt completions and hovers, the cost estimate as
// CodeLens. Lints run debounced per document, and a result for a version that is no longer
// current is dropped, never published. VS Code's client gets each lint as `civitai/didLint`
// instead (findings, cost, AIRs: see ./protocol.ts), so its host never parses the file.
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
import { promptTokenStatus } from '../core/prompt/clip-status';
import { shippedTagIndex } from '../core/tags/shipped';
import type { TagCategory } from '../core/tags/tag-index';
import { parseTagUsage } from '../core/tags/usage';
import { airReferences } from '../core/resources/refs';
import { diffAsSingleEdit, fixUntilStable } from '../core/fixes';
import {
  CONFIGURATION_NOTIFICATION,
  DID_LINT_NOTIFICATION,
  FIX_ALL_REQUEST,
  PROMPT_TOKENS_REQUEST,
  RECORD_TAG_USE_COMMAND,
  type DidLintParams,
  type FixAllParams,
  type FixAllResult,
  type LintCostEstimate,
  type PromptTokensParams,
  type PromptTokensResult,
  type VsCodeClientOptions,
  type WorkflowConfiguration,
} from './protocol';

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

/** Danbooru tags by category (each its own icon). VS Code's "User" icon for characters is not in
 * LSP's enum: its client sets it from `data.category`. */
const CATEGORY_KIND: Record<TagCategory, CompletionItem['kind']> = {
  general: 12, // Value
  artist: 16, // Color
  copyright: 9, // Module
  character: 12,
  meta: 10, // Property
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
  let wikiLinks = false;
  let tagUsage: ReadonlyMap<string, number> | undefined;
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
      void connection.sendNotification(DID_LINT_NOTIFICATION, didLintParams(uri, version, result));
      return;
    }
    void connection.sendDiagnostics({ uri, version, diagnostics: result.findings.map((f) => toDiagnostic(f)) });
  };

  const schedule = (document: TextDocument, delay: number): void => {
    if (!isWorkflowUri(document.uri)) return;
    clearTimeout(timers.get(document.uri));
    timers.set(document.uri, setTimeout(() => publish(document.uri, document.version), delay));
  };

  const configure = (config: WorkflowConfiguration): void => {
    if (typeof config.debounceMs === 'number' && config.debounceMs >= 0) debounceMs = config.debounceMs;
    if ('modelProfiles' in config) setActiveUserProfiles(parseUserProfiles(config.modelProfiles).profiles);
    if (typeof config.tagWikiLinks === 'boolean') wikiLinks = config.tagWikiLinks;
    if ('tagUsage' in config) tagUsage = parseTagUsage(config.tagUsage);
  };

  connection.onInitialize((params): InitializeResult => {
    const vscode = vsCodeOptions(params.initializationOptions);
    if (vscode) {
      vscodeClient = true;
      configure(vscode);
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          // A comma starts the next tag; anything else completes as the user types.
          completionProvider: { triggerCharacters: [','] },
          hoverProvider: true,
        },
        serverInfo: { name: 'civitai-workflow' },
      };
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

  // A setting changed (VS Code's client). Profiles change findings: results under the old ones are stale.
  connection.onNotification(CONFIGURATION_NOTIFICATION, (config: WorkflowConfiguration) => {
    if (typeof config !== 'object' || config === null) return;
    configure(config);
    if (!('modelProfiles' in config)) return;
    results.clear();
    for (const document of documents.all()) schedule(document, 0);
  });

  connection.onRequest(PROMPT_TOKENS_REQUEST, (params: PromptTokensParams): PromptTokensResult => {
    const document = documents.get(params.uri);
    if (!document || !isWorkflowUri(document.uri)) return null;
    return promptTokenStatus(lintCurrent(document).document, params.offset, getActiveUserProfiles()) ?? null;
  });

  // Fixes that collide in one pass (two neighbouring members removed) need the text linted again:
  // several lints, so here and not on the editor's thread.
  connection.onRequest(FIX_ALL_REQUEST, (params: FixAllParams): FixAllResult | null => {
    const document = documents.get(params.uri);
    if (!document || document.version !== params.version) return null;
    const before = document.getText();
    const filter = params.code === undefined ? () => true : (f: Finding) => f.code === params.code;
    const fixed = fixUntilStable(before, (text) => lintWorkflow(text).findings, { initialFindings: lintCurrent(document).findings, filter });
    return { edit: diffAsSingleEdit(before, fixed.text) };
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
    const result = promptCompletions(doc, offset, getActiveUserProfiles(), { tags: tagIndexAt(doc, offset), usage: tagUsage });
    if (!result) return null;
    const start = document.positionAt(result.offset);
    const end = document.positionAt(result.offset + result.length);
    // Editors want a one-line range around the cursor (a tag split by an escape may not be).
    const around = start.line === end.line && start.line === params.position.line && start.character <= params.position.character && params.position.character <= end.character;
    const range = around ? { start, end } : { start: params.position, end: params.position };
    return {
      // What is offered depends on the tags already in the prompt.
      isIncomplete: true,
      items: result.items.map((item): CompletionItem => {
        const out: CompletionItem = {
          label: item.label,
          kind: item.tag ? CATEGORY_KIND[item.tag.category] : COMPLETION_KIND[item.kind],
          detail: item.detail,
          documentation: { kind: 'markdown', value: item.documentation },
          filterText: item.filterText,
          sortText: item.sortText,
          insertTextFormat: item.isSnippet ? 2 : 1,
          textEdit: { range, newText: item.insertText },
        };
        if (vscodeClient) {
          out.labelDetails = { description: item.detail };
          if (item.tag) {
            out.data = { category: item.tag.category };
            out.command = { title: 'Remember this tag', command: RECORD_TAG_USE_COMMAND, arguments: [item.tag.name] };
          }
        }
        return out;
      }),
    };
  });

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isWorkflowUri(document.uri)) return null;
    const doc = lintCurrent(document).document;
    const offset = document.offsetAt(params.position);
    const hover = promptHover(doc, offset, getActiveUserProfiles(), { tags: tagIndexAt(doc, offset), wikiLinks });
    if (!hover) return null;
    return { contents: { kind: 'markdown', value: hover.markdown }, range: { start: document.positionAt(hover.offset), end: document.positionAt(hover.offset + hover.length) } };
  });

  connection.onCodeLens((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isWorkflowUri(document.uri)) return [];
    const lenses: CodeLens[] = [];
    for (const step of lintCost(lintCurrent(document)).steps) {
      if (step.offset === null) continue;
      const at = document.positionAt(step.offset);
      const title = step.buzz === null ? `Cost: unknown${step.reason ? ` (${step.reason})` : ''}` : `≈ ${formatBuzz(step.buzz)} Buzz`;
      // No command: other editors show the title (VS Code's client draws its own from didLint).
      lenses.push({ range: { start: at, end: at }, command: { title, command: '' } });
    }
    return lenses;
  });

  documents.listen(connection);
  connection.listen();
}

/** What VS Code's host shows for one lint: computed here, from the tree the lint parsed. */
export function didLintParams(uri: string, version: number, result: LintResult): DidLintParams {
  const airs = airReferences(result.document).map(({ parsed: _parsed, range: _range, ...wire }) => wire);
  return { uri, version, findings: result.findings, cost: lintCost(result), airs };
}

/** The cost estimate of a lint's document, each step with where it starts (where its CodeLens goes). */
function lintCost(result: LintResult): LintCostEstimate {
  const { steps, ...totals } = estimateWorkflowCost(result.document.value);
  return {
    ...totals,
    steps: steps.map((step) => ({
      index: step.index,
      name: step.name,
      buzz: step.buzz,
      reason: step.reason,
      offset: nodeAtPointer(result.document, `/steps/${step.index}`)?.offset ?? null,
      ...(step.detail && 'source' in step.detail ? { formula: step.detail.formula, source: step.detail.source } : {}),
    })),
  };
}

/** The Danbooru tag index, loaded only inside a profiled prompt (never for other completions). */
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
