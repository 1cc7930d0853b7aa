// The `civitai.*` settings as a zod schema, validated field by field: a value of the wrong type
// falls back to its default (and is reported), so a bad settings.json never breaks a command.
// Pure (no vscode import) so it is unit-tested directly; settings.ts reads the values.
import * as z from '../core/zod-mini';

export const DEFAULT_BASE_URL = 'https://orchestration.civitai.com';

const SettingsSchema = z.object({
  baseUrl: z._default(z.string().check(z.trim(), z.url()), DEFAULT_BASE_URL),
  wait: z._default(z.int().check(z.minimum(0), z.maximum(100)), 30),
  confirmAboveBuzz: z._default(z.number().check(z.minimum(0)), 50),
  resultsFolder: z._default(z.string().check(z.trim(), z.minLength(1)), '.civitai/results'),
  hideMatureContent: z._default(z.boolean(), false),
  tagWikiLinks: z._default(z.boolean(), false),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsKey = keyof Settings;

export const SETTINGS_KEYS = Object.keys(SettingsSchema.shape) as SettingsKey[];

export interface SettingsRead {
  settings: Settings;
  /** One line per setting whose value was refused (the default is used instead). */
  problems: string[];
}

/** Validates raw values field by field (pure; exported for tests). */
export function parseSettings(raw: Partial<Record<SettingsKey, unknown>>): SettingsRead {
  const defaults = SettingsSchema.parse({});
  const settings = { ...defaults } as Record<SettingsKey, unknown>;
  const problems: string[] = [];
  for (const key of SETTINGS_KEYS) {
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

