import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizePrompt, segmentRemovalSpan, escapeTagName } from '../../src/core/prompt/tokenize';
import { decodedToRawOffsets, jsonStringView, toDocumentOffset, toDecodedOffset } from '../../src/core/prompt/json-string';

const names = (p: string) => tokenizePrompt(p).tags.map((t) => t.name);
const weightOf = (p: string, name: string) => tokenizePrompt(p).tags.find((t) => t.name === name)?.weight;

test('comma-separated tags with offsets into the prompt', () => {
  const p = '1girl,  solo ,looking at viewer';
  const tags = tokenizePrompt(p).tags;
  assert.deepEqual(tags.map((t) => t.name), ['1girl', 'solo', 'looking at viewer']);
  for (const t of tags) assert.equal(p.slice(t.offset, t.offset + t.length), t.raw);
  assert.equal(tags[1].offset, 8);
});

test('escaped brackets are part of the name, not emphasis (the Animagine card example)', () => {
  const p = '1girl, firefly \\(honkai: star rail\\), honkai \\(series\\), honkai: star rail, safe';
  const result = tokenizePrompt(p);
  assert.deepEqual(result.tags.map((t) => t.name), ['1girl', 'firefly (honkai: star rail)', 'honkai (series)', 'honkai: star rail', 'safe']);
  assert.ok(result.tags.every((t) => t.weight === 1));
  assert.deepEqual(result.problems, []);
});

test('explicit weights, nesting ×1.1 per level and [ ] de-emphasis', () => {
  assert.equal(weightOf('(cat:1.3), dog', 'cat'), 1.3);
  assert.equal(weightOf('(cat:1.3), dog', 'dog'), 1);
  assert.equal(weightOf('(cat)', 'cat'), 1.1);
  assert.equal(weightOf('((cat))', 'cat'), 1.21);
  assert.equal(weightOf('(((cat)))', 'cat'), 1.331);
  assert.equal(weightOf('[cat]', 'cat'), 0.9091);
  assert.equal(weightOf('[[cat]]', 'cat'), 0.8264);
  // An explicit weight inside emphasis multiplies.
  assert.equal(weightOf('((cat:1.5))', 'cat'), 1.65);
  const t = tokenizePrompt('((cat))').tags[0];
  assert.equal(t.emphasisLevels, 2);
  assert.equal(tokenizePrompt('(cat:0.5)').tags[0].explicitWeight, 0.5);
});

test('a weighted group spanning commas weights every tag in it', () => {
  const r = tokenizePrompt('(red hair, blue eyes:1.2), smile');
  assert.deepEqual(r.tags.map((t) => [t.name, t.weight]), [['red hair', 1.2], ['blue eyes', 1.2], ['smile', 1]]);
  assert.equal(r.segments[0].selfContained, false);
  assert.equal(r.segments[2].selfContained, true);
});

test('prompt editing and alternation in [ ] carry no weight', () => {
  assert.equal(weightOf('[cat:dog:0.5]', 'cat:dog:0.5'), 1);
  assert.equal(weightOf('[cat|dog]', 'cat|dog'), 1);
});

test('BREAK and extra networks become their own tokens', () => {
  const r = tokenizePrompt('1girl BREAK solo, <lora:covered navel XL-v1:0.8>, <lyco:urn:air:sdxl:lora:civitai:1@2:0.6:0.4>, <lora:plain>');
  assert.deepEqual(r.tokens.map((t) => t.kind), ['tag', 'break', 'tag', 'network', 'network', 'network']);
  const [a, b, c] = r.networks;
  assert.deepEqual([a.type, a.name, a.strength], ['lora', 'covered navel XL-v1', 0.8]);
  assert.deepEqual([b.type, b.name, b.strength], ['lyco', 'urn:air:sdxl:lora:civitai:1@2', 0.6]);
  assert.deepEqual([c.name, c.strength], ['plain', undefined]);
  // Brackets inside a network token are not attention syntax.
  assert.deepEqual(tokenizePrompt('<lora:a(b):1>').problems, []);
});

test('syntax problems: unclosed, unopened, weight without ), weight not a number', () => {
  const kinds = (p: string) => tokenizePrompt(p).problems.map((x) => x.kind);
  assert.deepEqual(kinds('(cat, dog'), ['unclosed-bracket']);
  assert.deepEqual(kinds('cat), dog'), ['unopened-bracket']);
  assert.deepEqual(kinds('[cat'), ['unclosed-bracket']);
  assert.deepEqual(kinds('(cat:1.2, dog'), ['weight-missing-paren']);
  assert.deepEqual(kinds('(cat:abc)'), ['weight-not-a-number']);
  assert.deepEqual(kinds('(honkai: star rail)'), ['weight-not-a-number']);
  assert.deepEqual(kinds('(:1.2)'), ['empty-weighted-group']);
  const missing = tokenizePrompt('dog, (cat:1.2').problems[0];
  assert.equal(missing.insertCloseAt, 13);
  // The intended weight is still applied to the tag.
  assert.equal(weightOf('(cat:1.2, dog', 'cat'), 1.2);
  // An unclosed ( emphasises the rest, as A1111 does.
  assert.equal(weightOf('(cat, dog', 'dog'), 1.1);
});

test('garbage never throws', () => {
  const samples = ['', ',,,', '((((', '))))', '\\', '\\\\(', '(:)', '<lora:>', '<<>>', '[[[:]]]', '(a:1.2.3)', 'BREAK', '\u0000\uffff', '(((a:b:c:1)))'];
  for (let i = 0; i < 300; i++) {
    let s = '';
    const alphabet = '()[]<>:,\\ aB1.|lora';
    for (let k = 0; k < 20; k++) s += alphabet[(i * 7 + k * 13 + ((i * k) % 5)) % alphabet.length];
    samples.push(s);
  }
  for (const s of samples) {
    const r = tokenizePrompt(s);
    for (const t of r.tokens) assert.ok(t.offset >= 0 && t.offset + t.length <= s.length, `token in range for ${JSON.stringify(s)}`);
  }
});

test('keys compare case-insensitively with _ read as a space', () => {
  const [a, b] = tokenizePrompt('Looking_at_viewer, looking at  viewer').tags;
  assert.equal(a.key, b.key);
});

test('segment removal takes one adjacent comma', () => {
  const p = 'a, b, c';
  const r = tokenizePrompt(p);
  const cut = (i: number) => {
    const s = segmentRemovalSpan(r, i);
    return p.slice(0, s.offset) + p.slice(s.offset + s.length);
  };
  assert.equal(cut(0), 'b, c');
  assert.equal(cut(1), 'a, c');
  assert.equal(cut(2), 'a, b');
});

test('escapeTagName escapes brackets and backslashes', () => {
  assert.equal(escapeTagName('firefly (honkai: star rail)'), 'firefly \\(honkai: star rail\\)');
  assert.deepEqual(names(escapeTagName('a (b)')), ['a (b)']);
});

test('JSON escapes shift document offsets: \\" \\\\ \\n \\u00e9', () => {
  // File text: "a\"b\\(c\n\u00e9d"  → decoded: a"b\(c<LF>éd
  const literal = '"a\\"b\\\\(c\\n\\u00e9d"';
  const value = JSON.parse(literal) as string;
  assert.equal(value, 'a"b\\(c\né' + 'd');
  const map = decodedToRawOffsets(literal);
  assert.equal(map.length, value.length + 1);
  assert.equal(literal[map[value.indexOf('b')]], 'b');
  assert.equal(literal[map[value.indexOf('(')]], '(');
  assert.equal(literal[map[value.indexOf('d')]], 'd');
  assert.equal(map[value.length], literal.length - 1);
  const doc = `{"prompt": ${literal}}`;
  const view = jsonStringView(doc, 11, literal.length, value);
  const at = toDocumentOffset(view, value.indexOf('c'));
  assert.equal(doc[at], 'c');
  assert.equal(toDecodedOffset(view, at), value.indexOf('c'));
});

test('an unterminated literal maps one to one without throwing', () => {
  const map = decodedToRawOffsets('"abc');
  assert.deepEqual(map, [1, 2, 3, 4]);
  assert.deepEqual(decodedToRawOffsets('"ab\\"'), [1, 2, 3, 5]);
});

test('embeddings are recognised by the names the caller knows, and in ComfyUI\'s embedding:name form', () => {
  const r = tokenizePrompt('EasyNegative, (bad_prompt:0.8), embedding:verybad, blurry', { embeddings: ['easynegative', 'bad prompt'] });
  assert.deepEqual(r.tags.map((t) => [t.name, t.embedding === true]), [['EasyNegative', true], ['bad_prompt', true], ['embedding:verybad', true], ['blurry', false]]);
  assert.equal(tokenizePrompt('easynegative').tags[0].embedding, undefined);
});
