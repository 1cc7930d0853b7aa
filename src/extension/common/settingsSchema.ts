// The `civitai.*` settings as a zod schema, validated field by field: a value of the wrong type
// falls back to its default (and is reported), so a bad settings.json never breaks a command.
// Pure (no vscode import) so it is unit-tested directly; settings.ts reads the values.
import * as z from '../../core/zod-mini';
import { BaseUrlError, CIVITAI_BASE_URL, isLoopbackHost, isTrustedTokenHost, normalizeBaseUrl } from '../../core/api/base-url';

export { isLoopbackHost } from '../../core/api/base-url';
export const DEFAULT_BASE_URL = CIVITAI_BASE_URL;

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
  // Normalised (case, dot segments, trailing slash) so one service has one spelling; a URL with
  // credentials in it is refused, and its text is never repeated in the problem.
  try {
    settings.baseUrl = normalizeBaseUrl(settings.baseUrl as string);
  } catch (error) {
    if (!(error instanceof BaseUrlError)) throw error;
    problems.push(`civitai.baseUrl: ${/http\(s\)|Invalid/.test(error.message) ? 'only http(s) URLs are supported' : error.message}; using ${DEFAULT_BASE_URL}`);
    settings.baseUrl = DEFAULT_BASE_URL;
  }
  return { settings: settings as Settings, problems };
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Why a base URL is unsafe for a token, or undefined when it is fine. */
export function insecureBaseUrlWarning(baseUrl: string): string | undefined {
  const url = safeUrl(baseUrl);
  if (!url || url.protocol === 'https:' || isLoopbackHost(url.hostname)) return undefined;
  return `civitai.baseUrl is ${url.protocol}//${url.host}: without https the API token and your workflows travel unencrypted. Use https:// (plain http is only sensible for a local emulator on a loopback address).`;
}


/**
 * Whether the token may go to this base URL without asking: Civitai and loopback emulators
 * always may; any other host only once the user has said yes to that origin.
 */
export function tokenHostNeedsConsent(baseUrl: string, allowedOrigins: readonly string[]): boolean {
  if (isTrustedTokenHost(baseUrl)) return false;
  try {
    return !allowedOrigins.includes(new URL(baseUrl).origin);
  } catch {
    return true;
  }
}
