import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { clipTokenizer } from '../../src/core/prompt/clip-bpe';
import { cleanClipText, htmlUnescape } from '../../src/core/prompt/clip-text-clean';
import { CLIP_CHUNK_TOKENS, countClipTokens, parseAttention, promptTokenCount } from '../../src/core/prompt/clip-tokens';
import { tokenizePrompt } from '../../src/core/prompt/tokenize';

// The oracle: counts the reference CLIP tokenizer (open_clip's, with ftfy) produced for 347 texts
// (recipe prompts, synthetic tag prompts, Unicode, whitespace and HTML-entity cases). Copied
// unchanged from shared/data/clip-bpe/reference-counts.jsonl, where it was generated; the
// reference implementation itself (Python, PyPI) cannot be installed here to add more.
const REFERENCE = path.resolve(__dirname, '../fixtures/clip-reference-counts.jsonl');
const SHARED = path.resolve(__dirname, '../../../shared/data/clip-bpe/reference-counts.jsonl');
const reference = readFileSync(REFERENCE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; tokens: number });

test('the fixture is the shared reference file, unchanged', (t) => {
  if (!existsSync(SHARED)) return t.skip('shared/data not present');
  assert.equal(readFileSync(REFERENCE, 'utf8'), readFileSync(SHARED, 'utf8'));
});

test('every reference text gets exactly the reference tokenizer\'s count', () => {
  assert.ok(reference.length >= 300, `only ${reference.length} reference texts`);
  const tok = clipTokenizer();
  const wrong = reference.filter((r) => tok.count(r.text) !== r.tokens).map((r) => `${JSON.stringify(r.text).slice(0, 80)}: expected ${r.tokens}, got ${tok.count(r.text)}`);
  assert.deepEqual(wrong, []);
});

test('for reference texts without prompt syntax, the A1111 count\'s tokens are the raw count', () => {
  const plain = reference.filter((r) => !/[()[\]\\<:]|BREAK/.test(r.text));
  assert.ok(plain.length > 20);
  for (const r of plain) assert.equal(countClipTokens(r.text).tokens, r.tokens, r.text);
});

test('ids are CLIP\'s: "a photo of a cat" is 320 1125 539 320 2368; markers 49406/49407', () => {
  const tok = clipTokenizer();
  assert.deepEqual(tok.encode('a photo of a cat'), [320, 1125, 539, 320, 2368]);
  assert.equal(tok.startId, 49406);
  assert.equal(tok.endId, 49407);
  assert.equal(tok.symbol(tok.commaId), ',</w>');
});

test('text cleaning: entities decoded twice, curly quotes straightened, full-width folded, spaces collapsed, lower case', () => {
  assert.equal(cleanClipText('  A&amp;amp;B \t “Hi” ＡＢＣ\n\nﬁne '), 'a&b "hi" abc fine');
  assert.equal(htmlUnescape('&lt;x&gt; &amp &copy2 &#x41;&#66;&#128; &nosuch;'), '<x> & ©2 AB€ &nosuch;');
  const tok = clipTokenizer();
  assert.equal(tok.count('ＣＡＴ'), tok.count('cat'));
  assert.equal(tok.count('it’s'), tok.count("it's"));
});

const words = (n: number, w = 'cat') => Array.from({ length: n }, () => w).join(' ');

test('75 tokens fill one chunk; the 76th starts a second', () => {
  const one = countClipTokens(words(75));
  assert.equal(one.tokens, 75);
  assert.equal(one.chunks.length, 1);
  const two = countClipTokens(words(76));
  assert.deepEqual(two.chunks.map((c) => c.tokens), [75, 1]);
  assert.equal(two.a1111Count, 76);
});

test('a full chunk moves the text after its last comma to the next chunk when that comma is within the final 20 tokens', () => {
  // 70 cats, a comma, 10 dogs: the chunk fills at 75 with the comma at index 70: 4 dogs move.
  const c = countClipTokens(`${words(70)}, ${words(10, 'dog')}`);
  assert.equal(c.tokens, 81);
  assert.deepEqual(c.chunks.map((x) => x.tokens), [71, 10]);
  assert.equal(c.a1111Count, CLIP_CHUNK_TOKENS + 10);
  const text = `${words(70)}, ${words(10, 'dog')}`;
  assert.equal(text.slice(c.chunks[1].start, c.chunks[1].end), words(10, 'dog'));
});

test('a comma further back than 20 tokens does not move anything', () => {
  const c = countClipTokens(`${words(50)}, ${words(40, 'dog')}`);
  assert.deepEqual(c.chunks.map((x) => x.tokens), [75, 16]);
});

test('BREAK starts a new chunk; A1111 counts the padded chunk as 75', () => {
  const c = countClipTokens('cat BREAK dog');
  assert.deepEqual(c.chunks.map((x) => x.tokens), [1, 1]);
  assert.equal(c.tokens, 2);
  assert.equal(c.a1111Count, 76);
  // Inside brackets or as part of a word it is text.
  assert.equal(countClipTokens('cat (BREAK) dog').chunks.length, 1);
  assert.equal(countClipTokens('cat BREAKdown dog').chunks.length, 1);
  // A trailing BREAK adds no empty chunk.
  assert.equal(countClipTokens('cat BREAK').chunks.length, 1);
});

test('attention syntax and extra networks are removed before counting', () => {
  const tok = clipTokenizer();
  assert.equal(countClipTokens('(cat:1.3), [dog], ((bird))').tokens, tok.count('cat, dog, bird'));
  assert.equal(countClipTokens('<lora:some_file:0.8> cat').tokens, 1);
  assert.equal(countClipTokens('firefly \\(honkai: star rail\\)').tokens, tok.count('firefly (honkai: star rail)'));
  const pieces = parseAttention('(a:1.5) b');
  assert.deepEqual(pieces.map((p) => [p.text, p.weight]), [['a', 1.5], [' b', 1]]);
});

test('an empty prompt is one empty chunk', () => {
  const c = countClipTokens('');
  assert.equal(c.tokens, 0);
  assert.equal(c.chunks.length, 1);
});

test('each tag knows its chunk', () => {
  const text = `${Array.from({ length: 30 }, (_, i) => `tag${i} word`).join(', ')}`;
  const count = promptTokenCount(tokenizePrompt(text));
  assert.equal(count.tagChunks[0], 1);
  assert.equal(count.tagChunks[29], 2);
  // Monotonic, and the first tag of chunk 2 starts where chunk 2 starts.
  const firstOfTwo = count.tagChunks.indexOf(2);
  assert.ok(count.tagChunks.slice(0, firstOfTwo).every((c) => c === 1));
  assert.equal(tokenizePrompt(text).tags[firstOfTwo].offset, count.chunks[1].start);
});

test('pathological input stays bounded', () => {
  const tok = clipTokenizer();
  const long = 'a'.repeat(200_000);
  const started = Date.now();
  assert.ok(tok.count(long) > 0);
  assert.ok(countClipTokens('('.repeat(5000) + 'x' + ')'.repeat(5000)).tokens === 1);
  assert.ok(Date.now() - started < 20_000);
});

test('property: words separated by a space count separately (the pre-tokenizer never joins across spaces)', () => {
  const tok = clipTokenizer();
  let seed = 17;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789éü東方-_!?.\'';
  const word = () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  for (let i = 0; i < 300; i++) {
    const words = Array.from({ length: 1 + Math.floor(random() * 6) }, word);
    assert.equal(tok.count(words.join(' ')), words.reduce((n, w) => n + tok.count(w), 0), words.join(' '));
  }
});
