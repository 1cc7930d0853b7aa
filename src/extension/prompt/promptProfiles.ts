// Keeps the core's active user profiles in step with the `civitai.modelProfiles` setting (validated
// with zod in core); refused entries are logged and shown once per change.
import * as vscode from 'vscode';
import { parseUserProfiles, setActiveUserProfiles } from '../../core/ecosystems/profiles';

export interface ProfileLog {
  warn(message: string): void;
}

export function loadUserProfiles(log?: ProfileLog, announce = false): void {
  const raw = vscode.workspace.getConfiguration('civitai').get<unknown>('modelProfiles');
  const { profiles, problems } = parseUserProfiles(raw);
  setActiveUserProfiles(profiles);
  for (const p of problems) log?.warn(`settings: ${p}`);
  if (announce && problems.length) {
    void vscode.window.showWarningMessage(`Civitai: ${problems.length} model profile(s) in civitai.modelProfiles were ignored. ${problems[0]}`);
  }
}

/** Loads the profiles now and again whenever the setting changes. */
export function watchUserProfiles(log?: ProfileLog, onChange?: () => void): vscode.Disposable {
  loadUserProfiles(log);
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('civitai.modelProfiles')) return;
    loadUserProfiles(log, true);
    onChange?.();
  });
}
