// Reads the `civitai.*` settings through the zod schema in settingsSchema.ts.
import * as vscode from 'vscode';
import { parseSettings, SETTINGS_KEYS, type SettingsKey, type SettingsRead } from './settingsSchema';

export { DEFAULT_BASE_URL, insecureBaseUrlWarning, isLoopbackHost, parseSettings, tokenHostNeedsConsent } from './settingsSchema';
export type { Settings, SettingsRead } from './settingsSchema';

export function readSettings(): SettingsRead {
  const config = vscode.workspace.getConfiguration('civitai');
  const raw: Partial<Record<SettingsKey, unknown>> = {};
  for (const key of SETTINGS_KEYS) raw[key] = config.get(key);
  return parseSettings(raw);
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return SETTINGS_KEYS.some((key) => event.affectsConfiguration(`civitai.${key}`));
}
