// Above a sweep file (*.sweep.json): how many cells it makes and what they cost locally, and the
// command that prices it with the service and runs it. Recomputed when the sweep file or its
// workflow changes; problems (a missing workflow, a value the contract refuses) read in the lens.
import * as vscode from 'vscode';
import type { CivitaiContext } from '../context';
import type { WorkflowDiagnostics } from '../diagnostics/workflowDiagnostics';
import { describeSweep, estimateText, loadSweepPlan } from './runSweep';

export class SweepCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: CivitaiContext, diagnostics: WorkflowDiagnostics) {
    this.subscription = diagnostics.onDidLint(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const top = new vscode.Range(0, 0, 0, 0);
    const plan = await loadSweepPlan(this.ctx, document.uri);
    if ('error' in plan) {
      return [new vscode.CodeLens(top, { title: `Sweep: ${plan.error}`, command: '', tooltip: plan.error })];
    }
    const notes = plan.sweep.notes.length ? `\n\n${plan.sweep.notes.join('\n')}` : '';
    return [
      new vscode.CodeLens(top, {
        title: `${describeSweep(plan)} · ${estimateText(plan)}`,
        command: 'civitai.runSweep',
        arguments: [document.uri],
        tooltip: `Local estimate of every cell; Run Sweep asks the service for the exact price first.${notes}`,
      }),
      new vscode.CodeLens(top, { title: '$(play) Run Sweep…', command: 'civitai.runSweep', arguments: [document.uri], tooltip: 'Price the whole grid with the service, confirm, and run it' }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
