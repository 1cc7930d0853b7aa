// Timing helpers: samples, summaries, and an adaptive loop that stops on a time budget so the
// whole bench fits its five minutes on a slow or busy machine.

export interface Summary {
  /** Number of samples. */
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
  };
}

/** Linear interpolation between closest ranks (the usual "type 7" quantile) on sorted input. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0];
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface RoundOptions {
  /** Stop after this much wall time (ms), once `minRounds` are done. */
  budgetMs: number;
  minRounds: number;
  maxRounds: number;
}

/**
 * Runs `round` repeatedly (each call measures every contender once, side by side) until the
 * budget is spent. Interleaving contenders means machine noise hits them alike, so their ratios
 * stay meaningful when absolute numbers do not.
 */
export async function runRounds(options: RoundOptions, round: (i: number) => void | Promise<void>): Promise<number> {
  const started = performance.now();
  let i = 0;
  while (i < options.maxRounds && (i < options.minRounds || performance.now() - started < options.budgetMs)) {
    await round(i);
    i++;
  }
  return i;
}

/**
 * How many calls of `fn` make one timed batch of at least `targetMs`: fast operations (a
 * JSON.parse of a few hundred bytes) are far below the timer's useful resolution one by one.
 */
export function calibrateBatch(fn: () => unknown, targetMs = 2, limit = 100_000): number {
  let count = 1;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < count; i++) fn();
    const elapsed = performance.now() - started;
    if (elapsed >= targetMs || count >= limit) return count;
    count = Math.min(limit, elapsed <= 0 ? count * 10 : Math.ceil((count * targetMs * 1.2) / elapsed));
  }
}

/** Milliseconds per call, timed over a batch of `count` calls. */
export function timeBatch(fn: () => unknown, count: number): number {
  const started = performance.now();
  for (let i = 0; i < count; i++) fn();
  return (performance.now() - started) / count;
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function roundSummary(s: Summary, digits = 3): Summary {
  return { n: s.n, median: round(s.median, digits), p95: round(s.p95, digits), min: round(s.min, digits), max: round(s.max, digits), mean: round(s.mean, digits) };
}
