// Seeded fuzzing of the linter as the CLI runs it (bytes → encoding check → UTF-8 → lint): 1200
// files generated from the documented examples by truncation, byte flips, deep nesting, huge
// strings and arrays, duplicate and `__proto__` keys, BOM/CRLF, comments, trailing commas, invalid
// UTF-8, UTF-16, 1e400… Each must lint without throwing, give findings whose places lie inside the
// text, and take under a second of CPU time (the bound the issue sets for any one file; a file over
// it fails).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintWorkflow } from '../../src/core/lint';
import { decodeUtf8, foreignEncodingOfBytes } from '../../src/core/workflow/encoding';
import { mulberry32 } from '../../src/core/random';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const SEEDS = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.civitai.json'))
  .map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));
const FILES = 1200;
const MAX_MS_PER_FILE = 1000;

type Mutation = (text: string, r: () => number) => string | Buffer;
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const at = (r: () => number, text: string): number => Math.floor(r() * (text.length + 1));

const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, at(r, t)),
  byteFlips: (t, r) => {
    const b = Buffer.from(t, 'utf8');
    for (let n = 1 + Math.floor(r() * 8); n > 0; n--) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    return b;
  },
  deleteSpan: (t, r) => {
    const i = at(r, t);
    return t.slice(0, i) + t.slice(i + Math.floor(r() * 40));
  },
  insertPunctuation: (t, r) => {
    const i = at(r, t);
    return t.slice(0, i) + pick(r, ['{', '}', '[', ']', ',', ':', '"', '\\', 'null', '-', '/*', '//', '\u2028']) + t.slice(i);
  },
  deepNesting: (t, r) => {
    const depth = pick(r, [100, 1000, 5000, 20000]);
    const open = pick(r, ['[', '{"a":']);
    const inner = open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(r() < 0.5 ? depth : Math.floor(depth / 2));
    return t.replace(/"steps"\s*:/, `"deep": ${inner}, "steps":`);
  },
  deepInInput: (t, r) => {
    const depth = pick(r, [50, 500, 3000]);
    return t.replace(/"input"\s*:\s*\{/, `"input": { "extra": ${'['.repeat(depth)}${']'.repeat(depth)},`);
  },
  hugeString: (t, r) => {
    const field = pick(r, ['prompt', 'negativePrompt', 'model', '$type', 'engine', 'name']);
    const size = pick(r, [10_000, 200_000, 2_000_000]);
    const chunk = pick(r, ['x', 'cat, ', '(a:1.2), ', 'é', '\\"', '<lora:a:1>, ', '\\u00e9']);
    const value = chunk.repeat(Math.ceil(size / chunk.length));
    const re = new RegExp(`"${field.replace('$', '\\$')}"\\s*:\\s*"[^"]*"`);
    return re.test(t) ? t.replace(re, `"${field}": "${value}"`) : t.replace('{', `{ "${field}": "${value}",`);
  },
  hugeArray: (t, r) => {
    const n = pick(r, [1000, 5000, 10_000]);
    const item = pick(r, ['1', '"a"', '{}', 'null', '[]']);
    const key = pick(r, ['tags', 'steps', 'loras', 'extra']);
    return t.replace('{', `{ "${key}": [${Array(n).fill(item).join(',')}],`);
  },
  manySteps: (t, r) => {
    const doc = JSON.parse(t) as { steps: unknown[] };
    const n = pick(r, [100, 500]);
    const step = doc.steps[0] as Record<string, unknown>;
    const sameName = r() < 0.5;
    doc.steps = Array.from({ length: n }, (_, i) => ({ ...step, name: sameName ? 'same' : `s${i}`, ...(r() < 0.3 ? { input: { ...(step.input as object), image: { $ref: `s${(i + 1) % n}`, path: 'output.images[0].url' } } } : {}) }));
    return JSON.stringify(doc);
  },
  duplicateKeys: (t, r) => {
    const key = pick(r, ['steps', '$type', 'engine', 'prompt', 'width', 'input']);
    const n = pick(r, [2, 50, 2000]);
    return t.replace('{', `{ ${Array(n).fill(`"${key}": 1`).join(', ')},`);
  },
  protoKeys: (t, r) => {
    const key = pick(r, ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
    return t.replace(/"input"\s*:\s*\{/, `"input": { "${key}": { "polluted": true }, "${key}": null,`).replace('{', `{ "${key}": {"steps": 1},`);
  },
  bomCrlf: (t, r) => (r() < 0.5 ? '\ufeff' : '') + t.replace(/\n/g, r() < 0.5 ? '\r\n' : '\r'),
  comments: (t, r) => {
    const i = t.indexOf('\n', at(r, t));
    return i < 0 ? `${t}// end` : t.slice(0, i) + pick(r, [' // note', ' /* block */', ' /* unterminated']) + t.slice(i);
  },
  trailingCommas: (t) => t.replace(/(\S)(\s*[}\]])/g, '$1,$2'),
  invalidUtf8: (t, r) => {
    const b = Buffer.from(t, 'utf8');
    for (let n = 1 + Math.floor(r() * 30); n > 0; n--) b[Math.floor(r() * b.length)] = pick(r, [0x80, 0xbf, 0xc0, 0xc3, 0xe9, 0xed, 0xf5, 0xff]);
    return b;
  },
  utf16: (t, r) => {
    const body = Buffer.from(t, 'utf16le');
    return r() < 0.5 ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
  },
  bigNumbers: (t, r) => t.replace(/: (\d+)/g, () => `: ${pick(r, ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '0.1e9999', '-0', '1.7976931348623157e309', 'NaN', 'Infinity'])}`),
  wrongTypes: (t, r) => t.replace(/: ("[^"]*"|\d+)/g, (m) => (r() < 0.3 ? `: ${pick(r, ['null', 'true', '[]', '{}', '"1"', '-1', '0.5'])}` : m)),
  notJson: (t, r) => pick(r, ['', ' ', 'null', '[]', '"steps"', '{', '}', '{"steps":', t.replace(/"/g, "'"), '\u0000'.repeat(100), t.split('').reverse().join('')]),
};
const NAMES = Object.keys(MUTATIONS);

/**
 * The process's CPU time (ms) since `start`: what linting the file cost. Wall time on the shared
 * test machine (2 cores, often a dozen processes runnable) measures the machine's load as much.
 */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function bytesOf(out: string | Buffer): Buffer {
  return typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
}

test(`fuzz: ${FILES} generated files lint without a crash, each under ${MAX_MS_PER_FILE} ms`, () => {
  assert.ok(SEEDS.length >= 10);
  const r = mulberry32(0x14e);
  const slow: string[] = [];
  let findings = 0;
  const perMutation = new Map<string, number>();
  for (let i = 0; i < FILES; i++) {
    // Mostly one mutation, sometimes two stacked.
    const names = [pick(r, NAMES), ...(r() < 0.25 ? [pick(r, NAMES)] : [])];
    let out: string | Buffer = pick(r, SEEDS);
    for (const name of names) {
      const text: string = typeof out === 'string' ? out : out.toString('utf8');
      try {
        out = MUTATIONS[name](text, r);
      } catch {
        out = text; // a generator that needed valid JSON (manySteps) on an already broken file
      }
    }
    const bytes = bytesOf(out);
    const label = `file ${i} (${names.join('+')}, ${bytes.length} bytes)`;
    const started = process.cpuUsage();
    let result: ReturnType<typeof lintWorkflow>;
    try {
      const foreignEncoding = foreignEncodingOfBytes(bytes);
      result = foreignEncoding !== undefined ? lintWorkflow('', { foreignEncoding }) : lintWorkflow(decodeUtf8(bytes).text);
    } catch (e) {
      assert.fail(`${label} threw: ${(e as Error).stack}`);
    }
    let ms = cpuMsSince(started);
    if (ms > MAX_MS_PER_FILE) {
      // Once more before failing: a garbage collection of earlier files' leftovers is not this file's time.
      const again = process.cpuUsage();
      const foreignEncoding = foreignEncodingOfBytes(bytes);
      if (foreignEncoding !== undefined) lintWorkflow('', { foreignEncoding });
      else lintWorkflow(decodeUtf8(bytes).text);
      ms = Math.min(ms, cpuMsSince(again));
    }
    if (ms > MAX_MS_PER_FILE) slow.push(`${label}: ${ms.toFixed(0)} ms`);
    const text = result.document.text;
    for (const f of result.findings) {
      // A syntax error at the very end is shown on one character past the text (the end of file).
      assert.ok(f.offset >= 0 && f.offset + f.length <= text.length + 1, `${label}: ${f.code} at ${f.offset}+${f.length} outside the text`);
      assert.ok(f.message.length > 0 && f.message.length <= 1000, `${label}: ${f.code} message of ${f.message.length} characters`);
      assert.notEqual(f.code, 'internal-error', `${label}: ${f.message}`);
    }
    findings += result.findings.length;
    for (const n of names) perMutation.set(n, (perMutation.get(n) ?? 0) + 1);
  }
  assert.deepEqual(slow, [], 'files over the bound');
  assert.ok(findings > FILES, 'the mutations produce problems to report');
  assert.equal(perMutation.size, NAMES.length, 'every kind of mutation was exercised');
});
