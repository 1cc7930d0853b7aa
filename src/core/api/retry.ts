// Retry and wait policy from the service's errors guide: retry 429 and 5xx (and lost
// connections) with exponential backoff and full jitter, capped near 30 s, about 5 tries;
// never retry 400/401/403/404. Every wait here ends at once when its AbortSignal fires.

export interface RetryPolicy {
  /** Total tries including the first (guide: give up after ~5). */
  maxAttempts: number;
  /** Backoff ceiling for the first retry; doubles each time. */
  baseDelayMs: number;
  /** Cap on any one backoff wait (guide: ~30 s). */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited out: the error goes to the caller instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
});

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Thrown by `sleep` (and recognised by the client) when a signal ends a wait. */
export class AbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'The operation was aborted') {
    super(message);
  }
}

/** setTimeout as a promise that rejects with AbortedError the moment `signal` aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Full-jitter backoff before retry number `retry` (1 = the first retry):
 * uniform in [0, min(maxDelay, base × 2^(retry-1))).
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, and the two obsolete forms a recipient must accept. */
const IMF_FIXDATE = new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`);

/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds from now: delta-seconds (digits only) or an
 * HTTP-date. Undefined for a missing header and for anything else ("-5", "1.5", "soon", a date
 * in another format), so the caller falls back to its own backoff. Dates in the past give 0.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  let date = Number.NaN;
  if (IMF_FIXDATE.test(value) || RFC850_DATE.test(value)) date = Date.parse(value);
  else if (ASCTIME_DATE.test(value)) date = Date.parse(`${value.replace(/ +/g, ' ')} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...(partial ?? {}) };
  policy.maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  return policy;
}

/** The documented polling cadence (results guide): 2 s, 5 s, 10 s, 15 s, then every 30 s. */
export const POLL_CADENCE_MS: readonly number[] = Object.freeze([2000, 5000, 10_000, 15_000, 30_000]);

/** Wait before poll number `n` (0 = after the first GET). */
export function pollDelay(n: number, cadence: readonly number[] = POLL_CADENCE_MS): number {
  return cadence[Math.min(n, cadence.length - 1)];
}
