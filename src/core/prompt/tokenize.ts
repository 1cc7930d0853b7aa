// Tag tokenizer for Stable-Diffusion-style prompts: comma-separated tags with the attention syntax
// popularised by AUTOMATIC1111 (which sdcpp and ComfyUI read too):
//   (tag)       emphasis ×1.1 per level        [tag]      de-emphasis ÷1.1 per level
//   (tag:1.2)   explicit weight                \( \)      literal brackets, e.g. `firefly \(honkai: star rail\)`
//   BREAK       start a new 75-token chunk     <lora:name:0.8>, <lyco:…>, <hypernet:…>  extra networks
// `[a:b:when]` (prompt editing) and `[a|b]` (alternation) are A1111 scheduling syntax: no weight.
// Offsets are in the decoded prompt string. Never throws: garbage in, best-effort tokens + problems out.

export interface PromptTag {
  readonly kind: 'tag';
  /** Source text of the tag, trimmed (brackets and weight included). */
  readonly raw: string;
  readonly offset: number;
  readonly length: number;
  /** The tag as the model reads it: brackets and weight removed, escapes resolved, spaces collapsed. */
  readonly name: string;
  /** Comparison key: `name` lower-cased with `_` read as a space (booru tags are written both ways). */
  readonly key: string;
  /** Effective attention weight (product of the enclosing groups). */
  readonly weight: number;
  /** The explicit `(tag:w)` weight when the tag carries one itself. */
  readonly explicitWeight?: number;
  /** Net nesting: +1 per `( )` level without explicit weight, −1 per `[ ]` level. */
  readonly emphasisLevels: number;
  /** Index of the comma-separated segment the tag is in. */
  readonly segment: number;
  /** True when the tag names a textual-inversion embedding: one of the names the caller knows,
   * or ComfyUI's `embedding:name` form. */
  readonly embedding?: boolean;
}

export interface TokenizeOptions {
  /** Embedding names to recognise (compared like tags: case-insensitive, `_` as space). */
  readonly embeddings?: readonly string[];
}

export interface PromptNetwork {
  readonly kind: 'network';
  /** `lora`, `lyco`, `hypernet`… as written (lower-cased). */
  readonly type: string;
  readonly name: string;
  /** First multiplier; undefined when not given (A1111 then uses 1). */
  readonly strength?: number;
  readonly raw: string;
  readonly offset: number;
  readonly length: number;
  readonly segment: number;
}

export interface PromptBreak {
  readonly kind: 'break';
  readonly offset: number;
  readonly length: number;
  readonly segment: number;
}

export type PromptToken = PromptTag | PromptNetwork | PromptBreak;

export type PromptProblemKind =
  | 'unclosed-bracket'
  | 'unopened-bracket'
  | 'weight-not-a-number'
  | 'weight-missing-paren'
  | 'empty-weighted-group'
  | 'malformed-network';

export interface PromptProblem {
  readonly kind: PromptProblemKind;
  readonly offset: number;
  readonly length: number;
  /** The bracket or syntax involved, for messages. */
  readonly text: string;
  /** Where the missing `)` belongs, for `weight-missing-paren`. */
  readonly insertCloseAt?: number;
}

/** A comma-separated slot of the prompt, trimmed; may be empty (`a,,b`). */
export interface PromptSegment {
  readonly index: number;
  /** Offset of the comma before the segment, or -1 for the first. */
  readonly commaBefore: number;
  /** Trimmed content. */
  readonly offset: number;
  readonly length: number;
  /** True when the segment's own brackets balance, so it can be moved or removed as a unit. */
  readonly selfContained: boolean;
}

export interface TokenizedPrompt {
  readonly text: string;
  readonly tokens: readonly PromptToken[];
  readonly tags: readonly PromptTag[];
  readonly networks: readonly PromptNetwork[];
  readonly segments: readonly PromptSegment[];
  readonly problems: readonly PromptProblem[];
}

/** A1111's factor per emphasis level. */
export const EMPHASIS_FACTOR = 1.1;

interface Group {
  type: '(' | '[';
  open: number;
  close?: number;
  multiplier: number;
  explicitWeight?: number;
  /** [start, end) of the `:weight` text (start at the colon), excluded from tag names. */
  weightSpan?: [number, number];
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const NETWORK_RE = /^<([A-Za-z_]\w*):([^<>]*)>/;

export function tokenizePrompt(text: string, options: TokenizeOptions = {}): TokenizedPrompt {
  const problems: PromptProblem[] = [];
  const embeddingKeys = new Set((options.embeddings ?? []).map(tagKey));
  const networkSpans = findNetworkSpans(text);
  const networkMask = new Uint8Array(text.length);
  for (const [s, e] of networkSpans) networkMask.fill(1, s, e);
  const inNetwork = (i: number) => networkMask[i] === 1;
  const groups = matchBrackets(text, inNetwork, problems);
  // For each character inside a `:weight` span, where the span ends (0 elsewhere).
  const weightSkip = new Int32Array(text.length);
  for (const g of groups) if (g.weightSpan) weightSkip.fill(g.weightSpan[1], g.weightSpan[0], g.weightSpan[1]);
  const segments = splitSegments(text, inNetwork, groups);
  const tagContext: TagContext = { text, weightSkip, weights: weightsByPosition(text.length, groups), openAt: new Map(groups.map((g) => [g.open, g])) };
  const tokens: PromptToken[] = [];

  for (const segment of segments) {
    if (segment.length === 0) continue;
    const start = segment.offset;
    const end = segment.offset + segment.length;
    // Split the segment around extra-network tokens and BREAK words.
    let cursor = start;
    const flushText = (s: number, e: number) => {
      for (const [ps, pe] of splitOnBreak(text, s, e)) {
        if (ps < 0) {
          tokens.push({ kind: 'break', offset: pe, length: 5, segment: segment.index });
          continue;
        }
        const tag = makeTag(tagContext, ps, pe, segment.index);
        if (tag) tokens.push(embeddingKeys.has(tag.key) || /^embedding:\S/i.test(tag.name) ? { ...tag, embedding: true } : tag);
      }
    };
    for (const [ns, ne] of networkSpans) {
      if (ns < start || ns >= end) continue;
      flushText(cursor, ns);
      const net = makeNetwork(text, ns, ne, segment.index, problems);
      if (net) tokens.push(net);
      cursor = ne;
    }
    flushText(cursor, end);
  }

  tokens.sort((a, b) => a.offset - b.offset);
  return {
    text,
    tokens,
    tags: tokens.filter((t): t is PromptTag => t.kind === 'tag'),
    networks: tokens.filter((t): t is PromptNetwork => t.kind === 'network'),
    segments,
    problems: problems.sort((a, b) => a.offset - b.offset),
  };
}

function isEscaped(text: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; k >= 0 && text[k] === '\\'; k--) n++;
  return n % 2 === 1;
}

function findNetworkSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '<' || isEscaped(text, i)) continue;
    const m = NETWORK_RE.exec(text.slice(i));
    if (m) {
      spans.push([i, i + m[0].length]);
      i += m[0].length - 1;
    }
  }
  return spans;
}

function matchBrackets(text: string, inNetwork: (i: number) => boolean, problems: PromptProblem[]): Group[] {
  const groups: Group[] = [];
  const round: Group[] = [];
  const square: Group[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '(' && c !== ')' && c !== '[' && c !== ']') continue;
    if (isEscaped(text, i) || inNetwork(i)) continue;
    if (c === '(' || c === '[') {
      const g: Group = { type: c, open: i, multiplier: c === '(' ? EMPHASIS_FACTOR : 1 / EMPHASIS_FACTOR };
      groups.push(g);
      (c === '(' ? round : square).push(g);
      continue;
    }
    const stack = c === ')' ? round : square;
    const g = stack.pop();
    if (!g) {
      problems.push({ kind: 'unopened-bracket', offset: i, length: 1, text: c });
      continue;
    }
    g.close = i;
    if (g.type === '(') readExplicitWeight(text, g, problems);
    else if (hasUnescapedAt(text, g.open + 1, i, ':') || hasUnescapedAt(text, g.open + 1, i, '|')) g.multiplier = 1; // [a:b:n], [a|b]
  }
  for (const g of [...round, ...square]) {
    // `(tag:1.2` then end or comma: almost certainly a weight whose `)` was forgotten.
    const rest = text.slice(g.open + 1);
    const upTo = nextUnescaped(rest, ',');
    const segmentRest = upTo < 0 ? rest : rest.slice(0, upTo);
    const m = g.type === '(' ? /^([^()[\]:]*[^\s()[\]:][^()[\]:]*?):\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*$/.exec(segmentRest) : null;
    if (m && !segmentRest.includes('\\')) {
      const colon = g.open + 1 + m[1].length;
      const numberEnd = g.open + 1 + segmentRest.trimEnd().length;
      g.explicitWeight = Number(m[2]);
      g.multiplier = g.explicitWeight;
      g.weightSpan = [colon, numberEnd];
      g.close = numberEnd - 1; // treat the group as closing right after the weight: what the user meant
      problems.push({ kind: 'weight-missing-paren', offset: g.open, length: numberEnd - g.open, text: text.slice(g.open, numberEnd), insertCloseAt: numberEnd });
    } else {
      problems.push({ kind: 'unclosed-bracket', offset: g.open, length: 1, text: g.type });
    }
  }
  return groups;
}

function readExplicitWeight(text: string, g: Group, problems: PromptProblem[]): void {
  const close = g.close!;
  const inner = text.slice(g.open + 1, close);
  const colon = lastUnescapedTopLevelColon(inner);
  if (colon < 0) return;
  const weightText = inner.slice(colon + 1).trim();
  const before = inner.slice(0, colon).trim();
  if (NUMBER_RE.test(weightText)) {
    g.explicitWeight = Number(weightText);
    g.multiplier = g.explicitWeight;
    g.weightSpan = [g.open + 1 + colon, close];
    if (before === '') problems.push({ kind: 'empty-weighted-group', offset: g.open, length: close - g.open + 1, text: text.slice(g.open, close + 1) });
    return;
  }
  // `(tag:abc)`, `(tag:)`, `(honkai: star rail)`: A1111 reads the whole thing as text with ×1.1.
  problems.push({ kind: 'weight-not-a-number', offset: g.open, length: close - g.open + 1, text: text.slice(g.open, close + 1) });
}

/** Index of the last `:` in `inner` that is not escaped and not inside nested brackets. */
function lastUnescapedTopLevelColon(inner: string): number {
  let depth = 0;
  let found = -1;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (isEscaped(inner, i)) continue;
    if (c === '(' || c === '[' || c === '<') depth++;
    else if ((c === ')' || c === ']' || c === '>') && depth > 0) depth--;
    else if (c === ':' && depth === 0) found = i;
  }
  return found;
}

function hasUnescapedAt(text: string, from: number, to: number, ch: string): boolean {
  for (let i = from; i < to; i++) if (text[i] === ch && !isEscaped(text, i)) return true;
  return false;
}

function nextUnescaped(text: string, ch: string): number {
  for (let i = 0; i < text.length; i++) if (text[i] === ch && !isEscaped(text, i)) return i;
  return -1;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || (c !== undefined && c > '\u007f' && /\s/.test(c));

function splitSegments(text: string, inNetwork: (i: number) => boolean, groups: readonly Group[]): PromptSegment[] {
  const bounds: Array<{ start: number; end: number; commaBefore: number }> = [];
  let start = 0;
  let commaBefore = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',' && !isEscaped(text, i) && !inNetwork(i)) {
      bounds.push({ start, end: i, commaBefore });
      commaBefore = i;
      start = i + 1;
    }
  }
  bounds.push({ start, end: text.length, commaBefore });
  // A group whose brackets lie in different segments ties every segment from its opener to its
  // closer (or to the end, when unclosed) together: none of them can be moved alone.
  const segmentOf = (pos: number) => {
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid].start <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const tied = new Uint8Array(bounds.length);
  for (const g of groups) {
    const a = segmentOf(g.open);
    const b = g.close === undefined ? bounds.length - 1 : segmentOf(g.close);
    if (a !== b || g.close === undefined) tied.fill(1, a, b + 1);
  }
  return bounds.map((b, index) => {
    let s = b.start;
    let e = b.end;
    while (s < e && isSpace(text[s])) s++;
    while (e > s && isSpace(text[e - 1])) e--;
    return { index, commaBefore: b.commaBefore, offset: s, length: e - s, selfContained: tied[index] === 0 };
  });
}

/** For every position, the product of the enclosing groups' multipliers and the net emphasis
 * levels of those without an explicit weight (one sweep over open/close events). */
function weightsByPosition(length: number, groups: readonly Group[]): { weight: Float64Array; levels: Int16Array } {
  const weight = new Float64Array(length + 1);
  const levels = new Int16Array(length + 1);
  const starts = new Map<number, Group[]>();
  const ends = new Map<number, Group[]>();
  for (const g of groups) {
    const at = g.open + 1;
    starts.set(at, [...(starts.get(at) ?? []), g]);
    if (g.close !== undefined) ends.set(g.close, [...(ends.get(g.close) ?? []), g]);
  }
  const active = new Set<Group>();
  let w = 1;
  let lv = 0;
  for (let p = 0; p <= length; p++) {
    const out = ends.get(p);
    const inn = starts.get(p);
    if (out || inn) {
      for (const g of out ?? []) active.delete(g);
      for (const g of inn ?? []) active.add(g);
      w = 1;
      lv = 0;
      for (const g of active) {
        w *= g.multiplier;
        if (g.explicitWeight === undefined && g.multiplier !== 1) lv += g.type === '(' ? 1 : -1;
      }
    }
    weight[p] = w;
    levels[p] = lv;
  }
  return { weight, levels };
}

/** Parts of [s, e) separated by the word BREAK; a BREAK is reported as [-1, offsetOfBreak]. */
function splitOnBreak(text: string, s: number, e: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /\bBREAK\b/g;
  const slice = text.slice(s, e);
  let last = 0;
  for (let m = re.exec(slice); m; m = re.exec(slice)) {
    out.push([s + last, s + m.index]);
    out.push([-1, s + m.index]);
    last = m.index + m[0].length;
  }
  out.push([s + last, e]);
  return out;
}

interface TagContext {
  readonly text: string;
  readonly weightSkip: Int32Array;
  readonly weights: { weight: Float64Array; levels: Int16Array };
  /** Groups by the offset of their opening bracket. */
  readonly openAt: ReadonlyMap<number, Group>;
}

function makeTag(ctx: TagContext, s: number, e: number, segment: number): PromptTag | undefined {
  const { text, weightSkip } = ctx;
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  if (s >= e) return undefined;
  let name = '';
  let firstContent = -1;
  for (let i = s; i < e; i++) {
    const c = text[i];
    if (weightSkip[i] > 0) {
      i = weightSkip[i] - 1;
      continue;
    }
    if (c === '\\' && i + 1 < e && !isEscaped(text, i)) {
      if (firstContent < 0) firstContent = i;
      name += text[i + 1];
      i++;
      continue;
    }
    if ((c === '(' || c === ')' || c === '[' || c === ']') && !isEscaped(text, i)) continue;
    if (firstContent < 0 && !isSpace(c)) firstContent = i;
    name += c;
  }
  name = name.replace(/\s+/g, ' ').trim();
  if (name === '') return undefined;
  const at = firstContent < 0 ? s : firstContent;
  // The tag carries an explicit weight itself when a weighted group lies within its text.
  let explicitWeight: number | undefined;
  for (let i = s; i < at; i++) {
    const g = ctx.openAt.get(i);
    if (g?.explicitWeight !== undefined && (g.close ?? Infinity) <= e) explicitWeight = g.explicitWeight;
  }
  return {
    kind: 'tag',
    raw: text.slice(s, e),
    offset: s,
    length: e - s,
    name,
    key: tagKey(name),
    weight: roundWeight(ctx.weights.weight[at]),
    ...(explicitWeight !== undefined ? { explicitWeight } : {}),
    emphasisLevels: ctx.weights.levels[at],
    segment,
  };
}

function makeNetwork(text: string, s: number, e: number, segment: number, problems: PromptProblem[]): PromptNetwork | undefined {
  const raw = text.slice(s, e);
  const m = NETWORK_RE.exec(raw);
  if (!m) return undefined;
  const parts = m[2].split(':');
  // Trailing numeric parts are multipliers; the rest (which may contain ':' as in an AIR) is the name.
  let k = parts.length;
  while (k > 1 && NUMBER_RE.test(parts[k - 1].trim())) k--;
  const name = parts.slice(0, k).join(':').trim();
  const strength = k < parts.length ? Number(parts[k].trim()) : undefined;
  if (name === '') problems.push({ kind: 'malformed-network', offset: s, length: e - s, text: raw });
  return { kind: 'network', type: m[1].toLowerCase(), name, ...(strength !== undefined ? { strength } : {}), raw, offset: s, length: e - s, segment };
}

export function tagKey(name: string): string {
  return name.toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

function roundWeight(w: number): number {
  return Math.round(w * 10000) / 10000;
}

/** Escapes brackets so a tag name is read literally (`firefly (honkai)` → `firefly \(honkai\)`). */
export function escapeTagName(name: string): string {
  return name.replace(/([\\()[\]])/g, '\\$1');
}

/** The [offset, length) that removes segment `index` together with one adjacent comma. */
export function segmentRemovalSpan(prompt: TokenizedPrompt, index: number): { offset: number; length: number } {
  const seg = prompt.segments[index];
  const end = seg.offset + seg.length;
  if (seg.commaBefore >= 0) return { offset: seg.commaBefore, length: end - seg.commaBefore };
  const next = prompt.segments[index + 1];
  if (next) return { offset: seg.offset, length: next.offset - seg.offset };
  return { offset: seg.offset, length: seg.length };
}
