// What submit and preview share: finding the workflow file, refusing files with errors (saying
// why), making sure there is a way to authenticate, and reading the body to send.
import * as vscode from 'vscode';
import { isWorkflowDocument } from '../common/convert';
import type { CivitaiContext } from '../context';

export async function resolveWorkflowDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  let document: vscode.TextDocument | undefined;
  if (arg instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(arg);
  else document = vscode.window.activeTextEditor?.document;
  if (!document || !isWorkflowDocument(document)) {
    void vscode.window.showInformationMessage('Open a workflow file (*.civitai.json) first, or create one with "Civitai: New Workflow…".', 'New Workflow…').then((c) => {
      if (c) void vscode.commands.executeCommand('civitai.newWorkflow');
    });
    return undefined;
  }
  return document;
}

export function fileLabel(document: vscode.TextDocument): string {
  const parts = document.uri.path.split('/');
  return parts[parts.length - 1] || 'workflow.civitai.json';
}

/**
 * Returns the body to send, or undefined after telling the user why not: a file with errors
 * would be refused by the service (or, worse, run with something the user did not mean).
 */
export function bodyOrExplain(ctx: CivitaiContext, document: vscode.TextDocument, doing: 'submit' | 'preview the cost of'): Record<string, unknown> | undefined {
  const lint = ctx.diagnostics.resultFor(document);
  const errors = lint.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    const where = `line ${first.range.start.line + 1}`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    void vscode.window.showErrorMessage(
      `Can't ${doing} ${fileLabel(document)}: it has ${errors.length} error${errors.length > 1 ? 's' : ''}. First, ${where}: ${first.message}${more}. Fix them first; the service would refuse the file.`,
      'Show Problems',
    ).then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return undefined;
  }
  const value = lint.document.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    void vscode.window.showErrorMessage(`Can't ${doing} ${fileLabel(document)}: the file is not a JSON object.`);
    return undefined;
  }
  // The editor-only `$schema` key is not part of the request body.
  const { $schema: _editorOnly, ...body } = value as Record<string, unknown>;
  return body;
}

/** True when a request can be authenticated; otherwise offers the ways to fix that. */
export async function ensureCredentials(ctx: CivitaiContext): Promise<boolean> {
  if (await ctx.service.hasCredentials()) return true;
  const choice = await vscode.window.showWarningMessage(
    `No API token is set for ${ctx.service.current().label}. Set your Civitai API token, or try the local emulator (nothing is charged).`,
    'Set API Token',
    'Use Local Emulator',
  );
  if (choice === 'Set API Token') await vscode.commands.executeCommand('civitai.setApiToken');
  if (choice === 'Use Local Emulator') await vscode.commands.executeCommand('civitai.useLocalEmulator');
  return ctx.service.hasCredentials();
}
