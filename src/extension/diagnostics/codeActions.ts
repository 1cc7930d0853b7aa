// Quick fixes for workflow files: each finding's fixes (the preferred one marked), "Fix all <code>
// problems in this file" where a code has several fixable findings, and `source.fixAll.civitai`
// for fix-on-save. Findings come from the diagnostics already computed for the document.
import * as vscode from 'vscode';
import type { Finding, Fix } from '../../core/findings';
import { diffAsSingleEdit, fixUntilStable, preferredFix } from '../../core/fixes';
import { lintWorkflow } from '../../core/lint';
import { DIAGNOSTIC_SOURCE, isWorkflowDocument, toDiagnostic, toRange, toWorkspaceEdit } from '../common/convert';
import type { WorkflowDiagnostics } from './workflowDiagnostics';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append(DIAGNOSTIC_SOURCE);

/** A fix-all action whose edit is computed only when chosen (it may need several passes). */
class FixAllAction extends vscode.CodeAction {
  constructor(
    title: string,
    kind: vscode.CodeActionKind,
    readonly document: vscode.TextDocument,
    readonly version: number,
    readonly findings: readonly Finding[],
    readonly filter: (finding: Finding) => boolean,
  ) {
    super(title, kind);
  }
}

function sameRange(d: vscode.Diagnostic, f: Finding): boolean {
  return (
    d.range.start.line === f.range.start.line &&
    d.range.start.character === f.range.start.character &&
    d.range.end.line === f.range.end.line &&
    d.range.end.character === f.range.end.character
  );
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The diagnostic the editor shows for a finding (so the quick fix is attached to it). */
function diagnosticFor(finding: Finding, context: vscode.CodeActionContext): vscode.Diagnostic {
  return context.diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === finding.code && sameRange(d, finding)) ?? toDiagnostic(finding);
}

export class WorkflowCodeActions implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly diagnostics: WorkflowDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isWorkflowDocument(document)) return [];
    const findings = this.diagnostics.resultFor(document).findings;
    const actions: vscode.CodeAction[] = [];
    const only = context.only;

    if (!only || only.intersects(vscode.CodeActionKind.QuickFix)) {
      const here = findings.filter((f) => f.fixes && f.fixes.length > 0 && toRange(f.range).intersection(range) !== undefined);
      for (const finding of here) {
        const diagnostic = diagnosticFor(finding, context);
        for (const fix of finding.fixes ?? []) actions.push(this.quickFix(document, fix, diagnostic));
      }
      for (const code of new Set(here.map((f) => f.code))) {
        const fixable = findings.filter((f) => f.code === code && preferredFix(f));
        if (fixable.length < 2) continue;
        const action = new FixAllAction(`Fix all ${code} problems in this file`, vscode.CodeActionKind.QuickFix, document, document.version, findings, (f) => f.code === code);
        action.diagnostics = fixable.map((f) => diagnosticFor(f, context));
        actions.push(action);
      }
    }

    if (only && FIX_ALL_KIND.intersects(only) && findings.some((f) => preferredFix(f))) {
      actions.push(new FixAllAction('Fix all auto-fixable Civitai problems', FIX_ALL_KIND, document, document.version, findings, () => true));
    }
    return actions;
  }

  resolveCodeAction(action: vscode.CodeAction): vscode.CodeAction {
    if (!(action instanceof FixAllAction) || action.document.version !== action.version) return action;
    const before = action.document.getText();
    // The first pass uses the findings already shown; further passes (fixes that collided in one
    // pass, e.g. removing two neighbouring members) need the fixed text linted again.
    const result = fixUntilStable(before, (text) => lintWorkflow(text).findings, { initialFindings: [...action.findings], filter: action.filter });
    const edit = diffAsSingleEdit(before, result.text);
    if (edit) action.edit = toWorkspaceEdit(action.document, [edit]);
    return action;
  }

  private quickFix(document: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.edit = toWorkspaceEdit(document, fix.edits);
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.isPreferred === true;
    return action;
  }
}

/** Registers the provider for `*.civitai.json` files, whatever language mode they are in. */
export function registerCodeActions(context: vscode.ExtensionContext, diagnostics: WorkflowDiagnostics): vscode.Disposable {
  const registration = vscode.languages.registerCodeActionsProvider({ pattern: '**/*.civitai.json' }, new WorkflowCodeActions(diagnostics), WorkflowCodeActions.metadata);
  context.subscriptions.push(registration);
  return registration;
}
