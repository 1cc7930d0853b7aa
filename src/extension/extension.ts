// Activation only registers things; all work happens lazily when a workflow file or command needs it.
import * as vscode from 'vscode';
import { WorkflowDiagnostics } from './diagnostics';

export interface CivitaiApi {
  diagnostics: WorkflowDiagnostics;
}

export function activate(context: vscode.ExtensionContext): CivitaiApi {
  const diagnostics = new WorkflowDiagnostics();
  context.subscriptions.push(diagnostics);
  return { diagnostics };
}

export function deactivate(): void {}
