// Quick fixes for workflow files: each finding's fixes (the preferred one marked), "Fix all <code>
// problems in this file" where a code has several fixable findings, and `source.fixAll.civitai`
// for fix-on-save. Findings and their fixes come from the language server's lint of the current
// version; a fix-all's edit is computed by the server when chosen (it may take several lints).
import * as vscode from 'vscode';
import type { Finding, Fix } from '../../core/findings';
import { preferredFix } from '../../core/fixes';
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
    /** Only this code's findings (absent: every auto-fixable one). */
    readonly code: string | undefined,
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

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext, token?: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    if (!isWorkflowDocument(document)) return [];
    // Right after typing the server may not have answered for this version yet: wait for it
    // (Ctrl+. and fix-on-save must see the fixes of the text as it is now).
    const findings = (await this.diagnostics.findingsWhenLinted(document)) ?? [];
    if (token?.isCancellationRequested) return [];
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
        const action = new FixAllAction(`Fix all ${code} problems in this file`, vscode.CodeActionKind.QuickFix, document, document.version, code);
        action.diagnostics = fixable.map((f) => diagnosticFor(f, context));
        actions.push(action);
      }
    }

    if (only && FIX_ALL_KIND.intersects(only) && findings.some((f) => preferredFix(f))) {
      actions.push(new FixAllAction('Fix all auto-fixable Civitai problems', FIX_ALL_KIND, document, document.version, undefined));
    }
    return actions;
  }

  async resolveCodeAction(action: vscode.CodeAction): Promise<vscode.CodeAction> {
    if (!(action instanceof FixAllAction) || action.document.version !== action.version) return action;
    const edit = await this.diagnostics.fixAll(action.document, action.version, action.code);
    // The edit is for the version the action was offered on: applied to anything newer it would be wrong.
    if (edit && action.document.version === action.version) action.edit = toWorkspaceEdit(action.document, [edit]);
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
