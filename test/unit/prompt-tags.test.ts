import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import type { Rule, RuleContext } from '../../src/core/rules/types';
import { promptCompletions } from '../../src/core/prompt/completions';
import { promptHover } from '../../src/core/prompt/hover';
import { promptTagAliasRule, promptUnknownTagRule, MAX_UNKNOWN_PER_PROMPT } from '../../src/core/prompt/tag-rules';
import { applyTextEdits } from '../../src/core/prompt/edits';
import { formatTag, isTagStylePrompt } from '../../src/core/prompt/tag-style';
import { tokenizePrompt } from '../../src/core/prompt/tokenize';
import { shippedTagIndex } from '../../src/core/tags/shipped';
import { TagIndex } from '../../src/core/tags/tag-index';
import { parseTagUsage, recordTagUse, MAX_TAG_USAGE_ENTRIES } from '../../src/core/tags/usage';
import { promptTokenStatus } from '../../src/core/prompt/clip-status';
import { ECOSYSTEM_PROFILES, SPACED_ESCAPED_TAGS } from '../../src/core/ecosystems/profiles';
import { main } from '../../src/cli/main';

const ANIMAGINE = 'urn:air:sdxl:checkpoint:civitai:1188071@1337429';
const index = shippedTagIndex();

function docWith(input: Record<string, unknown>) {
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: ANIMAGINE, ...input } }] }, null, 2);
  return { text, doc: parseWorkflowDocument(text) };
}
const after = (text: string, marker: string) => text.indexOf(marker) + marker.length;
const run = (rule: Rule, text: string) => rule.check({ doc: parseWorkflowDocument(text), steps: [] } as unknown as RuleContext);

test('the shipped index holds the whole Danbooru list with categories, counts and aliases', () => {
  assert.ok(index.size >= 140_782);
  const blonde = index.get('blonde_hair')!;
  assert.equal(blonde.category, 'general');
  assert.equal(blonde.postCount, 1537942);
  assert.ok(blonde.aliases.includes('blond'));
  assert.equal(index.get('Blonde Hair')?.name, 'blonde_hair');
  assert.equal(index.canonicalOf('blond')?.name, 'blonde_hair');
  assert.equal(index.canonicalOf('blonde_hair'), undefined, 'a canonical name is not an alias');
  assert.equal(index.get('firefly_(honkai:_star_rail)')?.category, 'character');
  assert.equal(index.get('honkai:_star_rail')?.category, 'copyright');
  assert.equal(index.get('masterpiece')?.postCount, -1, 'the extra quality tags are in, without a count');
});

test('search: prefix matches by posts, alias matches lead to the canonical tag, substring matches from two characters', () => {
  const blo = index.search('blo', { limit: 10 });
  assert.equal(blo[0].tag.name, 'blonde_hair');
  assert.equal(blo.find((m) => m.tag.name.endsWith('hair'))?.tag.name, 'blonde_hair');
  const blond = index.search('blond', { limit: 10 });
  assert.equal(blond[0].tag.name, 'blonde_hair');
  const viaAlias = index.search('yellow hair', { limit: 5 });
  assert.equal(viaAlias[0].tag.name, 'blonde_hair');
  assert.equal(viaAlias[0].alias, 'yellow hair');
  assert.ok(index.search('star rail', { limit: 50 }).some((m) => m.tag.name === 'firefly_(honkai:_star_rail)' && m.kind === 'word'));
  assert.ok(index.search('a', { limit: 20 }).every((m) => m.kind === 'exact' || m.kind === 'prefix' || m.kind === 'alias'));
  assert.equal(index.search('zzzzqqqq').length, 0);
});

test('ranking blends the user\'s own picks into post counts', () => {
  const plain = index.search('blo', { limit: 10 }).map((m) => m.tag.name);
  assert.notEqual(plain[0], 'blouse');
  const usage = new Map([['blouse', 50]]);
  assert.equal(index.search('blo', { limit: 10, usage })[0].tag.name, 'blouse');
  // An empty query offers the most posted tags, the user's first.
  assert.equal(index.search('', { limit: 5 })[0].tag.name, '1girl');
  assert.equal(index.search('', { limit: 5, usage })[0].tag.name, 'blouse');
});

test('close known tags for typos; nothing for made-up words', () => {
  assert.equal(index.closest('blonde hiar')[0]?.name, 'blonde_hair');
  assert.equal(index.closest('longhair')[0]?.name, 'long_hair');
  assert.deepEqual(index.closest('qqqqzzzz'), []);
});

test('a small index built from text behaves like the shipped one', () => {
  const small = new TagIndex('civitai-danbooru-tags 1 2 1\n\na tag\nb tag\n\n04\n\n10\n5\n\nalias a\n\n0\n');
  assert.equal(small.size, 2);
  assert.equal(small.get('b tag')?.category, 'character');
  assert.equal(small.canonicalOf('alias_a')?.name, 'a_tag');
  assert.deepEqual(small.get('a_tag')?.aliases, ['alias a']);
  assert.throws(() => new TagIndex(''), /unexpected format/);
});

test('insertion style: spaces, escaped parentheses, Anima\'s @ before artists', () => {
  const firefly = index.get('firefly_(honkai:_star_rail)')!;
  assert.equal(formatTag(firefly, SPACED_ESCAPED_TAGS), 'firefly \\(honkai: star rail\\)');
  assert.equal(formatTag(firefly, { spaces: false, escapeParentheses: false, artistPrefix: '' }), 'firefly_(honkai:_star_rail)');
  const artist = index.get('ciloranko')!;
  assert.equal(artist.category, 'artist');
  assert.equal(formatTag(artist, ECOSYSTEM_PROFILES.anima.tagStyle!), '@ciloranko');
  assert.equal(formatTag(artist, SPACED_ESCAPED_TAGS), 'ciloranko');
});

test('completions: typing `blo` offers blonde hair first among hair tags, with its post count', () => {
  const { text, doc } = docWith({ prompt: '1girl, blo' });
  const c = promptCompletions(doc, after(text, '1girl, blo'), [], { tags: index })!;
  const danbooru = c.items.filter((i) => i.kind === 'danbooru').sort((a, b) => a.sortText.localeCompare(b.sortText));
  assert.equal(danbooru[0].label, 'blonde hair');
  assert.equal(danbooru.find((i) => i.label.endsWith('hair'))?.label, 'blonde hair');
  assert.match(danbooru[0].detail, /1,537,942 posts/);
  assert.equal(danbooru[0].insertText, 'blonde hair');
  assert.ok(!danbooru.some((i) => i.label === '1girl'), 'a tag already in the prompt is not offered');
});

test('completions: an alias is shown and the canonical tag inserted, escaped for the JSON string', () => {
  const { text, doc } = docWith({ prompt: 'yellow ha' });
  const c = promptCompletions(doc, after(text, 'yellow ha'), [], { tags: index })!;
  const item = c.items.find((i) => i.tag?.name === 'blonde_hair')!;
  assert.equal(item.label, 'yellow hair → blonde hair');
  assert.equal(item.insertText, 'blonde hair');
  const fire = docWith({ prompt: 'firefly' });
  const f = promptCompletions(fire.doc, after(fire.text, '"firefly'), [], { tags: index })!;
  const hsr = f.items.find((i) => i.tag?.name === 'firefly_(honkai:_star_rail)')!;
  assert.equal(hsr.insertText, 'firefly \\\\(honkai: star rail\\\\)', 'backslashes doubled inside the JSON string');
  assert.equal(hsr.label, 'firefly (honkai: star rail)', 'shown without the escapes');
  assert.equal(hsr.tag?.category, 'character');
});

test('completions: the profile\'s quality tags lead where the profile wants them, after the Danbooru tags elsewhere', () => {
  // Animagine wants quality tags last: at the end of the prompt they sort first…
  const end = docWith({ prompt: '1girl, solo, mas' });
  const atEnd = promptCompletions(end.doc, after(end.text, 'solo, mas'), [], { tags: index })!;
  const order = (c: typeof atEnd, label: string) => [...c.items].sort((a, b) => a.sortText.localeCompare(b.sortText)).findIndex((i) => i.label === label);
  assert.ok(order(atEnd, 'masterpiece') < order(atEnd, 'mask'));
  // …at the start, before other tags, they come after the Danbooru matches; ratings stay first.
  const start = docWith({ prompt: 'mas, 1girl, solo' });
  const atStart = promptCompletions(start.doc, after(start.text, '"mas'), [], { tags: index })!;
  assert.ok(order(atStart, 'masterpiece') > order(atStart, 'mask'));
  assert.ok(order(atStart, 'safe') < order(atStart, 'mask'));
});

test('hover: category, posts and aliases; the wiki link only when asked; an alias names its canonical tag', () => {
  const { text, doc } = docWith({ prompt: '1girl, blonde hair, blond' });
  const h = promptHover(doc, after(text, 'blonde ha'), [], { tags: index })!;
  assert.match(h.markdown, /blonde_hair.*general.*1,537,942 posts/);
  assert.match(h.markdown, /Aliases: .*`blond`/);
  assert.doesNotMatch(h.markdown, /danbooru\.donmai\.us/);
  assert.match(promptHover(doc, after(text, 'blonde ha'), [], { tags: index, wikiLinks: true })!.markdown, /danbooru\.donmai\.us\/wiki_pages\/blonde_hair/);
  assert.match(promptHover(doc, after(text, 'hair, blon'), [], { tags: index })!.markdown, /alias: write `blonde hair`/);
});

test('prompt-tag-alias: one hint per distinct alias, fixed to the canonical tag with weights kept', () => {
  const text = docWith({ prompt: '1girl, (blond:1.2), solo, blond, looking at viewer' }).text;
  const found = run(promptTagAliasRule, text);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'hint');
  const fixed = JSON.parse(applyTextEdits(text, found[0].fixes![0].edits)).steps[0].input.prompt;
  assert.equal(fixed, '1girl, (blonde hair:1.2), solo, blond, looking at viewer');
});

test('prompt-unknown-tag: typos in tag prompts get the close tags; never natural language, never a flood', () => {
  const text = docWith({ prompt: '1girl, solo, blonde hiar, blonde hiar, looking at viewer, my own idea' }).text;
  const found = run(promptUnknownTagRule, text);
  assert.equal(found.length, 1, found.map((f) => f.message).join('\n'));
  assert.match(found[0].message, /`blonde hiar` is not a Danbooru tag; did you mean `blonde hair`/);
  assert.equal(JSON.parse(applyTextEdits(text, found[0].fixes![0].edits)).steps[0].input.prompt, '1girl, solo, blonde hair, blonde hiar, looking at viewer, my own idea');
  // A sentence is not a tag prompt.
  assert.deepEqual(run(promptUnknownTagRule, docWith({ prompt: 'a girl with blonde hiar sitting on a red sofa, warm evening light through the window' }).text), []);
  // Many typos: at most MAX_UNKNOWN_PER_PROMPT findings.
  const many = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'long hair' : `blonde hiar${'x'.repeat(i % 3)}`)).join(', ');
  assert.ok(run(promptUnknownTagRule, docWith({ prompt: `1girl, solo, smile, ${many}` }).text).length <= MAX_UNKNOWN_PER_PROMPT);
  // Dynamic-prompt syntax is another rule's business.
  assert.deepEqual(run(promptUnknownTagRule, docWith({ prompt: '1girl, solo, {blonde hiar|red hiar}, __blonde_hiar__, smile' }).text), []);
  // Profile tags and embeddings are not unknown.
  assert.deepEqual(run(promptUnknownTagRule, docWith({ prompt: '1girl, solo, high score, great score, year 2024, sensitive' }).text), []);
});

test('tag-style detection', () => {
  assert.equal(isTagStylePrompt(tokenizePrompt('1girl, solo, long hair, smile'), index), true);
  assert.equal(isTagStylePrompt(tokenizePrompt('a photograph of an old man reading a newspaper on a bench in the park'), index), false);
  assert.equal(isTagStylePrompt(tokenizePrompt('cinematic shot of a lighthouse, stormy sea crashing against the rocks below, dramatic clouds'), index), false);
});

test('usage: malformed stored values are dropped, the table is bounded', () => {
  const parsed = parseTagUsage({ blouse: 3, bad: -1, worse: 'x', '': 2, frac: 1.5 });
  assert.deepEqual([...parsed], [['blouse', 3]]);
  assert.equal(parseTagUsage(null).size, 0);
  assert.equal(parseTagUsage([1, 2]).size, 0);
  let usage = new Map<string, number>();
  for (let i = 0; i < MAX_TAG_USAGE_ENTRIES + 50; i++) usage = recordTagUse(usage, `tag${i}`);
  assert.equal(usage.size, MAX_TAG_USAGE_ENTRIES);
  assert.equal(recordTagUse(new Map([['a', 1]]), 'a').get('a'), 2);
});

test('status: the chunk under the cursor and its exact count; a non-CLIP profile says so', () => {
  const { text, doc } = docWith({ prompt: '1girl, solo, blonde hair' });
  const s = promptTokenStatus(doc, after(text, 'solo'), [])!;
  assert.equal(s.text, '7/75 · chunk 1'); // 1 girl , solo , blonde hair
  const anima = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'comfy', ecosystem: 'anima', model: 'urn:air:anima:checkpoint:civitai:1@1', prompt: '1girl, solo' } }] }, null, 2);
  const a = promptTokenStatus(parseWorkflowDocument(anima), after(anima, '1girl'), [])!;
  assert.match(a.text, /no CLIP count/);
  assert.equal(a.tokens, undefined);
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), cwd: process.cwd(), isTTY: false } };
}

test('CLI tokens: JSON with the count and chunks; raw count for plain text; usage errors', async () => {
  const a = io();
  assert.equal(await main(['tokens', '--format', 'json', 'a photo of a cat'], a.io), 0);
  const parsed = JSON.parse(a.out.join('')) as { tokens: number; chunks: Array<{ tokens: number; text: string }>; a1111: number };
  assert.deepEqual(parsed, { tokens: 5, chunks: [{ tokens: 5, text: 'a photo of a cat' }], a1111: 5 });
  const b = io();
  assert.equal(await main(['tokens', '--format', 'json', '(cat:1.2), dog BREAK <lora:x:1> bird'], b.io), 0);
  const p2 = JSON.parse(b.out.join('')) as { tokens: number; chunks: Array<{ tokens: number }> };
  assert.equal(p2.tokens, 4);
  assert.deepEqual(p2.chunks.map((c) => c.tokens), [3, 1]);
  const c = io();
  assert.equal(await main(['tokens', '-'], { ...c.io, readStdin: async () => 'cat\n' } as never), 0);
  assert.match(c.out.join(''), /^1 tokens in 1 chunk/);
  const d = io();
  assert.equal(await main(['tokens'], d.io), 2);
  assert.match(d.err.join(''), /give the prompt/);
  assert.equal(await main(['tokens', '--format', 'xml', 'a'], io().io), 2);
});
