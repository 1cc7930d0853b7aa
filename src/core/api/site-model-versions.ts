// Civitai's site API, one endpoint: `GET /api/v1/model-versions/{id}` (site reference, "Model
// versions"), which gives a version's AIR and base model. Import uses it to turn the version ids
// of a `Civitai resources` list into AIRs. The answer is validated, remembered per base URL (a
// version's AIR never changes), and the token (optional on this endpoint) only ever goes into the
// Authorization header: never into a URL, a message or the cache key.
import * as z from '../zod-mini';
import type { ModelVersionInfo, ModelVersionResolver } from '../prompt/import-params-civitai';

export const DEFAULT_SITE_URL = 'https://civitai.com';
/** At most this many ids are looked up per import (a hostile block may list thousands). */
export const MAX_LOOKUPS_PER_IMPORT = 40;
const CONCURRENCY = 4;
const CACHE_LIMIT = 2000;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

const versionSchema = z.looseObject({
  id: z.number(),
  modelId: z.optional(z.number()),
  name: z.optional(z.nullable(z.string())),
  air: z.string(),
  baseModel: z.optional(z.nullable(z.string())),
  model: z.optional(z.looseObject({ name: z.optional(z.string()), type: z.optional(z.string()) })),
});

export interface SiteResolverOptions {
  baseUrl?: string;
  token?: string;
  fetch?: typeof fetch;
  /** Per-request limit (default 10 s). */
  timeoutMs?: number;
  /** Called once per failed lookup (a version id or a file hash) with a reason that never holds the token. */
  onError?: (id: number | string, reason: string) => void;
}

/** Found versions (and the ids the site said do not exist), shared by every resolver of a base URL. */
const cache = new Map<string, ModelVersionInfo | null>();

function remember(key: string, value: ModelVersionInfo | null): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

/** One line for many failed lookups: `3 model versions (11, 22, 33): the site could not be reached`. */
export function describeLookupFailures(failures: ReadonlyArray<{ id: number | string; reason: string }>): string | undefined {
  if (!failures.length) return undefined;
  const byReason = new Map<string, Array<number | string>>();
  for (const f of failures) byReason.set(f.reason, [...(byReason.get(f.reason) ?? []), f.id]);
  const parts = [...byReason].map(([reason, ids]) => `${ids.length} (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}): ${reason}`);
  return `could not look up ${failures.length} model version${failures.length > 1 ? 's' : ''} (ids or file hashes) on the Civitai site: ${parts.join('; ')}`;
}

/** For tests: forget what earlier lookups found. */
export function clearModelVersionCache(): void {
  cache.clear();
}

export function createModelVersionResolver(options: SiteResolverOptions = {}): ModelVersionResolver {
  const base = (options.baseUrl ?? DEFAULT_SITE_URL).replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  /** Set when the site could not be reached at all: the remaining ids are not tried. */
  let unreachable = false;

  async function lookUp(id: number | string): Promise<ModelVersionInfo | null | undefined> {
    const byHash = typeof id === 'string';
    const key = byHash ? `${base}#h:${id}` : `${base}#${id}`;
    if (cache.has(key)) return cache.get(key);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    try {
      const response = await doFetch(`${base}/api/v1/model-versions/${byHash ? `by-hash/${id}` : id}`, { headers, signal: AbortSignal.timeout(timeoutMs) });
      if (response.status === 404) {
        remember(key, null);
        return null;
      }
      if (!response.ok) {
        options.onError?.(id, `HTTP ${response.status}`);
        return undefined;
      }
      const text = await response.text();
      if (text.length > MAX_RESPONSE_BYTES) {
        options.onError?.(id, 'the answer is too large');
        return undefined;
      }
      const parsed = versionSchema.safeParse(JSON.parse(text));
      if (!parsed.success) {
        options.onError?.(id, 'the answer is not a model version');
        return undefined;
      }
      const v = parsed.data;
      const info: ModelVersionInfo = {
        id: v.id,
        air: v.air,
        ...(v.baseModel ? { baseModel: v.baseModel } : {}),
        ...(v.model?.name ? { modelName: v.model.name } : {}),
        ...(v.name ? { versionName: v.name } : {}),
        ...(v.model?.type ? { type: v.model.type } : {}),
      };
      remember(key, info);
      return info;
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const reason = timedOut ? 'no answer in time' : error instanceof SyntaxError ? 'the answer is not JSON' : 'the site could not be reached';
      if (!(error instanceof SyntaxError)) unreachable = true;
      options.onError?.(id, reason);
      return undefined;
    }
  }

  async function lookUpAll<K extends number | string>(wanted: K[]): Promise<Map<K, ModelVersionInfo>> {
    const found = new Map<K, ModelVersionInfo>();
    for (let i = 0; i < wanted.length; i += CONCURRENCY) {
      // Offline or blocked: one batch's worth of waiting, not one per batch.
      if (unreachable) {
        for (const id of wanted.slice(i)) options.onError?.(id, 'not looked up: the site could not be reached');
        break;
      }
      const batch = wanted.slice(i, i + CONCURRENCY);
      const answers = await Promise.all(batch.map(lookUp));
      answers.forEach((a, k) => {
        if (a) found.set(batch[k], a);
      });
    }
    return found;
  }

  const resolver: ModelVersionResolver = (ids) =>
    lookUpAll([...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0).slice(0, MAX_LOOKUPS_PER_IMPORT));
  resolver.byHash = (hashes) =>
    lookUpAll([...new Set(hashes.map((h) => h.trim().toLowerCase()))].filter((h) => /^[0-9a-f]{8,64}$/.test(h)).slice(0, MAX_LOOKUPS_PER_IMPORT));
  return resolver;
}
