// A typed view of the `civitai.*` settings, validated with zod. A value of the wrong type falls
// back to its default (and is reported once), so a bad settings.json never breaks a command.
import * as vscode from 'vscode';
import { z } from 'zod';

export const DEFAULT_BASE_URL = 'https://orchestration.civitai.com';

const SettingsSchema = z.object({
  baseUrl: z.string().trim().url().default(DEFAULT_BASE_URL),
  wait: z.number().int().min(0).max(100).default(30),
  confirmAboveBuzz: z.number().min(0).default(50),
  resultsFolder: z.string().trim().min(1).default('.civitai/results'),
  hideMatureContent: z.boolean().default(false),
});
export type Settings = z.infer<typeof SettingsSchema>;
type Key = keyof Settings;

const KEYS = Object.keys(SettingsSchema.shape) as Key[];

export interface SettingsRead {
  settings: Settings;
  /** One line per setting whose value was refused (the default is used instead). */
  problems: string[];
}

/** Validates raw values field by field (pure; exported for tests). */
export function parseSettings(raw: Partial<Record<Key, unknown>>): SettingsRead {
  const defaults = SettingsSchema.parse({});
  const settings = { ...defaults } as Record<Key, unknown>;
  const problems: string[] = [];
  for (const key of KEYS) {
    if (raw[key] === undefined) continue;
    const parsed = SettingsSchema.shape[key].safeParse(raw[key]);
    if (parsed.success) settings[key] = parsed.data;
    else problems.push(`civitai.${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}; using ${JSON.stringify(defaults[key])}`);
  }
  const url = safeUrl(settings.baseUrl as string);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    problems.push(`civitai.baseUrl: only http(s) URLs are supported; using ${DEFAULT_BASE_URL}`);
    settings.baseUrl = DEFAULT_BASE_URL;
  }
  settings.baseUrl = (settings.baseUrl as string).replace(/\/+$/, '');
  return { settings: settings as Settings, problems };
}

export function readSettings(): SettingsRead {
  const config = vscode.workspace.getConfiguration('civitai');
  const raw: Partial<Record<Key, unknown>> = {};
  for (const key of KEYS) raw[key] = config.get(key);
  return parseSettings(raw);
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Why a base URL is unsafe for a token, or undefined when it is fine. */
export function insecureBaseUrlWarning(baseUrl: string): string | undefined {
  const url = safeUrl(baseUrl);
  if (!url || url.protocol === 'https:' || isLoopbackHost(url.hostname)) return undefined;
  return `civitai.baseUrl is ${url.protocol}//${url.host}: without https the API token and your workflows travel unencrypted. Use https:// (plain http is only sensible for a local emulator on a loopback address).`;
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return KEYS.some((key) => event.affectsConfiguration(`civitai.${key}`));
}
