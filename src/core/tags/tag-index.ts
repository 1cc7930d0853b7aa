// The Danbooru tag index: ~140 000 tags with their category, post count and aliases, searchable by
// prefix and substring of names and aliases, ranked by post count blended with the user's own
// usage. Built from the shipped TSV (scripts/build-tags.mjs) in one pass; pure, no I/O.

export type TagCategory = 'general' | 'artist' | 'copyright' | 'character' | 'meta';
const CATEGORIES: readonly TagCategory[] = ['general', 'artist', 'copyright', 'character', 'meta'];
/** Danbooru's category digit (0, 1, 3, 4, 5) → index in CATEGORIES. */
const CATEGORY_INDEX: Readonly<Record<number, number>> = { 0: 0, 1: 1, 3: 2, 4: 3, 5: 4 };


export interface TagInfo {
  /** Danbooru's spelling, with underscores: `blonde_hair`. */
  readonly name: string;
  readonly category: TagCategory;
  /** Posts carrying the tag (January 2025); -1 for the extra quality tags, which have none. */
  readonly postCount: number;
  readonly aliases: readonly string[];
}

export type TagMatchKind = 'exact' | 'prefix' | 'alias' | 'word' | 'substring';

export interface TagMatch {
  readonly tag: TagInfo;
  readonly kind: TagMatchKind;
  /** The alias the query matched, when the match came through one. */
  readonly alias?: string;
  readonly score: number;
}

/** How many times the user picked each tag (by name): kept by the editor, blended into ranking. */
export type TagUsage = ReadonlyMap<string, number>;

export interface TagSearchOptions {
  readonly limit?: number;
  readonly usage?: TagUsage;
}

/** The comparison key of a tag or alias: lower case, `_` read as a space, spaces collapsed. */
export function tagSearchKey(name: string): string {
  return name.toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

// How a match kind weighs against popularity (log10 of posts): a prefix match on a tag with a
// hundredth of the posts still ranks level with a word match inside a popular tag's name.
const KIND_BONUS: Readonly<Record<TagMatchKind, number>> = { exact: 4, prefix: 2, alias: 1.5, word: 1, substring: 0 };
/** Each doubling of the user's picks weighs like ten times the posts. */
const USAGE_WEIGHT = 1;

export function rankScore(kind: TagMatchKind, postCount: number, uses = 0): number {
  return KIND_BONUS[kind] + Math.log10(Math.max(postCount, 0) + 10) + USAGE_WEIGHT * Math.log2(1 + uses);
}

// The match kinds as small codes for the search's scratch arrays.
const KIND_BY_CODE: readonly TagMatchKind[] = ['exact', 'prefix', 'alias', 'word', 'substring'];
const [EXACT, PREFIX, ALIAS, WORD, SUBSTRING] = [0, 1, 2, 3, 4];
const KIND_BONUS_BY_CODE = KIND_BY_CODE.map((k) => KIND_BONUS[k]);

/** A sorted list of keys kept as one '\n'-joined string and where each key starts: no per-key strings. */
class SortedKeys {
  readonly starts: Int32Array;
  constructor(readonly text: string, count?: number) {
    let n = count;
    if (n === undefined) {
      n = text === '' ? 0 : 1;
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
    }
    this.starts = new Int32Array(n + 1);
    let at = 0;
    for (let i = 0; i < n; i++) {
      this.starts[i] = at;
      const nl = text.indexOf('\n', at);
      at = nl < 0 ? text.length + 1 : nl + 1;
    }
    this.starts[n] = text.length + 1;
  }
  get length(): number {
    return this.starts.length - 1;
  }
  keyLength(i: number): number {
    return this.starts[i + 1] - 1 - this.starts[i];
  }
  key(i: number): string {
    return this.text.slice(this.starts[i], this.starts[i + 1] - 1);
  }
  /** First index whose key is >= q. */
  lowerBound(q: string): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.key(mid) < q) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  indexOf(q: string): number {
    const i = this.lowerBound(q);
    return i < this.length && this.keyLength(i) === q.length && this.text.startsWith(q, this.starts[i]) ? i : -1;
  }
  startsWith(i: number, q: string): boolean {
    return this.keyLength(i) >= q.length && this.text.startsWith(q, this.starts[i]);
  }
  /** The key holding character `at` of the joined text. */
  at(at: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

/** `n` integers written one per line (optionally negative). */
function parseIntegerLines(text: string, n: number): Int32Array {
  const out = new Int32Array(n);
  let i = 0;
  let value = 0;
  let sign = 1;
  let digits = false;
  for (let c = 0; c <= text.length && i < n; c++) {
    const code = c < text.length ? text.charCodeAt(c) : 10;
    if (code === 10) {
      if (digits) out[i++] = sign * value;
      value = 0;
      sign = 1;
      digits = false;
    } else if (code === 45) sign = -1;
    else {
      value = value * 10 + (code - 48);
      digits = true;
    }
  }
  return out;
}

const HEADER_RE = /^civitai-danbooru-tags 1 (\d+) (\d+)$/;

export class TagIndex {
  /** Tag search keys in order; a tag's Danbooru name is its key with spaces as `_`. */
  private readonly keys: SortedKeys;
  private readonly aliases: SortedKeys;
  private readonly aliasTag: Int32Array;
  private readonly aliasStart: Int32Array;
  private readonly aliasByTag: Int32Array;
  private readonly categories: string;
  private readonly counts: Int32Array;
  // Per-search scratch, reused: the best score per tag and which search wrote it.
  private readonly scores: Float64Array;
  private readonly stamps: Uint32Array;
  private readonly kinds: Uint8Array;
  private readonly via: Int32Array;
  private stamp = 0;

  /** The shipped format (scripts/build-tags.mjs) as bytes: each section decoded on its own, so the ASCII ones stay compact (one byte per character) strings. */
  static fromBytes(bytes: Buffer): TagIndex {
    const sections: string[] = [];
    for (let at = 0; ; ) {
      const end = bytes.indexOf('\n\n', at);
      sections.push(bytes.toString('utf8', at, end < 0 ? bytes.length : end));
      if (end < 0) break;
      at = end + 2;
    }
    return new TagIndex(sections);
  }

  /** `data`: the shipped format as text, or its sections (header, keys, categories, counts, alias keys, alias owners). */
  constructor(data: string | readonly string[]) {
    const sections = typeof data === 'string' ? data.replace(/\n+$/, '').split('\n\n') : data;
    const header = HEADER_RE.exec(sections[0] ?? '');
    if (!header || sections.length < 6) throw new Error('Danbooru tag data: unexpected format (rebuild it with scripts/build-tags.mjs)');
    const n = Number(header[1]);
    const aliasCount = Number(header[2]);
    this.keys = new SortedKeys(sections[1].replace(/\n+$/, ''), n);
    this.categories = sections[2];
    this.counts = parseIntegerLines(sections[3], n);
    this.aliases = new SortedKeys(sections[4], aliasCount);
    this.aliasTag = parseIntegerLines(sections[5], aliasCount);
    // Aliases by tag, for hovers: alias indices grouped by their tag (a counting sort).
    this.aliasStart = new Int32Array(n + 1);
    for (const t of this.aliasTag) this.aliasStart[t + 1]++;
    for (let i = 0; i < n; i++) this.aliasStart[i + 1] += this.aliasStart[i];
    this.aliasByTag = new Int32Array(aliasCount);
    const fill = this.aliasStart.slice(0, n);
    this.aliasTag.forEach((t, a) => (this.aliasByTag[fill[t]++] = a));
    this.scores = new Float64Array(n);
    this.stamps = new Uint32Array(n);
    this.kinds = new Uint8Array(n);
    this.via = new Int32Array(n);
  }

  get size(): number {
    return this.keys.length;
  }

  private name(i: number): string {
    return this.keys.key(i).replace(/ /g, '_');
  }

  private category(i: number): TagCategory {
    return CATEGORIES[CATEGORY_INDEX[this.categories.charCodeAt(i) - 48] ?? 0];
  }

  private info(i: number): TagInfo {
    const aliases: string[] = [];
    for (let k = this.aliasStart[i]; k < this.aliasStart[i + 1]; k++) aliases.push(this.aliases.key(this.aliasByTag[k]));
    return { name: this.name(i), category: this.category(i), postCount: this.counts[i], aliases };
  }

  /** The tag whose name is `name` (any spelling: `Blonde Hair`, `blonde_hair`). */
  get(name: string): TagInfo | undefined {
    const i = this.keys.indexOf(tagSearchKey(name));
    return i < 0 ? undefined : this.info(i);
  }

  /** The canonical tag an alias stands for (undefined when `name` is itself a tag or unknown). */
  canonicalOf(alias: string): TagInfo | undefined {
    const a = this.aliases.indexOf(tagSearchKey(alias));
    return a < 0 ? undefined : this.info(this.aliasTag[a]);
  }

  /** Whether the name is a tag or one of its aliases. */
  knows(name: string): boolean {
    const key = tagSearchKey(name);
    return this.keys.indexOf(key) >= 0 || this.aliases.indexOf(key) >= 0;
  }

  /**
   * Tags matching the query, best first: names and aliases that start with it, names with a word
   * starting with it (from 2 characters on) and names containing it (from 3); each tag once,
   * scored by how it matched, its posts and the user's picks.
   */
  search(query: string, options: TagSearchOptions = {}): TagMatch[] {
    const limit = Math.max(1, options.limit ?? 50);
    const usage = options.usage;
    const q = tagSearchKey(query);
    const stamp = ++this.stamp;
    const found: number[] = [];
    const uses = usage && usage.size ? this.usageByTag(usage) : undefined;
    const posts = this.postScores();
    // kind and alias (-1: none) of each tag's best match so far, in the reused scratch arrays.
    const consider = (tag: number, kind: number, alias = -1) => {
      const score = KIND_BONUS_BY_CODE[kind] + posts[tag] + (uses ? USAGE_WEIGHT * Math.log2(1 + (uses.get(tag) ?? 0)) : 0);
      if (this.stamps[tag] !== stamp) {
        this.stamps[tag] = stamp;
        found.push(tag);
      } else if (this.scores[tag] >= score) return;
      this.scores[tag] = score;
      this.kinds[tag] = kind;
      this.via[tag] = alias;
    };
    if (q === '') {
      // Nothing typed yet: the most posted tags and the user's own.
      for (const i of this.topByCount(limit)) consider(i, PREFIX);
      if (uses) for (const i of uses.keys()) consider(i, PREFIX);
    } else {
      // Prefix matches: one contiguous run of each sorted list.
      for (let i = this.keys.lowerBound(q); i < this.keys.length && this.keys.startsWith(i, q); i++) consider(i, this.keys.keyLength(i) === q.length ? EXACT : PREFIX);
      for (let a = this.aliases.lowerBound(q); a < this.aliases.length && this.aliases.startsWith(a, q); a++) consider(this.aliasTag[a], ALIAS, a);
      const text = this.keys.text;
      if (q.length >= 3) {
        // Inside a name: one scan of the joined keys (a word start ranks above the middle of a word).
        for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + 1)) {
          const before = text.charCodeAt(at - 1);
          if (at === 0 || before === 10) continue; // a prefix match, counted above
          consider(this.keys.at(at), before === 32 || before === 40 /* ( */ ? WORD : SUBSTRING);
        }
      } else if (q.length === 2) {
        // Two letters are inside too many names to be useful: words after a space only (`long hair` for `ha`).
        const needle = ' ' + q;
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) consider(this.keys.at(at + 1), WORD);
      }
    }
    const top = topK(found, limit, (a, b) => this.scores[b] - this.scores[a] || this.counts[b] - this.counts[a]);
    return top.map((i) => {
      const alias = this.via[i];
      return { tag: this.info(i), kind: KIND_BY_CODE[this.kinds[i]], ...(alias >= 0 ? { alias: this.aliases.key(alias) } : {}), score: this.scores[i] };
    });
  }

  private postScoreCache?: Float64Array;
  /** log10(posts + 10) per tag, computed on the first search. */
  private postScores(): Float64Array {
    if (!this.postScoreCache) {
      this.postScoreCache = new Float64Array(this.size);
      for (let i = 0; i < this.size; i++) this.postScoreCache[i] = Math.log10(Math.max(this.counts[i], 0) + 10);
    }
    return this.postScoreCache;
  }

  private usageCache?: { usage: TagUsage; byTag: Map<number, number> };
  /** The user's picks by tag index (recomputed when the editor hands over a new usage table). */
  private usageByTag(usage: TagUsage): Map<number, number> {
    if (this.usageCache?.usage !== usage) {
      const byTag = new Map<number, number>();
      for (const [name, n] of usage) {
        const i = this.keys.indexOf(tagSearchKey(name));
        if (i >= 0 && n > 0) byTag.set(i, n);
      }
      this.usageCache = { usage, byTag };
    }
    return this.usageCache.byTag;
  }

  private topCache?: number[];
  /** The most posted tags, found once by one pass (the data is in key order). */
  private topByCount(n: number): number[] {
    if (!this.topCache || this.topCache.length < n) {
      const k = Math.max(n, 200);
      const all = Array.from({ length: this.size }, (_, i) => i);
      this.topCache = topK(all, k, (a, b) => this.counts[b] - this.counts[a]);
    }
    return this.topCache.slice(0, n);
  }

  private readonly closestCache = new Map<string, TagInfo[]>();

  /**
   * Known tags within a small edit distance of an unknown one (1 for short names, 2 from 6
   * characters on), closest and most used first. Candidates share the first character (typos
   * rarely hit it) and have a length within reach; results are remembered (bounded).
   */
  closest(name: string, max = 3): TagInfo[] {
    const q = tagSearchKey(name);
    if (q.length < 3) return [];
    const memo = `${max}:${q}`;
    const hit = this.closestCache.get(memo);
    if (hit) return hit;
    const limit = q.length >= 6 ? 2 : 1;
    const found: Array<{ i: number; d: number }> = [];
    const first = q[0];
    const end = this.keys.lowerBound(String.fromCharCode(first.charCodeAt(0) + 1));
    for (let i = this.keys.lowerBound(first); i < end; i++) {
      if (Math.abs(this.keys.keyLength(i) - q.length) > limit) continue;
      const d = boundedDistance(q, this.keys.key(i), limit);
      if (d <= limit) found.push({ i, d });
    }
    const out = found
      .sort((a, b) => a.d - b.d || this.counts[b.i] - this.counts[a.i])
      .slice(0, max)
      .map((f) => this.info(f.i));
    if (this.closestCache.size >= 5000) this.closestCache.clear();
    this.closestCache.set(memo, out);
    return out;
  }
}

/** The k best items by `compare`, without sorting them all. */
function topK(items: number[], k: number, compare: (a: number, b: number) => number): number[] {
  if (items.length <= k * 4) return items.sort(compare).slice(0, k);
  const out: number[] = [];
  for (const item of items) {
    if (out.length === k && compare(item, out[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(out[mid], item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, item);
    if (out.length > k) out.pop();
  }
  return out;
}

/** Levenshtein distance, or limit + 1 as soon as it must exceed `limit`. */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}
