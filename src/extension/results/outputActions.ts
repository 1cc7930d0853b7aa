// What the buttons on non-image outputs do (videos, audio, 3D models, files, texts): open or save
// the downloaded file, download it again, copy a text. The webview names the output by its key;
// everything else comes from the history.
import * as vscode from 'vscode';
import { buildOutputs, type HistoryEntry } from '../../core/history';
import type { HistoryStore } from '../history/historyStore';
import type { WorkflowRuns } from '../runs/runs';
import { askSaveTarget } from './resultsFiles';

export async function outputAction(ctx: { readonly runs: WorkflowRuns; readonly history: HistoryStore }, entry: HistoryEntry, action: string, key: string): Promise<string | void> {
  const output = buildOutputs(entry, () => null).find((o) => o.key === key);
  if (!output) return 'That output is not part of this workflow.';
  const saved = entry.files?.find((f) => f.blobId === key);
  const file = saved?.localPath ? vscode.Uri.file(saved.localPath) : undefined;
  switch (action) {
    case 'copyText':
      if (output.text === null) return 'This output has no text to copy.';
      await vscode.env.clipboard.writeText(output.text);
      return `${output.label} copied.`;
    case 'open':
      if (!file) return 'The file is not downloaded yet.';
      await vscode.commands.executeCommand('vscode.open', file, { preview: true, viewColumn: vscode.ViewColumn.Active });
      return;
    case 'save': {
      if (!file) return 'The file is not downloaded yet.';
      const target = await askSaveTarget(entry.label, file, 'Save file');
      if (!target) return;
      await vscode.workspace.fs.copy(file, target, { overwrite: true });
      return `Saved to ${vscode.workspace.asRelativePath(target)}.`;
    }
    case 'download': {
      await ctx.runs.refreshImage(entry.key, key);
      const after = ctx.history.get(entry.key)?.files?.find((f) => f.blobId === key);
      if (after?.localPath) return 'Downloaded.';
      return after?.withheld ?? ctx.history.get(entry.key)?.lastError ?? 'Could not download the file.';
    }
    default:
      return;
  }
}
