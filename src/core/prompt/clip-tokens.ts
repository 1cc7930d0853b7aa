// An estimate of how many CLIP tokens a prompt uses, and so how many 75-token chunks it fills.
//
// Honest limits: the real count needs CLIP's BPE vocabulary (49 408 entries, ~1.6 MB of merges)
// which we do not ship. The estimate copies CLIP's pre-tokenisation (letters runs, single digits,
// punctuation runs; lower-cased, weight syntax removed) and then guesses the BPE split: a word
// costs one token per ~6 letters (common short words are one token in CLIP's vocabulary; long or
// rare words — character names, artist names — split into several), each digit one token, each
// punctuation mark one token. It has not been measured against the real tokenizer; expect it to
// be off by a few tokens per line, mostly undercounting rare names.
import type { TokenizedPrompt } from './tokenize';

/** CLIP's context is 77 tokens: a start marker, 75 usable, an end marker. */
export const CLIP_CONTEXT_TOKENS = 77;
export const CLIP_CHUNK_TOKENS = 75;

const PRE_TOKEN_RE = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;

/** Estimated CLIP tokens for plain text (no attention syntax). */
export function estimateTextTokens(text: string): number {
  let n = 0;
  for (const m of text.toLowerCase().matchAll(PRE_TOKEN_RE)) {
    const piece = m[0];
    if (/^\p{L}/u.test(piece)) n += Math.max(1, Math.round(piece.length / 6));
    else if (/^\p{N}$/u.test(piece)) n += 1;
    else if (piece.startsWith("'")) n += 1;
    else n += piece.length;
  }
  return n;
}

export interface TokenEstimate {
  /** Estimated tokens (tag text plus the commas between tags; BREAK and extra networks excluded). */
  readonly tokens: number;
  /** Chunks the encoder will use: each BREAK starts a new one; each section needs ⌈tokens/75⌉. */
  readonly chunks: number;
  /** For each tag (by index in `prompt.tags`), the estimated token position where it starts. */
  readonly tagStarts: readonly number[];
  /** For each tag, the 1-based chunk it falls in. */
  readonly tagChunks: readonly number[];
}

// Tokenized prompts are kept across lints (fields.ts), so their estimates can be too.
const estimates = new WeakMap<TokenizedPrompt, TokenEstimate>();

export function estimatePromptTokens(prompt: TokenizedPrompt): TokenEstimate {
  let estimate = estimates.get(prompt);
  if (!estimate) {
    estimate = estimateUncached(prompt);
    estimates.set(prompt, estimate);
  }
  return estimate;
}

function estimateUncached(prompt: TokenizedPrompt): TokenEstimate {
  const tagStarts: number[] = [];
  const tagChunks: number[] = [];
  let total = 0;
  let chunksBefore = 0; // chunks used by completed BREAK sections
  let section = 0; // tokens in the current section
  let tagIndex = 0;
  let first = true;
  for (const token of prompt.tokens) {
    if (token.kind === 'break') {
      chunksBefore += Math.max(1, Math.ceil(section / CLIP_CHUNK_TOKENS));
      section = 0;
      first = true;
      continue;
    }
    if (token.kind !== 'tag') continue;
    const cost = estimateTextTokens(token.name) + (first ? 0 : 1); // the comma before it
    first = false;
    tagStarts[tagIndex] = total;
    tagChunks[tagIndex] = chunksBefore + Math.floor(section / CLIP_CHUNK_TOKENS) + 1;
    total += cost;
    section += cost;
    tagIndex++;
  }
  const chunks = chunksBefore + (section > 0 || chunksBefore === 0 ? Math.max(1, Math.ceil(section / CLIP_CHUNK_TOKENS)) : 0);
  return { tokens: total, chunks, tagStarts, tagChunks };
}
