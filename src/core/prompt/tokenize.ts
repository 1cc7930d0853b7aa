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
  const inNetwork = (i: number) => networkSpans.some(([s, e]) => i >= s && i < e);
  const groups = matchBrackets(text, inNetwork, problems);
  const segments = splitSegments(text, inNetwork, groups);
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
        const tag = makeTag(text, ps, pe, groups, segment.index);
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

function splitSegments(text: string, inNetwork: (i: number) => boolean, groups: readonly Group[]): PromptSegment[] {
  const segments: PromptSegment[] = [];
  let start = 0;
  let commaBefore = -1;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    const selfContained = groups.every((g) => {
      const openIn = g.open >= s && g.open < e;
      const closeIn = g.close !== undefined && g.close >= s && g.close < e;
      const closeEnd = g.close ?? Infinity;
      if (openIn !== closeIn) return false;
      // A group enclosing the whole segment from outside also ties it to its neighbours.
      return !(g.open < s && closeEnd >= e);
    });
    segments.push({ index: segments.length, commaBefore, offset: s, length: e - s, selfContained });
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',' && !isEscaped(text, i) && !inNetwork(i)) {
      push(i);
      commaBefore = i;
      start = i + 1;
    }
  }
  push(text.length);
  return segments;
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

function makeTag(text: string, s: number, e: number, groups: readonly Group[], segment: number): PromptTag | undefined {
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (s >= e) return undefined;
  let name = '';
  let firstContent = -1;
  const weightSpans = groups.filter((g) => g.weightSpan).map((g) => g.weightSpan!);
  for (let i = s; i < e; i++) {
    const c = text[i];
    const span = weightSpans.find(([ws, we]) => i >= ws && i < we);
    if (span) {
      i = span[1] - 1;
      continue;
    }
    if (c === '\\' && i + 1 < e && !isEscaped(text, i)) {
      if (firstContent < 0) firstContent = i;
      name += text[i + 1];
      i++;
      continue;
    }
    if ((c === '(' || c === ')' || c === '[' || c === ']') && !isEscaped(text, i)) continue;
    if (firstContent < 0 && !/\s/.test(c)) firstContent = i;
    name += c;
  }
  name = name.replace(/\s+/g, ' ').trim();
  if (name === '') return undefined;
  const at = firstContent < 0 ? s : firstContent;
  let weight = 1;
  let levels = 0;
  let explicitWeight: number | undefined;
  for (const g of groups) {
    const end = g.close ?? Infinity;
    if (g.open < at && at < end) {
      weight *= g.multiplier;
      if (g.explicitWeight !== undefined) {
        // The tag carries the weight itself when the group lies within the tag's text.
        if (g.open >= s && end <= e) explicitWeight = g.explicitWeight;
      } else if (g.multiplier !== 1) {
        levels += g.type === '(' ? 1 : -1;
      }
    }
  }
  return {
    kind: 'tag',
    raw: text.slice(s, e),
    offset: s,
    length: e - s,
    name,
    key: tagKey(name),
    weight: roundWeight(weight),
    ...(explicitWeight !== undefined ? { explicitWeight } : {}),
    emphasisLevels: levels,
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
