import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { MAX_PROMPT_CHARS, promptFields, TOKEN_CACHE_MAX_CHARS, TOKEN_CACHE_MAX_ENTRIES, tokenCacheSize } from '../../src/core/prompt/fields';
import { toDocumentSpan } from '../../src/core/prompt/json-string';
import { tokenizePrompt } from '../../src/core/prompt/tokenize';

function workflow(steps: Array<Record<string, unknown>>, indent = 2): string {
  return JSON.stringify({ steps: steps.map((input, i) => ({ $type: 'imageGen', name: `s${i}`, input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', ...input } })) }, null, indent);
}

test('fields point at their string literals, escapes included, wherever the step sits', () => {
  const text = workflow([{ prompt: 'a cat' }, { negativePrompt: 'blurry' }, { prompt: 'say "hi", (red:1.2)' }, { prompt: 7 }]);
  const doc = parseWorkflowDocument(text);
  const fields = promptFields(doc);
  assert.deepEqual(fields.map((f) => [f.step.index, f.field, f.pointer]), [
    [0, 'prompt', '/steps/0/input/prompt'],
    [1, 'negativePrompt', '/steps/1/input/negativePrompt'],
    [2, 'prompt', '/steps/2/input/prompt'],
  ]);
  for (const f of fields) {
    assert.equal(text.slice(f.node.offset, f.node.offset + f.node.length), JSON.stringify(f.view.value));
    assert.equal(f.node.type, 'string');
  }
  // Offsets inside the decoded string map back past the escaped quotes.
  const red = fields[2].prompt.tags[1];
  assert.deepEqual(fields[2].prompt.tags.map((t) => t.name), ['say "hi"', 'red']);
  const span = toDocumentSpan(fields[2].view, red.offset, red.length);
  assert.equal(text.slice(span.offset, span.offset + span.length), '(red:1.2)');
});

test('a step without an object input, or not imageGen, has no fields', () => {
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input: 'x' }, { $type: 'videoGen', input: { prompt: 'a' } }, 5] });
  assert.deepEqual(promptFields(parseWorkflowDocument(text)), []);
});

test('tokens are reused across documents for the same text, and equal a fresh tokenization', () => {
  const a = promptFields(parseWorkflowDocument(workflow([{ prompt: 'shared tag, (blue sky:1.1)' }, { prompt: 'only in a' }])));
  const b = promptFields(parseWorkflowDocument(workflow([{ prompt: 'first in b' }, { prompt: 'shared tag, (blue sky:1.1)' }], 4)));
  assert.equal(b[1].prompt, a[0].prompt, 'the same tokenized prompt object');
  assert.notEqual(b[1].node.offset, a[0].node.offset, 'while the nodes are the new document\'s');
  assert.deepEqual(b[1].prompt, tokenizePrompt('shared tag, (blue sky:1.1)'));
});

test('embedding names are part of the cache key', () => {
  const plain = promptFields(parseWorkflowDocument(workflow([{ prompt: 'easynegative, cat' }])))[0].prompt;
  const air = 'urn:air:sdxl:embedding:civitai:1@2';
  const text = JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'easynegative, cat', embeddings: [air] }, metadata: { embeddingNames: { [air]: 'EasyNegative' } } }] });
  const named = promptFields(parseWorkflowDocument(text))[0].prompt;
  assert.equal(plain.tags[0].embedding, undefined);
  assert.equal(named.tags[0].embedding, true);
});

test('the token cache stays within its bounds', () => {
  const n = TOKEN_CACHE_MAX_ENTRIES + 50;
  promptFields(parseWorkflowDocument(workflow(Array.from({ length: n }, (_, i) => ({ prompt: `tag ${i}` })))));
  assert.ok(tokenCacheSize().entries <= TOKEN_CACHE_MAX_ENTRIES, `${tokenCacheSize().entries} entries`);
  // Prompts as long as are read (MAX_PROMPT_CHARS), enough of them to pass the character bound.
  const long = 'x'.repeat(MAX_PROMPT_CHARS - 10);
  const count = Math.ceil(TOKEN_CACHE_MAX_CHARS / long.length) + 5;
  promptFields(parseWorkflowDocument(workflow(Array.from({ length: count }, (_, i) => ({ prompt: `${long} ${i}` })))));
  assert.ok(tokenCacheSize().chars <= TOKEN_CACHE_MAX_CHARS, `${tokenCacheSize().chars} characters`);
  // The most recent prompts are the ones kept.
  const again = promptFields(parseWorkflowDocument(workflow([{ prompt: `${long} ${count - 1}` }])))[0].prompt;
  const before = tokenCacheSize().entries;
  assert.equal(promptFields(parseWorkflowDocument(workflow([{ prompt: `${long} ${count - 1}` }], 3)))[0].prompt, again);
  assert.equal(tokenCacheSize().entries, before);
});

test('a prompt longer than any contract allows is not read as tags', () => {
  const fields = (prompt: string) => promptFields(parseWorkflowDocument(workflow([{ prompt }]))).filter((f) => f.field === 'prompt');
  assert.equal(fields('cat, '.repeat(MAX_PROMPT_CHARS / 5)).length, 1);
  assert.equal(fields('cat, '.repeat(MAX_PROMPT_CHARS / 5) + 'x').length, 0);
});
