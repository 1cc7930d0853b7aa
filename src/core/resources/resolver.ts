// Resolves AIRs with the service (`GET /v2/resources/{air}`), for one service base URL: answers
// are cached for a TTL (a resource's availability changes; its existence rarely does), requests
// for the same AIR are shared, AIRs asked for within a short window go out as one batch with a
// small concurrency limit, and the cache is bounded. Nothing here waits on lint: callers resolve
// after linting and merge the findings when the answers arrive.
import type { ResourceInfo } from '../api/schemas';

export type ResourceLookup =
  | { status: 'found'; info: ResourceInfo }
  | { status: 'not-found' }
  /** The lookup itself failed (network, auth, 5xx): nothing is known about the resource. */
  | { status: 'error'; message: string };

/** Fetches one AIR: the info, null for 404, or throws. */
export type FetchResource = (air: string, signal?: AbortSignal) => Promise<ResourceInfo | null>;

export interface ResourceResolverOptions {
  /** How long an answer stays fresh (default 10 minutes). */
  ttlMs?: number;
  /** How long a failed lookup is remembered before it is tried again (default 30 s). */
  errorTtlMs?: number;
  /** AIRs asked for within this window share one batch (default 150 ms). */
  batchDelayMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Answers kept (default 2000); the oldest go first. */
  maxEntries?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

interface Entry {
  lookup: ResourceLookup;
  expiresAt: number;
}

interface Pending {
  promise: Promise<ResourceLookup>;
  resolve: (lookup: ResourceLookup) => void;
}

export class ResourceResolver {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Pending>();
  private queue: string[] = [];
  private timer: unknown;
  private generation = 0;
  private readonly ttlMs: number;
  private readonly errorTtlMs: number;
  private readonly batchDelayMs: number;
  private readonly concurrency: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  /** Requests sent so far (for tests and the log). */
  requestsSent = 0;

  constructor(private readonly fetchResource: FetchResource, options: ResourceResolverOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.errorTtlMs = options.errorTtlMs ?? 30_000;
    this.batchDelayMs = options.batchDelayMs ?? 150;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.maxEntries = Math.max(1, options.maxEntries ?? 2000);
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  }

  /** The fresh cached answer for an AIR, if there is one (never fetches). */
  peek(air: string): ResourceLookup | undefined {
    const entry = this.cache.get(air);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.cache.delete(air);
      return undefined;
    }
    return entry.lookup;
  }

  /** Answers for these AIRs: cached ones at once, the rest fetched in the next batch. */
  async resolve(airs: Iterable<string>): Promise<Map<string, ResourceLookup>> {
    const out = new Map<string, ResourceLookup>();
    const waiting: Array<Promise<void>> = [];
    for (const air of new Set(airs)) {
      const cached = this.peek(air);
      if (cached) {
        out.set(air, cached);
        continue;
      }
      waiting.push(this.enqueue(air).then((lookup) => void out.set(air, lookup)));
    }
    await Promise.all(waiting);
    return out;
  }

  /** Forgets every answer (the "refresh" command); lookups in flight still complete. */
  clear(): void {
    this.cache.clear();
    this.generation++;
  }

  private enqueue(air: string): Promise<ResourceLookup> {
    const existing = this.pending.get(air);
    if (existing) return existing.promise;
    let resolve!: (lookup: ResourceLookup) => void;
    const promise = new Promise<ResourceLookup>((r) => (resolve = r));
    this.pending.set(air, { promise, resolve });
    this.queue.push(air);
    if (this.timer === undefined) {
      this.timer = this.setTimer(() => {
        this.timer = undefined;
        void this.flush();
      }, this.batchDelayMs);
    }
    return promise;
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const generation = this.generation;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batch.length) {
        const air = batch[next++];
        const lookup = await this.fetchOne(air);
        if (generation === this.generation) this.store(air, lookup);
        const waiter = this.pending.get(air);
        this.pending.delete(air);
        waiter?.resolve(lookup);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
  }

  private async fetchOne(air: string): Promise<ResourceLookup> {
    this.requestsSent++;
    try {
      const info = await this.fetchResource(air);
      return info ? { status: 'found', info } : { status: 'not-found' };
    } catch (err) {
      return { status: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  }

  private store(air: string, lookup: ResourceLookup): void {
    this.cache.delete(air);
    this.cache.set(air, { lookup, expiresAt: this.now() + (lookup.status === 'error' ? this.errorTtlMs : this.ttlMs) });
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}

/** One resolver per service base URL, so the emulator's answers never stand in for Civitai's. */
export class ResourceResolvers {
  private readonly byBaseUrl = new Map<string, ResourceResolver>();

  constructor(private readonly options: ResourceResolverOptions = {}) {}

  for(baseUrl: string, fetchResource: FetchResource): ResourceResolver {
    const key = baseUrl.replace(/\/+$/, '');
    let resolver = this.byBaseUrl.get(key);
    if (!resolver) {
      resolver = new ResourceResolver(fetchResource, this.options);
      this.byBaseUrl.set(key, resolver);
    }
    return resolver;
  }

  clearAll(): void {
    for (const r of this.byBaseUrl.values()) r.clear();
  }
}
