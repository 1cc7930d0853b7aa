// Cost in the editor: a CodeLens above each step with the local estimate ("≈ 9.6 Buzz") and a
// "Preview cost" action (whatif), plus the file's total in the status bar. Both show the estimate
// the language server sent with its lint of the current version (nothing is parsed or priced
// here), and are redrawn when the next one arrives.
import * as vscode from 'vscode';
import { formatBuzz, formatTotal } from '../../core/cost/estimate';
import { isWorkflowDocument } from '../common/convert';
import type { WorkflowDiagnostics } from '../diagnostics/workflowDiagnostics';
import type { PreviewCost } from '../../core/history';
import type { LintStepCost } from '../../lsp/protocol';

export interface CostPreviews {
  /** The last whatif answer for this document, if it was asked at this version. */
  previewFor(document: vscode.TextDocument): PreviewCost | undefined;
  readonly onDidChange: vscode.Event<vscode.Uri>;
}

/** A step's lens before VS Code resolves it: its estimate, or the "Preview cost" action. */
class StepLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly step: LintStepCost,
    readonly kind: 'estimate' | 'preview',
  ) {
    super(range);
  }
}

export class CostCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly diagnostics: WorkflowDiagnostics, private readonly previews: CostPreviews) {
    this.subscriptions = [
      diagnostics.onDidLint(() => this.changed.fire()),
      previews.onDidChange(() => this.changed.fire()),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Until the server answered for this version: none (they are redrawn when it does).
    const summary = isWorkflowDocument(document) ? this.diagnostics.summaryFor(document) : undefined;
    if (!summary) return [];
    const estimate = summary.cost;
    const preview = this.previews.previewFor(document);
    const lenses: vscode.CodeLens[] = [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (estimate.steps.length > 1 || preview) {
      const total = `Total ${formatTotal(estimate)}`;
      lenses.push(new vscode.CodeLens(top, { title: total, command: 'civitai.previewCost', arguments: [document.uri], tooltip: 'Local estimate from the prices the recipes publish' }));
      if (preview) {
        lenses.push(new vscode.CodeLens(top, {
          title: `Service: ${formatBuzz(preview.total)} Buzz${currencies(preview.currencies)}`,
          command: 'civitai.previewCost',
          arguments: [document.uri],
          tooltip: 'The exact cost the service quoted (whatif) for this version of the file',
        }));
      }
    }
    for (const step of estimate.steps) {
      if (step.offset === null) continue;
      const start = document.positionAt(step.offset);
      const range = new vscode.Range(start, start);
      lenses.push(new StepLens(range, document.uri, step, 'estimate'), new StepLens(range, document.uri, step, 'preview'));
    }
    return lenses;
  }

  /** A step's title and tooltip are written only for the lenses on screen (VS Code resolves those). */
  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    if (!(lens instanceof StepLens)) return lens;
    const { step, uri } = lens;
    if (lens.kind === 'preview') {
      lens.command = { title: 'Preview cost', command: 'civitai.previewCost', arguments: [uri], tooltip: 'Ask the service for the exact cost (whatif=true): nothing runs, nothing is charged' };
      return lens;
    }
    const source = step.source ? `\n${step.formula} (recipes/${step.source})` : '';
    lens.command = {
      title: step.buzz === null ? 'Cost: unknown' : `≈ ${formatBuzz(step.buzz)} Buzz`,
      command: 'civitai.previewCost',
      arguments: [uri],
      tooltip: step.buzz === null ? step.reason ?? 'No published price for this step' : `Local estimate from the published price${source}\nClick for the exact cost (whatif)`,
    };
    return lens;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

function currencies(map: Record<string, number>): string {
  const parts = Object.entries(map).map(([c, n]) => `${c} ${formatBuzz(n)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The active workflow file's total in the status bar. */
export class CostStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('civitai.cost', vscode.StatusBarAlignment.Right, 99);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly diagnostics: WorkflowDiagnostics, private readonly previews: CostPreviews) {
    this.item.name = 'Civitai: workflow cost';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      diagnostics.onDidLint((uri) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.update();
      }),
      previews.onDidChange(() => this.update()),
    ];
    this.update();
  }

  /** The text shown now (for tests). */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private visible = false;
  /** The document whose figure the item shows. */
  private shownFor: string | undefined;

  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !isWorkflowDocument(document)) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const estimate = this.diagnostics.summaryFor(document)?.cost;
    if (!estimate) {
      // This file, edited and not linted again yet: its last figure stays until the server answers.
      if (this.shownFor !== document.uri.toString()) {
        this.item.hide();
        this.visible = false;
      }
      return;
    }
    this.shownFor = document.uri.toString();
    const preview = this.previews.previewFor(document);
    const local = estimate.total === null && estimate.unknownSteps.length === 0 ? 'cost unknown' : formatTotal(estimate);
    // The bar is narrow: the known part and a count; the tooltip names each unknown step and why.
    const short = estimate.total !== null || estimate.unknownSteps.length === 0 ? local : `≈ ${formatBuzz(estimate.known)} Buzz + ${estimate.unknownSteps.length} unknown`;
    this.item.text = preview ? `$(credit-card) ${formatBuzz(preview.total)} Buzz` : `$(credit-card) ${short}`;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**Workflow cost**\n\nLocal estimate: ${local}`);
    if (estimate.total === null) {
      const reasons = estimate.steps.filter((s) => s.buzz === null).map((s) => `step ${s.name}: ${s.reason ?? 'unknown'}`);
      if (reasons.length) tip.appendMarkdown(`\n\n${reasons.join('\n\n')}`);
      else if (estimate.reason) tip.appendMarkdown(`\n\n${estimate.reason}`);
    }
    if (preview) tip.appendMarkdown(`\n\nService (whatif): ${formatBuzz(preview.total)} Buzz${currencies(preview.currencies)}`);
    tip.appendMarkdown('\n\nClick to preview the exact cost.');
    this.item.tooltip = tip;
    this.item.command = { command: 'civitai.previewCost', title: 'Preview Cost', arguments: [document.uri] };
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
