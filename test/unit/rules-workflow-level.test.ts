import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUserProfiles, setActiveUserProfiles } from '../../src/core/ecosystems/profiles';
import { callbackNotHttps, embeddingUnused, ephemeralWithoutCallbacks } from '../../src/core/rules/workflow-level';
import { applied, check, oneStep, onlyFinding, type Json } from './rules-test-helpers';

test('ephemeral-without-callbacks: info when ephemeral has no callbacks', () => {
  const f = onlyFinding(check(ephemeralWithoutCallbacks, oneStep({}, { ephemeral: true })));
  assert.equal(f.severity, 'info');
  assert.equal(f.pointer, '/ephemeral');
  assert.match(f.message, /only while submit waits/);
  assert.equal(check(ephemeralWithoutCallbacks, oneStep({}, { ephemeral: true, callbacks: [] })).length, 1);
});

test('ephemeral-without-callbacks stays quiet with a callback or when not ephemeral', () => {
  assert.deepEqual(check(ephemeralWithoutCallbacks, oneStep({}, { ephemeral: true, callbacks: [{ url: 'https://a.example/h', type: ['workflow:*'] }] })), []);
  assert.deepEqual(check(ephemeralWithoutCallbacks, oneStep({}, { ephemeral: false })), []);
  assert.deepEqual(check(ephemeralWithoutCallbacks, oneStep({})), []);
});

test('callback-not-https: http and other schemes are warnings; https:// is offered for http', () => {
  const text = oneStep({}, { callbacks: [{ url: 'http://hooks.example.com/civitai', type: ['workflow:succeeded'] }, { url: 'ftp://x.example/', type: ['workflow:*'] }] });
  const findings = check(callbackNotHttps, text);
  assert.equal(findings.length, 2);
  assert.ok(findings.every((f) => f.severity === 'warning'));
  assert.equal(findings[0].fixes?.[0].isPreferred, false);
  assert.equal(findings[1].fixes, undefined);
  const fixed = applied(text, findings[0].fixes![0]);
  assert.equal(((fixed.value.callbacks as Json[])[0]).url, 'https://hooks.example.com/civitai');
  assert.equal(check(callbackNotHttps, fixed.text).length, 1);
});

test('callback-not-https stays quiet on https', () => {
  assert.deepEqual(check(callbackNotHttps, oneStep({}, { callbacks: [{ url: 'HTTPS://hooks.example.com/x', type: ['workflow:*'] }] })), []);
});

test('embedding-unused: a readable embedding name missing from both prompts', () => {
  const air = 'urn:air:sd1:embedding:huggingface:someone/negatives/EasyNegative.pt@1';
  const unused = oneStep({ ecosystem: 'sd1', embeddings: [air], negativePrompt: 'blurry' });
  const f = onlyFinding(check(embeddingUnused, unused));
  assert.equal(f.severity, 'hint');
  assert.match(f.message, /"EasyNegative"/);
  assert.deepEqual(check(embeddingUnused, oneStep({ ecosystem: 'sd1', embeddings: [air], negativePrompt: 'easynegative, blurry' })), []);
});

test('embedding-unused does not judge what it cannot know: numeric ids, prompts from $ref', () => {
  assert.deepEqual(check(embeddingUnused, oneStep({ ecosystem: 'sd1', embeddings: ['urn:air:sd1:embedding:civitai:7808@9208'] })), []);
  const fromRef = oneStep({ ecosystem: 'sd1', embeddings: ['urn:air:sd1:embedding:hf:x/EasyNegative@1'], prompt: { $ref: '$arguments', path: 'p' } }, { arguments: { p: 'x' } });
  assert.deepEqual(check(embeddingUnused, fromRef), []);
});

test('embedding-unused learns a numeric embedding\'s name from a user profile', (t) => {
  const { profiles } = parseUserProfiles([{ name: 'BadDream', air: 'urn:air:sd1:embedding:civitai:72437' }]);
  setActiveUserProfiles(profiles);
  t.after(() => setActiveUserProfiles([]));
  const air = 'urn:air:sd1:embedding:civitai:72437@77169';
  assert.match(onlyFinding(check(embeddingUnused, oneStep({ ecosystem: 'sd1', embeddings: [air] }))).message, /"BadDream"/);
  assert.deepEqual(check(embeddingUnused, oneStep({ ecosystem: 'sd1', embeddings: [air], negativePrompt: 'BadDream' })), []);
});
