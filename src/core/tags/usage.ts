// The user's own tag picks, blended into completion ranking. Persisted by the editor (global
// state), so read back through a trust boundary: anything malformed is dropped, and the table is
// bounded (the least used names go first).
export const MAX_TAG_USAGE_ENTRIES = 2000;
const MAX_NAME_LENGTH = 200;

/** The stored form: { tagName: picks }. */
export type StoredTagUsage = Record<string, number>;

export function parseTagUsage(raw: unknown): Map<string, number> {
  const usage = new Map<string, number>();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return usage;
  for (const [name, count] of Object.entries(raw as Record<string, unknown>)) {
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) continue;
    if (typeof count !== 'number' || !Number.isInteger(count) || count <= 0) continue;
    usage.set(name, Math.min(count, 1_000_000));
  }
  return bound(usage);
}

/** The usage with one more pick of `name`. */
export function recordTagUse(usage: ReadonlyMap<string, number>, name: string): Map<string, number> {
  const next = new Map(usage);
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return next;
  next.set(name, Math.min((next.get(name) ?? 0) + 1, 1_000_000));
  return bound(next);
}

export function storeTagUsage(usage: ReadonlyMap<string, number>): StoredTagUsage {
  return Object.fromEntries(usage);
}

function bound(usage: Map<string, number>): Map<string, number> {
  if (usage.size <= MAX_TAG_USAGE_ENTRIES) return usage;
  return new Map([...usage].sort((a, b) => b[1] - a[1]).slice(0, MAX_TAG_USAGE_ENTRIES));
}
