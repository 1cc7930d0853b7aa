// The built CLI, as CI runs it: `node dist/cli.js lint …` with its exit codes and both formats.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = 'test/fixtures';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  file: string;
  diagnostics: Array<{ code: string; severity: string; message: string; pointer: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>;
}

before(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});

test('every documented example lints clean: exit 0', () => {
  const files = readdirSync(path.join(ROOT, FIXTURES)).filter((f) => f.endsWith('.civitai.json')).map((f) => `${FIXTURES}/${f}`);
  assert.ok(files.length >= 12);
  const r = run('lint', ...files);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`${files.length} files checked: 0 errors`));
});

test('errors: exit 1, eslint-style lines with 1-based positions and the code', () => {
  const r = run('lint', `${FIXTURES}/broken/comfy-sd1-too-wide.civitai.json`);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^test\/fixtures\/broken\/comfy-sd1-too-wide\.civitai\.json:11:18 error `width` 2048 is above the maximum 1024 for comfy \+ sd1 createImage.* \[out-of-range\]$/m);
  assert.match(r.stdout, /1 file checked: 1 error/);
});

test('--format json: one entry per file, 0-based ranges and pointers', () => {
  const r = run('lint', '--format', 'json', `${FIXTURES}/broken/sdxl-sampler.civitai.json`, `${FIXTURES}/broken/missing-model.civitai.json`, `${FIXTURES}/sd1-sdcpp-create.civitai.json`);
  assert.equal(r.code, 1);
  const reports = JSON.parse(r.stdout) as JsonReport[];
  assert.deepEqual(reports.map((x) => x.file), [`${FIXTURES}/broken/sdxl-sampler.civitai.json`, `${FIXTURES}/broken/missing-model.civitai.json`, `${FIXTURES}/sd1-sdcpp-create.civitai.json`]);
  const sampler = reports[0].diagnostics.find((d) => d.pointer === '/steps/0/input/sampler');
  assert.ok(sampler, JSON.stringify(reports[0]));
  assert.equal(sampler.severity, 'error');
  assert.deepEqual(sampler.range, { start: { line: 10, character: 8 }, end: { line: 10, character: 17 } });
  assert.match(sampler.message, /sampleMethod/);
  const missing = reports[1].diagnostics.find((d) => d.code === 'missing-property');
  assert.ok(missing);
  assert.equal(missing.pointer, '/steps/0/input');
  assert.deepEqual(missing.range, { start: { line: 4, character: 15 }, end: { line: 4, character: 16 } });
  assert.deepEqual(reports[2].diagnostics.filter((d) => d.severity === 'error'), []);
  for (const d of reports.flatMap((x) => x.diagnostics)) assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'pointer', 'range', 'severity']);
});

test('broken files give diagnostics, not crashes', () => {
  const r = run('lint', '--format=json', `${FIXTURES}/broken/truncated.civitai.json`, `${FIXTURES}/broken/array-root.civitai.json`, `${FIXTURES}/legacy-sdxl-payload.json`);
  assert.equal(r.code, 1, r.stderr);
  const [truncated, array, legacy] = JSON.parse(r.stdout) as JsonReport[];
  assert.ok(truncated.diagnostics.length > 0 && truncated.diagnostics.every((d) => d.code === 'json-syntax'));
  assert.deepEqual(array.diagnostics.map((d) => d.code), ['not-an-object']);
  assert.ok(legacy.diagnostics.some((d) => d.severity === 'error'));
});

test('usage errors: exit 2 with a message on stderr', () => {
  const noFiles = run('lint');
  assert.equal(noFiles.code, 2);
  assert.match(noFiles.stderr, /no files given/);
  const badOption = run('lint', '--colour', `${FIXTURES}/sd1-sdcpp-create.civitai.json`);
  assert.equal(badOption.code, 2);
  assert.match(badOption.stderr, /unknown option '--colour'/);
  const badFormat = run('lint', '--format', 'xml', `${FIXTURES}/sd1-sdcpp-create.civitai.json`);
  assert.equal(badFormat.code, 2);
  const unreadable = run('lint', 'test/fixtures/does-not-exist.civitai.json');
  assert.equal(unreadable.code, 2);
  assert.match(unreadable.stderr, /cannot read test\/fixtures\/does-not-exist\.civitai\.json: no such file/);
  const unknown = run('frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

test('--help lists the commands; no arguments is a usage error', () => {
  const help = run('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^\s+lint\s+check workflow files/m);
  const none = run();
  assert.equal(none.code, 2);
  assert.match(none.stdout + none.stderr, /Usage: civitai-workflow <command>/);
});
