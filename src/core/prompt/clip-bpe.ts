// CLIP's byte-level BPE tokenizer (OpenAI CLIP's simple_tokenizer, which SD1's and SDXL's text
// encoders use): clean the text (clip-text-clean.ts), split it with CLIP's pre-tokenizer pattern,
// map each word's UTF-8 bytes to printable characters, then merge pairs by rank until none of the
// 48 894 merges applies; the last symbol of a word carries `</w>`. Ids follow CLIP's vocabulary:
// 256 byte symbols, the same with `</w>`, one per merge, then <|startoftext|> and <|endoftext|>.
import { readDataFile } from '../tags/data-files';
import { cleanClipText, cleanClipTextWithOffsets } from './clip-text-clean';

/** CLIP's pre-tokenizer (the `regex` module's pattern; `\p{L}` letters, `\p{N}` single digits). */
const PRE_TOKENIZER_RE = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;
const MERGE_COUNT = 49152 - 256 - 2;
const WORD_CACHE_MAX = 50_000;
/** Pair keys: first id × 2^16 + second id (ids stay below 49 408). */
const PAIR_SHIFT = 65536;

/**
 * GPT-2's map from bytes to printable characters (so BPE symbols are text): `byteChar[b]` is the
 * symbol of byte b; `order` lists the symbols in vocabulary order (printable bytes first, then
 * the others), which is where the ids come from.
 */
function bytesToUnicode(): { byteChar: string[]; order: string[] } {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const byteChar: string[] = new Array(256);
  const order = printable.map((b) => (byteChar[b] = String.fromCharCode(b)));
  let n = 0;
  for (let b = 0; b < 256; b++) if (byteChar[b] === undefined) order.push((byteChar[b] = String.fromCharCode(256 + n++)));
  return { byteChar, order };
}

export class ClipTokenizer {
  readonly startId: number;
  readonly endId: number;
  /** The id of `,` as its own word (A1111 breaks chunks after it). */
  readonly commaId: number;
  private readonly encoder = new Map<string, number>();
  private readonly idRanks = new Map<number, number>();
  private readonly mergedId = new Int32Array(MERGE_COUNT);
  private readonly byteId = new Int32Array(256);
  private readonly byteEndId = new Int32Array(256);
  private readonly cache = new Map<string, readonly number[]>();
  private readonly utf8 = new TextEncoder();

  /** `merges`: the vocabulary file's merge lines in rank order ("a b" per line); extra lines are ignored. */
  constructor(merges: string) {
    const { byteChar, order } = bytesToUnicode();
    const vocab: string[] = [...order, ...order.map((c) => c + '</w>')];
    let rank = 0;
    const pairs: string[] = [];
    for (const line of merges.split('\n')) {
      if (rank === MERGE_COUNT) break;
      if (line === '' || line.startsWith('#version')) continue;
      const space = line.indexOf(' ');
      if (space <= 0) throw new Error(`CLIP merges: line ${rank + 1} is not a pair`);
      pairs.push(line);
      rank++;
      vocab.push(line.slice(0, space) + line.slice(space + 1));
    }
    if (rank !== MERGE_COUNT) throw new Error(`CLIP merges: ${rank} merges, expected ${MERGE_COUNT}`);
    vocab.push('<|startoftext|>', '<|endoftext|>');
    vocab.forEach((v, i) => this.encoder.set(v, i));
    // The same merges over ids, so BPE compares numbers instead of building strings. Ids are
    // the encoder's (the last entry wins for a string listed twice, as in CLIP's dict).
    for (let r = 0; r < pairs.length; r++) {
      const pair = pairs[r];
      const space = pair.indexOf(' ');
      const a = this.encoder.get(pair.slice(0, space))!;
      const b = this.encoder.get(pair.slice(space + 1))!;
      this.idRanks.set(a * PAIR_SHIFT + b, r);
      this.mergedId[r] = this.encoder.get(pair.slice(0, space) + pair.slice(space + 1))!;
    }
    for (let b = 0; b < 256; b++) {
      this.byteId[b] = this.encoder.get(byteChar[b])!;
      this.byteEndId[b] = this.encoder.get(byteChar[b] + '</w>')!;
    }
    this.startId = this.encoder.get('<|startoftext|>')!;
    this.endId = this.encoder.get('<|endoftext|>')!;
    this.commaId = this.encoder.get(',</w>')!;
  }

  /** Token ids of the text (no start/end markers), as CLIP's `encode`. */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const m of cleanClipText(text).matchAll(PRE_TOKENIZER_RE)) {
      for (const id of this.word(m[0])) out.push(id);
    }
    return out;
  }

  /** Calls `each` for every word of the text with its [start, end) in `text` (see cleanClipTextWithOffsets) and its token ids. */
  forEachWord(text: string, each: (start: number, end: number, ids: readonly number[]) => void): void {
    const cleaned = cleanClipTextWithOffsets(text);
    for (const m of cleaned.text.matchAll(PRE_TOKENIZER_RE)) {
      each(cleaned.from[m.index], cleaned.from[m.index + m[0].length - 1] + 1, this.word(m[0]));
    }
  }

  /** How many tokens `encode` returns. */
  count(text: string): number {
    let n = 0;
    for (const m of cleanClipText(text).matchAll(PRE_TOKENIZER_RE)) n += this.word(m[0]).length;
    return n;
  }

  /** The vocabulary entry of an id (for tests and the CLI's chunk listing). */
  symbol(id: number): string | undefined {
    for (const [k, v] of this.encoder) if (v === id) return k;
    return undefined;
  }

  private word(piece: string): readonly number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    let ids: number[];
    if (piece === '<|startoftext|>' || piece === '<|endoftext|>') ids = [this.encoder.get(piece)!];
    else ids = this.bpe(piece);
    if (this.cache.size >= WORD_CACHE_MAX) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /** BPE over ids: merge the lowest-ranked adjacent pair, every occurrence left to right, until none applies. */
  private bpe(piece: string): number[] {
    const bytes = this.utf8.encode(piece);
    let word: number[] = new Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) word[i] = i === bytes.length - 1 ? this.byteEndId[bytes[i]] : this.byteId[bytes[i]];
    while (word.length > 1) {
      let bestRank = Infinity;
      let first = -1;
      let second = -1;
      for (let i = 0; i < word.length - 1; i++) {
        const r = this.idRanks.get(word[i] * PAIR_SHIFT + word[i + 1]);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          first = word[i];
          second = word[i + 1];
        }
      }
      if (first < 0) break;
      const merged = this.mergedId[bestRank];
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          next.push(merged);
          i++;
        } else next.push(word[i]);
      }
      word = next;
    }
    return word;
  }
}

let shared: ClipTokenizer | undefined;

/** The tokenizer over the shipped vocabulary, built on first use (~50 ms). */
export function clipTokenizer(): ClipTokenizer {
  return (shared ??= new ClipTokenizer(readDataFile('clip-merges.txt.br')));
}
