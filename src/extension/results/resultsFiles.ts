// Where result images are kept: the `civitai.resultsFolder` setting, relative to the first
// workspace folder (or the extension's storage when no folder is open). Files are named after the
// workflow so the folder stays readable: `<folder>/<file stem>-<workflow id>/<step>-<n>.<ext>`.
import * as vscode from 'vscode';
import { isInside, outputExtension, imageExtension, safeName } from '../../core/results/file-names';

export { IMAGE_MIME, imageExtension, outputExtension, safeName } from '../../core/results/file-names';

export function resultsRoot(setting: string, storage: vscode.Uri): vscode.Uri {
  const isAbsolute = /^([a-zA-Z]:[\\/]|[\\/])/.test(setting);
  if (isAbsolute) return vscode.Uri.file(setting);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const base = folder ? folder.uri : vscode.Uri.joinPath(storage, 'results');
  return vscode.Uri.joinPath(base, ...setting.split(/[\\/]+/).filter((s) => s && s !== '.'));
}

export function workflowFolder(root: vscode.Uri, label: string, workflowId: string): vscode.Uri {
  const folder = vscode.Uri.joinPath(root, `${safeName(label, 40)}-${safeName(workflowId, 60)}`);
  if (root.scheme === 'file' && !isInside(root.fsPath, folder.fsPath)) throw new Error(`Refusing to write outside ${root.fsPath}`);
  return folder;
}

export async function writeOutputFile(folder: vscode.Uri, stepName: string, where: string, bytes: Uint8Array, media: string): Promise<vscode.Uri> {
  const file = vscode.Uri.joinPath(folder, `${safeName(stepName, 40)}-${safeName(where, 60)}.${outputExtension(bytes, media)}`);
  // Names come from the service: sanitised above, and checked here to stay in the results folder.
  if (folder.scheme === 'file' && !isInside(folder.fsPath, file.fsPath)) throw new Error(`Refusing to write outside ${folder.fsPath}`);
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(file, bytes);
  return file;
}

export async function writeImage(folder: vscode.Uri, stepName: string, index: number, bytes: Uint8Array): Promise<vscode.Uri> {
  const file = vscode.Uri.joinPath(folder, `${safeName(stepName, 40)}-${index}.${imageExtension(bytes)}`);
  // Names come from the service: sanitised above, and checked here to stay in the results folder.
  if (folder.scheme === 'file' && !isInside(folder.fsPath, file.fsPath)) throw new Error(`Refusing to write outside ${folder.fsPath}`);
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(file, bytes);
  return file;
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Asks where to save a copy of a result file, suggesting `<workflow>-<file name>` in the workspace. */
export async function askSaveTarget(label: string, file: vscode.Uri, saveLabel: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = file.path.split('/').pop() ?? 'output.bin';
  return vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${safeName(label, 40)}-${name}`) : undefined,
    saveLabel,
  });
}
