// Civitai: Cancel Workflow — stops a running workflow. Asks first (saying what cancelling means
// for the Buzz already used) unless the caller says the user already confirmed.
import * as vscode from 'vscode';
import { isUnfinished } from '../../core/history';
import type { CivitaiContext } from '../context';
import { showExplained } from './submit';
import { entryFromArg, pickEntry } from '../history/pickEntry';

export interface CancelOptions {
  /** Skip the confirmation (the user already confirmed, e.g. in the progress notification). */
  confirmed?: boolean;
}

export function cancelWorkflow(ctx: CivitaiContext) {
  return async (arg?: unknown, options: CancelOptions = {}): Promise<boolean> => {
    const entry = entryFromArg(ctx, arg) ?? (arg === undefined ? await pickEntry(ctx, 'Cancel which workflow?', isUnfinished) : undefined);
    if (!entry) return false;
    if (!isUnfinished(entry)) {
      void vscode.window.showInformationMessage(`Civitai: ${entry.label} has already ended (${entry.status}).`);
      return false;
    }
    if (!options.confirmed) {
      const choice = await vscode.window.showWarningMessage(
        `Cancel ${entry.label}?`,
        { modal: true, detail: 'The run stops and the workflow is removed from the service. Buzz for work already done stays charged; work that had not started is not.' },
        'Cancel Workflow',
      );
      if (choice !== 'Cancel Workflow') return false;
    }
    try {
      await ctx.runs.cancel(entry.key);
      void vscode.window.showInformationMessage(`Civitai: ${entry.label} was cancelled.`);
      return true;
    } catch (error) {
      showExplained(ctx, `Cancelling ${entry.label}`, error, entry.emulator);
      return false;
    }
  };
}
