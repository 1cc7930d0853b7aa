// `npx tsx scripts/extract-doc-bodies.ts [docs-dir]`: builds the conformance corpus
// (test/fixtures/conformance/) from Civitai's own documentation. Run it again when the docs change.
//
// Two kinds of source on every page:
// - the `<script setup>` block, whose bindings the pages' run widgets (`<RecipeRun :body="x">`)
//   send to the live service with whatif=true in the docs' daily CI: evaluated in an empty
//   sandbox (they are plain object literals, sometimes built by a small helper) and every binding
//   that is a workflow body is kept;
// - the fenced ```json blocks, read as JSONC (a few carry `//` notes), and the bodies of the
//   ```http blocks that POST to /v2/consumer/workflows.
// A workflow body is an object with a `steps` array and no response-only members. Everything else
// found (single steps, fragments, recipe-endpoint bodies, responses, unreadable illustrations) is
// listed in the manifest's `skipped` with the reason, so nothing is dropped silently.
//
// The manifest (`manifest.json`) keeps, per body, where it came from and the findings the
// linter is expected to report on it, with why. Re-running keeps those expectations for bodies
// that did not change (matched by content) and marks new bodies clean until someone reviews them.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { parse, type ParseError } from 'jsonc-parser';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const DEFAULT_DOCS = path.resolve(PROJECT_ROOT, '../shared/reference/civitai-docs');
export const CORPUS_DIR = path.join(PROJECT_ROOT, 'test/fixtures/conformance');
export const MANIFEST = path.join(CORPUS_DIR, 'manifest.json');

export interface ExpectedFinding {
  code: string;
  pointer: string;
  severity: string;
  /** Why the docs' body gets this finding (docs stale against the contract, …). */
  why: string;
}

export interface CorpusEntry {
  file: string;
  /** Where the body is: page path (relative to the docs) and the binding or the json block. */
  sources: Array<{ page: string; body: string }>;
  /** Findings of severity error or warning the linter must report, and no others of those severities. */
  expected: ExpectedFinding[];
}

export interface Manifest {
  docs: string;
  entries: CorpusEntry[];
  skipped: Array<{ page: string; body: string; reason: string }>;
}

interface Found {
  page: string;
  body: string;
  value: unknown;
}

/** Members only a fetched workflow (or its steps) has: a page showing a result, not a request. */
const RESPONSE_MEMBERS = ['id', 'status', 'createdAt', 'transactions', 'cost'];
const RESPONSE_STEP_MEMBERS = ['status', 'output', 'jobs'];

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.md')) out.push(full);
  }
  return out;
}

/** The bindings of a page's `<script setup>`, evaluated in an empty sandbox (no require, no I/O). */
export function scriptBindings(markdown: string): Map<string, unknown> {
  const match = /<script setup>([\s\S]*?)<\/script>/.exec(markdown);
  const out = new Map<string, unknown>();
  if (!match) return out;
  const source = match[1];
  const names = [...source.matchAll(/^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm)].map((m) => m[1]);
  if (names.length === 0) return out;
  const script = `${source}\n;({ ${names.join(', ')} })`;
  const values = vm.runInNewContext(script, Object.create(null), { timeout: 1000 }) as Record<string, unknown>;
  // Copy out of the sandbox's realm so the values are plain objects of this one.
  for (const name of names) {
    const value = values[name];
    // Helpers (functions) build the bodies; only data is kept.
    if (value === undefined || typeof value === 'function') continue;
    out.set(name, JSON.parse(JSON.stringify(value)));
  }
  return out;
}

/**
 * Fenced ```http blocks that POST a body: the request line's path and the body after the headers.
 * A GET (polling a workflow, listing) has no body and is not listed.
 */
export function httpBodies(markdown: string): Array<{ line: number; path: string; text: string }> {
  const out: Array<{ line: number; path: string; text: string }> = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```http\s*$/.test(lines[i])) continue;
    const start = i;
    const block: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) block.push(lines[i]);
    const request = /^\s*(POST|PUT)\s+(\S+)/.exec(block[0] ?? '');
    const blank = block.findIndex((l) => l.trim() === '');
    if (!request || blank < 0) continue;
    out.push({ line: start + 1, path: request[2].replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, ''), text: block.slice(blank + 1).join('\n') });
  }
  return out;
}

/** Fenced ```json blocks with the line they start on. */
export function jsonBlocks(markdown: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```jsonc?\s*$/.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    out.push({ line: start + 1, text: body.join('\n') });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Why a value is not a workflow request body, or undefined when it is one. */
export function notABody(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (!Array.isArray(value.steps)) {
    if (typeof value.$type === 'string' && 'input' in value) return 'a single step, not a whole body';
    if (typeof value.$type === 'string' && 'params' in value) return 'a v1 job body (/v1/consumer/jobs)';
    return 'no steps array (a fragment or another endpoint\'s body)';
  }
  const stepIsResult = value.steps.some((s) => isObject(s) && RESPONSE_STEP_MEMBERS.some((k) => k in s));
  if (stepIsResult || RESPONSE_MEMBERS.some((k) => k in value)) return 'a workflow response, not a request';
  if (value.steps.length === 0) return 'an empty steps array (illustration)';
  return undefined;
}

function slug(text: string): string {
  return text.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

function contentKey(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

export function collect(docsDir: string): { found: Found[]; skipped: Manifest['skipped'] } {
  const found: Found[] = [];
  const skipped: Manifest['skipped'] = [];
  for (const file of walk(docsDir)) {
    const page = path.relative(docsDir, file);
    const markdown = readFileSync(file, 'utf8');
    // Widgets that post to a recipe endpoint send a recipe body, not a workflow.
    const recipeBindings = new Set([...markdown.matchAll(/<RecipeRun :body="([\w$]+)" path="([^"]+)"/g)].filter((m) => !m[2].includes('/workflows')).map((m) => m[1]));
    let bindings: Map<string, unknown>;
    try {
      bindings = scriptBindings(markdown);
    } catch (e) {
      skipped.push({ page, body: '<script setup>', reason: `could not be evaluated: ${(e as Error).message}` });
      bindings = new Map();
    }
    for (const [name, value] of bindings) {
      if (recipeBindings.has(name)) {
        skipped.push({ page, body: `script:${name}`, reason: 'a recipe endpoint body (/v2/consumer/recipes/…)' });
        continue;
      }
      const reason = notABody(value);
      // Constants (a model AIR, an image URL, a helper) are not bodies; only list skipped objects.
      if (reason === undefined) found.push({ page, body: `script:${name}`, value });
      else if (isObject(value) && (Array.isArray(value.steps) || '$type' in value)) skipped.push({ page, body: `script:${name}`, reason });
    }
    for (const block of httpBodies(markdown)) {
      const body = `http@L${block.line}`;
      if (!block.path.endsWith('/workflows')) {
        skipped.push({ page, body, reason: `a body for ${block.path}, not a workflow` });
        continue;
      }
      const errors: ParseError[] = [];
      const value: unknown = parse(block.text, errors, { allowTrailingComma: false, disallowComments: false });
      const reason = errors.length > 0 || value === undefined ? 'not readable as JSON (an illustration with placeholders)' : notABody(value);
      if (reason === undefined) found.push({ page, body, value });
      else skipped.push({ page, body, reason });
    }
    for (const block of jsonBlocks(markdown)) {
      // `{ /* ... */ }`: the page elides part of the body, so it is not a whole request.
      if (/\/\*\s*(\.\.\.|…)\s*\*\//.test(block.text)) {
        skipped.push({ page, body: `json@L${block.line}`, reason: 'elides part of the body (/* ... */)' });
        continue;
      }
      const errors: ParseError[] = [];
      const value: unknown = parse(block.text, errors, { allowTrailingComma: false, disallowComments: false });
      const body = `json@L${block.line}`;
      if (errors.length > 0 || value === undefined) {
        skipped.push({ page, body, reason: 'not readable as JSON (an illustration with placeholders)' });
        continue;
      }
      const reason = notABody(value);
      if (reason === undefined) found.push({ page, body, value });
      else skipped.push({ page, body, reason });
    }
  }
  return { found, skipped };
}

function readManifest(): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function main(argv: string[]): void {
  const docsDir = path.resolve(argv[0] ?? DEFAULT_DOCS);
  const { found, skipped } = collect(docsDir);
  const previous = readManifest();
  const previousByFile = new Map((previous?.entries ?? []).map((e) => [e.file, e]));
  // Identical bodies (a json block repeating the widget's binding) become one fixture with both sources.
  const byContent = new Map<string, { value: unknown; sources: CorpusEntry['sources'] }>();
  for (const f of found) {
    const key = contentKey(f.value);
    const entry = byContent.get(key);
    if (entry) entry.sources.push({ page: f.page, body: f.body });
    else byContent.set(key, { value: f.value, sources: [{ page: f.page, body: f.body }] });
  }
  rmSync(CORPUS_DIR, { recursive: true, force: true });
  mkdirSync(CORPUS_DIR, { recursive: true });
  const entries: CorpusEntry[] = [];
  for (const [key, { value, sources }] of byContent) {
    const first = sources[0];
    const file = `${slug(path.basename(first.page))}--${slug(first.body.replace(/^script:/, ''))}-${key.slice(0, 6)}.civitai.json`;
    writeFileSync(path.join(CORPUS_DIR, file), JSON.stringify(value, null, 2) + '\n');
    entries.push({ file, sources, expected: previousByFile.get(file)?.expected ?? [] });
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : 1));
  const manifest: Manifest = { docs: path.relative(PROJECT_ROOT, docsDir), entries, skipped };
  writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`${entries.length} bodies from ${found.length} sources; ${skipped.length} skipped (see manifest.json)`);
}

if (require.main === module) main(process.argv.slice(2));
