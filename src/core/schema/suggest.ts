// Small wording helpers for contract findings: "did you mean", readable lists, JSON type names.

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

const normalize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9+]/g, '');

/**
 * Values longer than this get no "did you mean": a typo of a name is short, and edit distance costs
 * length × length (a 10 MB `$type` against every step type took 24 s).
 */
export const MAX_SUGGEST_LENGTH = 100;

/** The candidate a user most likely meant, or undefined when none is close. */
export function closestMatch(value: string, candidates: readonly string[]): string | undefined {
  if (value.length > MAX_SUGGEST_LENGTH) return undefined;
  const n = normalize(value);
  const exact = candidates.find((c) => normalize(c) === n);
  if (exact !== undefined) return exact;
  if (value.length < 3) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const nc = normalize(c);
    // Lengths more than two apart cannot be within the limit: skip the distance.
    if (Math.abs(nc.length - n.length) > 2) continue;
    const d = editDistance(n, nc);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = value.length <= 5 ? 1 : 2;
  return bestDistance <= limit ? best : undefined;
}

/** `a`, `b`, `c` … and 12 more — short enough for a diagnostic line. */
export function listValues(values: readonly string[], max = 12): string {
  const shown = values.slice(0, max).map((v) => `\`${v}\``);
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} … and ${rest} more` : shown.join(', ');
}

export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** "an integer", "a string or null" from ajv's `params.type` ("null,string"). */
export function describeTypes(types: string | readonly string[]): string {
  const list = (Array.isArray(types) ? types : String(types).split(',')).map((t) => t.trim()).filter(Boolean);
  const withoutNull = list.filter((t) => t !== 'null');
  const words = withoutNull.map((t) => ARTICLE[t] ?? t);
  if (list.includes('null')) words.push('null');
  return words.length <= 1 ? (words[0] ?? 'a value') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** A value quoted for a message, shortened when long. */
export function showValue(value: unknown, max = 40): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) >= 10000 ? n.toLocaleString('en-US').replace(/,/g, ' ') : String(n);
}
