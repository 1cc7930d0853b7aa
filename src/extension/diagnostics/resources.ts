// AIRs resolved with the service, in the editor: after each lint (never during it) the AIRs the
// language server found in the file are resolved (cached per service, batched) and what the answers mean is shown in a diagnostic
// collection of its own; a hover on an AIR shows what it names. Core decides everything
// (src/core/resources); this adapter only schedules, converts and shows.
import * as vscode from 'vscode';
import {
  airReferenceAt,
  distinctAirs,
  resolutionOffReason,
  resourceFindings,
  resourceHoverMarkdown,
  ResourceResolvers,
  type AirReference,
  type ResourceResolver,
} from '../../core/resources';
import { parseAir } from '../../core/air';
import type { LintAirReference } from '../../lsp/protocol';
import { isWorkflowDocument, RULES_DOC_URL, toDiagnostic } from '../common/convert';
import type { WorkflowDiagnostics } from './workflowDiagnostics';
import type { Log } from '../common/log';
import type { ServiceConnection } from '../connection/service';

export const RESOURCE_DIAGNOSTIC_SOURCE = 'civitai (resources)';
/** The resource codes are documented with the editor's resources section, not the rule catalog. */
const RESOURCE_DOC_URL = RULES_DOC_URL.replace(/rules\.md$/, 'editor.md#resources');
/** A hover waits this long for an answer before showing "checking…". */
const HOVER_WAIT_MS = 3000;

/** The server's references with what the host derives itself: the parsed AIR and the range. */
function airReferencesIn(document: vscode.TextDocument, wire: readonly LintAirReference[]): AirReference[] {
  const out: AirReference[] = [];
  for (const w of wire) {
    const parsed = parseAir(w.air);
    if (!parsed) continue;
    const start = document.positionAt(w.offset);
    const end = document.positionAt(w.offset + w.length);
    out.push({ ...w, parsed, range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } } });
  }
  return out;
}

export class ResourceFeatures implements vscode.Disposable, vscode.HoverProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('civitai-resources');
  private readonly resolvers = new ResourceResolvers();
  private readonly subscriptions: vscode.Disposable[];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a document's resource diagnostics were updated. */
  readonly onDidResolve = this.changed.event;
  private saidOff = false;

  constructor(
    private readonly diagnostics: WorkflowDiagnostics,
    private readonly service: ServiceConnection,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      this.collection,
      this.changed,
      diagnostics.onDidLint((uri) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (document) void this.update(document);
      }),
      service.onDidChange(() => this.updateAll()),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) if (isWorkflowDocument(document)) void this.update(document);
  }

  /** The resolver for the current service, or undefined (said once) when resolution is off. */
  private async resolver(): Promise<ResourceResolver | undefined> {
    const reason = resolutionOffReason(await this.service.hasCredentials());
    if (reason) {
      if (!this.saidOff) {
        this.saidOff = true;
        this.log.info(reason);
        vscode.window.setStatusBarMessage(`$(info) Civitai: AIR resolution is off (no API token)`, 10_000);
      }
      return undefined;
    }
    const { baseUrl } = this.service.current();
    return this.resolvers.for(baseUrl, async (air) => (await this.service.client()).getResource(air));
  }

  /** Resolves the document's AIRs and shows what the answers mean. */
  async update(document: vscode.TextDocument): Promise<void> {
    if (!isWorkflowDocument(document)) return;
    const version = document.version;
    // Not linted at this version yet: its own lint calls this again.
    const wire = this.diagnostics.summaryFor(document)?.airs;
    if (!wire) return;
    const resolver = wire.length > 0 ? await this.resolver() : undefined;
    if (!resolver) {
      this.collection.delete(document.uri);
      this.changed.fire(document.uri);
      return;
    }
    if (document.isClosed || document.version !== version) return;
    const refs = airReferencesIn(document, wire);
    const lookups = await resolver.resolve(distinctAirs(refs));
    // A newer version was linted meanwhile: its own update shows its findings.
    if (document.isClosed || document.version !== version) return;
    for (const [air, l] of lookups) if (l.status === 'error') this.log.warn(`could not resolve ${air}: ${l.message}`);
    this.collection.set(
      document.uri,
      resourceFindings(refs, lookups).map((f) => {
        const d = toDiagnostic(f);
        d.source = RESOURCE_DIAGNOSTIC_SOURCE;
        d.code = { value: f.code, target: vscode.Uri.parse(RESOURCE_DOC_URL) };
        return d;
      }),
    );
    this.changed.fire(document.uri);
  }

  updateAll(): void {
    for (const document of vscode.workspace.textDocuments) void this.update(document);
  }

  /** "Civitai: Refresh Resources": forget every answer and ask again. */
  refresh(): void {
    this.resolvers.clearAll();
    this.saidOff = false;
    this.updateAll();
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const wire = this.diagnostics.summaryFor(document)?.airs;
    const at = wire && airReferenceAt(wire, document.offsetAt(position));
    const ref = at && airReferencesIn(document, [at])[0];
    if (!ref) return undefined;
    const range = new vscode.Range(document.positionAt(ref.offset), document.positionAt(ref.offset + ref.length));
    const hasCredentials = await this.service.hasCredentials();
    const offReason = resolutionOffReason(hasCredentials);
    const resolver = offReason ? undefined : await this.resolver();
    let lookup = resolver?.peek(ref.air);
    if (resolver && !lookup) {
      const answer = resolver.resolve([ref.air]).then((m) => m.get(ref.air));
      const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), HOVER_WAIT_MS));
      lookup = await Promise.race([answer, timeout]);
    }
    if (token.isCancellationRequested) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(resourceHoverMarkdown(ref, lookup, { offReason })), range);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
