// Wildcard files (`__colour__` → wildcards/colour.txt), read before expansion so that expansion
// stays synchronous and pure. Readers differ (the CLI reads the disk, the extension the workspace);
// the bounds do not: at most 200 files, each at most 1 MB, names without `..`.
import { wildcardLines, wildcardNames } from './dynamic-prompts';

const MAX_FILES = 200;
const MAX_FILE_CHARS = 1_000_000;

/** Loads every wildcard the texts name, and those their lines name in turn. */
export async function loadWildcards(texts: readonly string[], read: (name: string) => Promise<string | undefined>): Promise<Map<string, string[]>> {
  const seen = new Set<string>();
  const found = new Map<string, string[]>();
  const queue = [...texts];
  while (queue.length > 0 && seen.size < MAX_FILES) {
    for (const name of wildcardNames(queue.pop() ?? '')) {
      if (seen.has(name) || name.includes('..') || name.startsWith('/')) continue;
      seen.add(name);
      const text = await read(name).catch(() => undefined);
      if (text === undefined || text.length > MAX_FILE_CHARS) continue;
      const lines = wildcardLines(text);
      found.set(name, lines);
      queue.push(...lines);
    }
  }
  return found;
}

/** The prompts of a workflow, for finding the wildcards it names. */
export function promptTexts(workflow: unknown): string[] {
  return JSON.stringify(workflow ?? null).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
}
