// Exact CLIP token counts of a prompt, counted as AUTOMATIC1111 counts them:
//   1. extra networks (`<lora:…>`, `<hypernet:…>`: `<word:…>`) are removed;
//   2. the attention syntax is parsed (A1111's parse_prompt_attention): brackets and `:weight)`
//      go, `\(` stays as `(`, `BREAK` (a whole word, outside brackets) becomes a chunk break, and
//      neighbouring pieces of equal weight are joined;
//   3. each piece is tokenized with CLIP's BPE (clip-bpe.ts);
//   4. tokens are laid into chunks of 75 (77 with the start and end markers): when a chunk is full
//      and the last comma is within its final 20 tokens, the text after that comma moves to the
//      next chunk (A1111's "comma padding backtrack", default 20); BREAK starts a new chunk.
// Not modelled: prompt editing / alternation (`[a:b:when]`, `[a|b]`: counted as the text the
// attention parser leaves, which is what ComfyUI and sd.cpp read), `AND`, and embedding vectors
// (A1111 counts an embedding by its vector count; here by its name's tokens).
import { clipTokenizer, type ClipTokenizer } from './clip-bpe';
import type { TokenizedPrompt } from './tokenize';

/** CLIP's context is 77 tokens: a start marker, 75 usable, an end marker. */
export const CLIP_CONTEXT_TOKENS = 77;
export const CLIP_CHUNK_TOKENS = 75;
/** A1111's `comma_padding_backtrack` default. */
export const COMMA_BACKTRACK = 20;

export interface ClipChunk {
  /** Text tokens in the chunk (markers and padding excluded). */
  readonly tokens: number;
  /** [start, end) of the chunk's text in the prompt (offsets in the prompt string); empty chunks have start = end. */
  readonly start: number;
  readonly end: number;
}

export interface ClipCount {
  /** BPE tokens of the prompt's text once syntax is removed (for plain text: CLIP's raw count). */
  readonly tokens: number;
  /** The 75-token chunks the encoder reads, in order (at least one). */
  readonly chunks: readonly ClipChunk[];
  /** What A1111's counter shows: 75 for every chunk but the last (padding included), plus the last chunk's tokens. */
  readonly a1111Count: number;
}

/** Where the characters of a text came from in the prompt: runs of [textStart, promptStart, length]. */
type SourceRuns = number[];

export interface AttentionPiece {
  text: string;
  /** Where each character of `text` sits in the prompt (see sourceOffset). */
  runs: SourceRuns;
  /** The attention weight; -1 for BREAK. */
  weight: number;
}

/** The prompt offset of character `k` of a piece's text. */
export function sourceOffset(runs: SourceRuns, k: number): number {
  for (let r = 0; r < runs.length; r += 3) if (k < runs[r] + runs[r + 2]) return runs[r + 1] + (k - runs[r]);
  return runs.length ? runs[runs.length - 2] + runs[runs.length - 1] - 1 : 0;
}

const EXTRA_NETWORK_RE = /<[\p{L}\p{N}_]+:[^>]+>/gu;
const ATTENTION_RE = /\\\(|\\\)|\\\[|\\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\p{Nd}]+)\s*\)|\)|\]|[^\\()[\]:]+|:/gu;
const BREAK_RE = /\s*(?<![\p{L}\p{N}_])BREAK(?![\p{L}\p{N}_])\s*/gu;

/** Steps 1 and 2: the prompt as A1111 hands it to the tokenizer, each piece with its weight (-1: BREAK). */
export function parseAttention(prompt: string): AttentionPiece[] {
  // 1. extra networks out, keeping where the remaining text came from.
  let text = '';
  const kept: SourceRuns = [];
  let last = 0;
  const keep = (from: number, to: number) => {
    if (to > from) kept.push(text.length, from, to - from);
    text += prompt.slice(from, to);
  };
  for (const m of prompt.matchAll(EXTRA_NETWORK_RE)) {
    keep(last, m.index);
    last = m.index + m[0].length;
  }
  keep(last, prompt.length);
  /** Runs of text[from, to) relative to `from`. */
  const runsOf = (from: number, to: number): SourceRuns => {
    const out: SourceRuns = [];
    for (let r = 0; r < kept.length; r += 3) {
      const s = Math.max(from, kept[r]);
      const e = Math.min(to, kept[r] + kept[r + 2]);
      if (e > s) out.push(s - from, kept[r + 1] + (s - kept[r]), e - s);
    }
    return out;
  };

  const res: AttentionPiece[] = [];
  const round: number[] = [];
  const square: number[] = [];
  const multiplyFrom = (start: number, by: number) => {
    for (let p = start; p < res.length; p++) res[p].weight *= by;
  };
  for (const m of text.matchAll(ATTENTION_RE)) {
    const piece = m[0];
    const from = m.index;
    const weight = m[1] !== undefined ? Number(m[1]) : undefined;
    if (piece.startsWith('\\')) res.push({ text: piece.slice(1), runs: runsOf(from + 1, from + piece.length), weight: 1 });
    else if (piece === '(') round.push(res.length);
    else if (piece === '[') square.push(res.length);
    else if (weight !== undefined && !Number.isNaN(weight) && round.length) multiplyFrom(round.pop()!, weight);
    else if (piece === ')' && round.length) multiplyFrom(round.pop()!, 1.1);
    else if (piece === ']' && square.length) multiplyFrom(square.pop()!, 1 / 1.1);
    else {
      let cursor = 0;
      for (const b of piece.matchAll(BREAK_RE)) {
        res.push({ text: piece.slice(cursor, b.index), runs: runsOf(from + cursor, from + b.index), weight: 1 });
        res.push({ text: 'BREAK', runs: [], weight: -1 });
        cursor = b.index + b[0].length;
      }
      res.push({ text: piece.slice(cursor), runs: runsOf(from + cursor, from + piece.length), weight: 1 });
    }
  }
  for (const pos of round) multiplyFrom(pos, 1.1);
  for (const pos of square) multiplyFrom(pos, 1 / 1.1);
  if (res.length === 0) res.push({ text: '', runs: [], weight: 1 });
  // Join runs of equal weight.
  const merged: AttentionPiece[] = [res[0]];
  for (let i = 1; i < res.length; i++) {
    const prev = merged[merged.length - 1];
    if (prev.weight === res[i].weight) {
      const shift = prev.text.length;
      const runs = res[i].runs;
      for (let r = 0; r < runs.length; r += 3) prev.runs.push(runs[r] + shift, runs[r + 1], runs[r + 2]);
      prev.text += res[i].text;
    } else merged.push(res[i]);
  }
  return merged;
}

/** Marks a BREAK in the token stream. */
const BREAK_ID = -1;

/** Counts a prompt string (A1111 syntax allowed) with the shipped tokenizer. */
export function countClipTokens(prompt: string, tokenizer: ClipTokenizer = clipTokenizer()): ClipCount {
  // The token stream, with the prompt offsets of the word each token came from.
  const ids: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const piece of parseAttention(prompt)) {
    if (piece.weight === -1 && piece.text === 'BREAK') {
      ids.push(BREAK_ID);
      starts.push(0);
      ends.push(0);
      continue;
    }
    tokenizer.forEachWord(piece.text, (wordStart, wordEnd, wordIds) => {
      const start = sourceOffset(piece.runs, wordStart);
      const end = sourceOffset(piece.runs, wordEnd - 1) + 1;
      for (const id of wordIds) {
        ids.push(id);
        starts.push(start);
        ends.push(end);
      }
    });
  }
  // Chunks are contiguous runs of the stream: [begin, begin + length).
  const chunks: Array<ClipChunk | undefined> = [];
  let begin = 0;
  let length = 0;
  let lastComma = -1;
  let a1111Count = 0;
  let total = 0;
  const close = (isLast: boolean) => {
    a1111Count += isLast ? length : CLIP_CHUNK_TOKENS;
    total += length;
    chunks.push(length ? { tokens: length, start: starts[begin], end: ends[begin + length - 1] } : undefined);
    begin += length;
    length = 0;
    lastComma = -1;
  };
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === BREAK_ID) {
      close(false);
      begin = i + 1;
      continue;
    }
    if (ids[i] === tokenizer.commaId) lastComma = length;
    else if (length === CLIP_CHUNK_TOKENS && lastComma !== -1 && length - lastComma <= COMMA_BACKTRACK) {
      // The text after the last comma moves to the next chunk.
      const moved = length - (lastComma + 1);
      length = lastComma + 1;
      close(false);
      length = moved;
    }
    if (length === CLIP_CHUNK_TOKENS) close(false);
    length++;
  }
  if (length || chunks.length === 0) close(true);
  // Empty chunks (BREAK BREAK, a leading BREAK) sit where the next text starts.
  const placed = chunks.map((c, i): ClipChunk => {
    if (c) return c;
    const next = chunks.slice(i + 1).find((x) => x !== undefined);
    const prev = chunks.slice(0, i).reverse().find((x) => x !== undefined);
    const at = next?.start ?? prev?.end ?? 0;
    return { tokens: 0, start: at, end: at };
  });
  return { tokens: total, chunks: placed, a1111Count };
}

/** The 1-based chunk that holds the prompt offset (the last chunk starting at or before it). */
export function chunkAt(count: ClipCount, offset: number): number {
  let found = 1;
  count.chunks.forEach((c, i) => {
    if (c.tokens > 0 && c.start <= offset) found = i + 1;
  });
  return found;
}

export interface PromptTokenCount extends ClipCount {
  /** For each tag (by index in `prompt.tags`), the 1-based chunk its last character falls in. */
  readonly tagChunks: readonly number[];
}

// Tokenized prompts are kept across lints (fields.ts), so their counts can be too.
const counts = new WeakMap<TokenizedPrompt, PromptTokenCount>();

/** The exact count of a tokenized prompt, with the chunk of each tag. */
export function promptTokenCount(prompt: TokenizedPrompt): PromptTokenCount {
  let count = counts.get(prompt);
  if (!count) {
    const c = countClipTokens(prompt.text);
    count = { ...c, tagChunks: prompt.tags.map((t) => chunkAt(c, t.offset + t.length - 1)) };
    counts.set(prompt, count);
  }
  return count;
}
