// The conformance corpus: every request body of Civitai's own documentation (the run widgets'
// bindings, which the docs' daily CI sends to the live service, and the json examples), extracted
// by scripts/extract-doc-bodies.ts. Each body must lint to exactly the errors and warnings its
// manifest entry expects (each with the reason the docs earn it); anything else is a false error
// or a missed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintWorkflow } from '../../src/core/lint';
import { collect, type Manifest } from '../../scripts/extract-doc-bodies';

const DIR = path.resolve(__dirname, '../fixtures/conformance');
const DOCS = path.resolve(__dirname, '../../../shared/reference/civitai-docs');
const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as Manifest;

const key = (f: { code: string; pointer: string; severity: string }): string => `${f.severity} ${f.code} ${f.pointer}`;

test('the corpus holds every body of the docs, and only those', (t) => {
  assert.ok(manifest.entries.length >= 200, `only ${manifest.entries.length} bodies`);
  const files = readdirSync(DIR).filter((f) => f.endsWith('.civitai.json')).sort();
  assert.deepEqual(files, manifest.entries.map((e) => e.file).sort());
  for (const e of manifest.entries) assert.ok(e.sources.length > 0 && e.sources.every((s) => s.page.endsWith('.md') && s.body !== ''), e.file);
  if (!existsSync(DOCS)) {
    t.skip('the docs are not present: cannot compare the corpus with them');
    return;
  }
  // Same bodies as the docs hold today (re-run the script when the docs change).
  const hash = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');
  const fromDocs = new Set(collect(DOCS).found.map((f) => hash(f.value)));
  const committed = new Set(manifest.entries.map((e) => hash(JSON.parse(readFileSync(path.join(DIR, e.file), 'utf8')))));
  assert.deepEqual([...committed].filter((h) => !fromDocs.has(h)), [], 'bodies no longer in the docs: run scripts/extract-doc-bodies.ts');
  assert.deepEqual([...fromDocs].filter((h) => !committed.has(h)), [], 'bodies missing from the corpus: run scripts/extract-doc-bodies.ts');
});

test('every expected finding says why the docs earn it', () => {
  for (const e of manifest.entries) {
    for (const x of e.expected) assert.ok(x.why.length > 20 && !/unexplained/i.test(x.why), `${e.file}: ${key(x)}`);
  }
});

for (const entry of manifest.entries) {
  test(`conformance: ${entry.file}`, () => {
    const text = readFileSync(path.join(DIR, entry.file), 'utf8');
    const actual = lintWorkflow(text).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    const expected = entry.expected.map(key).sort();
    const got = actual.map(key).sort();
    const unexpected = actual.filter((f) => !expected.includes(key(f))).map((f) => `${key(f)}: ${f.message}`);
    assert.deepEqual(unexpected, [], `unexpected findings on ${entry.file} (${entry.sources.map((s) => `${s.page} ${s.body}`).join(', ')})`);
    assert.deepEqual(got, expected, `expected findings missing on ${entry.file}`);
  });
}

test('stale docs fields stay errors whose message names the current field', () => {
  const messages = new Map<string, string>();
  for (const e of manifest.entries) {
    for (const f of lintWorkflow(readFileSync(path.join(DIR, e.file), 'utf8')).findings) messages.set(`${f.code} ${f.pointer.split('/').pop()}`, f.message);
  }
  assert.match(messages.get('unknown-property numInferenceSteps') ?? '', /calls it `steps`/);
  assert.match(messages.get('unknown-property fps') ?? '', /calls it `frameRate`/);
  assert.match(messages.get('unknown-property resolution') ?? '', /only with `engine` "comfy"/);
  assert.match(messages.get('unknown-engine engine') ?? '', /Did you mean `flux2`\?/);
  assert.match(messages.get('ref-unknown-step $ref') ?? '', /\{ "\$ref": "gen", "path": "output\.images\[0\]\.url" \}/);
});

test('the README states the corpus size and the expected findings', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const expected = manifest.entries.reduce((n, e) => n + e.expected.length, 0);
  assert.match(readme, new RegExp(`all ${manifest.entries.length} lint with 0 false errors`));
  assert.match(readme, new RegExp(`the ${expected} findings the stale docs earn`));
});
