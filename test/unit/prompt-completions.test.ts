import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { currentTagSpan, promptCompletions } from '../../src/core/prompt/completions';
import { promptHover } from '../../src/core/prompt/hover';

const ANIMAGINE = 'urn:air:sdxl:checkpoint:civitai:1188071@1337429';

function docWith(input: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: ANIMAGINE, ...input }, ...extra }] }, null, 2);
  return { text, doc: parseWorkflowDocument(text) };
}

/** Document offset just after the first occurrence of `marker` in the file text. */
const after = (text: string, marker: string) => text.indexOf(marker) + marker.length;

test('inside an Animagine prompt: quality, score, temporal, rating and people tags, plus the card sequences', () => {
  const { text, doc } = docWith({ prompt: '1girl, solo, mas' });
  const c = promptCompletions(doc, after(text, 'solo, mas'))!;
  assert.ok(c);
  const labels = c.items.map((i) => i.label);
  for (const l of ['masterpiece', 'high score', 'great score', 'absurdres', 'year 2025', 'year 2005', 'safe', 'explicit', '1boy']) assert.ok(labels.includes(l), l);
  assert.ok(labels.includes('masterpiece, high score, great score, absurdres'));
  // Negative-polarity tags are not offered in the prompt, and tags already present are skipped.
  assert.ok(!labels.includes('low score'));
  assert.ok(!labels.includes('worst quality'));
  assert.ok(!labels.includes('1girl'));
  // The range replaces the tag being typed: `mas`.
  assert.equal(text.slice(c.offset, c.offset + c.length), 'mas');
  assert.ok(c.items.find((i) => i.label === 'high score')!.documentation.length > 0);
});

test('inside a negative prompt: negative tags, ratings and the profile preset', () => {
  const { text, doc } = docWith({ prompt: '1girl', negativePrompt: 'lowres, ' });
  const c = promptCompletions(doc, after(text, 'lowres, '))!;
  const labels = c.items.map((i) => i.label);
  assert.ok(labels.includes('low score'));
  assert.ok(labels.includes('worst quality'));
  assert.ok(labels.includes('nsfw'));
  assert.ok(!labels.includes('masterpiece'));
  const preset = c.items.find((i) => i.kind === 'negative-preset')!;
  assert.match(preset.insertText, /^lowres, bad anatomy, bad hands/);
  assert.equal(c.length, 0);
});

test('SD1 profile offers its leading quality sequence; non-tag ecosystems get nothing but embeddings', () => {
  const { text, doc } = docWith({ ecosystem: 'sd1', model: 'urn:air:sd1:checkpoint:civitai:4384@128713', prompt: '' });
  const c = promptCompletions(doc, after(text, '"prompt": "'))!;
  assert.ok(c.items.some((i) => i.kind === 'sequence' && i.insertText === 'masterpiece, best quality'));
  const flux = docWith({ ecosystem: 'flux1', model: 'urn:air:flux1:checkpoint:civitai:1@1', prompt: 'a' });
  assert.deepEqual(promptCompletions(flux.doc, after(flux.text, '"prompt": "a'))?.items, []);
});

test('no completions outside prompt strings', () => {
  const { text, doc } = docWith({ prompt: 'cat' });
  assert.equal(promptCompletions(doc, after(text, '"engine": "sd')), undefined);
  assert.equal(promptCompletions(doc, after(text, '"prompt"')), undefined);
  assert.equal(promptCompletions(doc, text.indexOf('"cat"')), undefined); // before the opening quote
});

test('the replaced range maps through JSON escapes and stops at brackets and weights', () => {
  const { text, doc } = docWith({ prompt: 'say \\"hi\\", (mast:1.2)' });
  const c = promptCompletions(doc, after(text, '(mast'))!;
  assert.equal(text.slice(c.offset, c.offset + c.length), 'mast');
  assert.deepEqual(currentTagSpan('a, b c, d', 5), { start: 3, end: 6 });
  assert.deepEqual(currentTagSpan('honkai \\(series\\), x', 9), { start: 0, end: 17 });
});

test('escaped insert text: a tag with brackets is escaped for A1111 and for JSON', () => {
  // No built-in special tag has brackets; a sequence with quotes shows JSON escaping.
  const { text, doc } = docWith({ ecosystem: 'sdxl', model: 'urn:air:sdxl:checkpoint:civitai:9@9', prompt: '' });
  const c = promptCompletions(doc, after(text, '"prompt": "'))!;
  for (const i of c.items) assert.doesNotThrow(() => JSON.parse(`"${i.insertText}"`), i.label);
});

test('embedding names from metadata.embeddingNames, else a snippet that says where to find the name', () => {
  const air1 = 'urn:air:sdxl:embedding:civitai:7808@9208';
  const air2 = 'urn:air:sdxl:embedding:civitai:11@22';
  const { text, doc } = docWith({ prompt: 'cat, ', embeddings: [air1, air2] }, { metadata: { embeddingNames: { [air1]: 'easynegative' } } });
  const c = promptCompletions(doc, after(text, 'cat, '))!;
  const named = c.items.find((i) => i.kind === 'embedding' && i.label === 'easynegative');
  assert.ok(named);
  const unnamed = c.items.find((i) => i.kind === 'embedding' && i.label.includes(air2))!;
  assert.equal(unnamed.isSnippet, true);
  assert.match(unnamed.documentation, /civitai\.com\/models\/11\?modelVersionId=22/);
});

test('hover explains special tags for the profile, weights, BREAK and <lora:…>', () => {
  const { text, doc } = docWith({ prompt: '1girl, ((year 2010)), high score, low score BREAK cat, <lora:x:0.5>', negativePrompt: 'worst quality' });
  const h = promptHover(doc, after(text, '((year 20'))!;
  assert.match(h.markdown, /Temporal tag.*Animagine XL 4\.0/);
  assert.match(h.markdown, /weight \*\*1\.21\*\*.*2 level/);
  assert.equal(text.slice(h.offset, h.offset + h.length), '((year 2010))');
  assert.match(promptHover(doc, after(text, 'high sc'))!.markdown, /Score tag.*\n\n.*\n\n.*at the \*\*end\*\*/);
  assert.match(promptHover(doc, after(text, ', low sc'))!.markdown, /move it to the negative prompt/);
  assert.match(promptHover(doc, after(text, 'BRE'))!.markdown, /BREAK/);
  assert.match(promptHover(doc, after(text, '<lo'))!.markdown, /does not read it/);
  assert.equal(promptHover(doc, after(text, ', ca')), undefined); // an ordinary tag: nothing to add
  assert.match(promptHover(doc, after(text, '"worst q'))!.markdown, /Quality tag/);
});

test('hover names an embedding known from metadata.embeddingNames', () => {
  const air = 'urn:air:sdxl:embedding:civitai:7808@9208';
  const { text, doc } = docWith({ prompt: 'cat', negativePrompt: 'easynegative, blurry', embeddings: [air] }, { metadata: { embeddingNames: { [air]: 'easynegative' } } });
  assert.match(promptHover(doc, after(text, '"easyneg'))!.markdown, /Embedding/);
  assert.equal(promptHover(doc, after(text, 'blur')), undefined);
});
