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

interface Piece {
  text: string;
  /** Offset in the prompt of each character of `text`. */
  src: number[];
  weight: number;
}

const EXTRA_NETWORK_RE = /<[\p{L}\p{N}_]+:[^>]+>/gu;
const ATTENTION_RE = /\\\(|\\\)|\\\[|\\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\p{Nd}]+)\s*\)|\)|\]|[^\\()[\]:]+|:/gu;
const BREAK_RE = /\s*(?<![\p{L}\p{N}_])BREAK(?![\p{L}\p{N}_])\s*/gu;

/** Steps 1 and 2: the prompt as A1111 hands it to the tokenizer, each piece with its weight (-1: BREAK). */
export function parseAttention(prompt: string): Array<{ text: string; src: number[]; weight: number }> {
  // 1. extra networks out, keeping where each remaining character came from.
  let text = '';
  const at: number[] = [];
  let last = 0;
  for (const m of prompt.matchAll(EXTRA_NETWORK_RE)) {
    for (let i = last; i < m.index; i++) at.push(i);
    text += prompt.slice(last, m.index);
    last = m.index + m[0].length;
  }
  for (let i = last; i < prompt.length; i++) at.push(i);
  text += prompt.slice(last);

  const res: Piece[] = [];
  const round: number[] = [];
  const square: number[] = [];
  const multiplyFrom = (start: number, by: number) => {
    for (let p = start; p < res.length; p++) res[p].weight *= by;
  };
  for (const m of text.matchAll(ATTENTION_RE)) {
    const piece = m[0];
    const from = m.index;
    const weight = m[1] !== undefined ? Number(m[1]) : undefined;
    if (piece.startsWith('\\')) res.push({ text: piece.slice(1), src: at.slice(from + 1, from + piece.length), weight: 1 });
    else if (piece === '(') round.push(res.length);
    else if (piece === '[') square.push(res.length);
    else if (weight !== undefined && !Number.isNaN(weight) && round.length) multiplyFrom(round.pop()!, weight);
    else if (piece === ')' && round.length) multiplyFrom(round.pop()!, 1.1);
    else if (piece === ']' && square.length) multiplyFrom(square.pop()!, 1 / 1.1);
    else {
      let cursor = 0;
      for (const b of piece.matchAll(BREAK_RE)) {
        res.push({ text: piece.slice(cursor, b.index), src: at.slice(from + cursor, from + b.index), weight: 1 });
        res.push({ text: 'BREAK', src: [], weight: -1 });
        cursor = b.index + b[0].length;
      }
      res.push({ text: piece.slice(cursor), src: at.slice(from + cursor, from + piece.length), weight: 1 });
    }
  }
  for (const pos of round) multiplyFrom(pos, 1.1);
  for (const pos of square) multiplyFrom(pos, 1 / 1.1);
  if (res.length === 0) res.push({ text: '', src: [], weight: 1 });
  // Join runs of equal weight.
  const merged: Piece[] = [res[0]];
  for (let i = 1; i < res.length; i++) {
    const prev = merged[merged.length - 1];
    if (prev.weight === res[i].weight) {
      prev.text += res[i].text;
      prev.src = prev.src.concat(res[i].src);
    } else merged.push(res[i]);
  }
  return merged;
}

interface PlacedToken {
  readonly id: number;
  readonly start: number;
  readonly end: number;
}

/** The tokens of one piece with the prompt offsets of the word each came from. */
function tokensOf(tokenizer: ClipTokenizer, piece: Piece): PlacedToken[] {
  const out: PlacedToken[] = [];
  for (const w of tokenizer.encodeWords(piece.text)) {
    const start = piece.src[w.start] ?? 0;
    const end = (piece.src[w.end - 1] ?? start) + 1;
    for (const id of w.ids) out.push({ id, start, end });
  }
  return out;
}

/** Counts a prompt string (A1111 syntax allowed) with the shipped tokenizer. */
export function countClipTokens(prompt: string, tokenizer: ClipTokenizer = clipTokenizer()): ClipCount {
  const chunks: ClipChunk[] = [];
  let chunk: PlacedToken[] = [];
  let lastComma = -1;
  let a1111Count = 0;
  let total = 0;
  const close = (isLast: boolean) => {
    a1111Count += isLast ? chunk.length : CLIP_CHUNK_TOKENS;
    total += chunk.length;
    chunks.push(chunk.length ? { tokens: chunk.length, start: chunk[0].start, end: chunk[chunk.length - 1].end } : { tokens: 0, start: -1, end: -1 });
    chunk = [];
    lastComma = -1;
  };
  for (const piece of parseAttention(prompt)) {
    if (piece.weight === -1 && piece.text === 'BREAK') {
      close(false);
      continue;
    }
    for (const token of tokensOf(tokenizer, piece)) {
      if (token.id === tokenizer.commaId) lastComma = chunk.length;
      else if (chunk.length === CLIP_CHUNK_TOKENS && lastComma !== -1 && chunk.length - lastComma <= COMMA_BACKTRACK) {
        const moved = chunk.slice(lastComma + 1);
        chunk = chunk.slice(0, lastComma + 1);
        close(false);
        chunk = moved;
      }
      if (chunk.length === CLIP_CHUNK_TOKENS) close(false);
      chunk.push(token);
    }
  }
  if (chunk.length || chunks.length === 0) close(true);
  // Empty chunks (BREAK BREAK, a leading BREAK) sit where the next text starts.
  const placed = chunks.map((c, i) => {
    if (c.start >= 0) return c;
    const next = chunks.slice(i + 1).find((x) => x.start >= 0);
    const prev = chunks.slice(0, i).reverse().find((x) => x.start >= 0);
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
