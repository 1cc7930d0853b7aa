// Files that are not UTF-8: one finding for a file in another encoding, each invalid byte sequence
// reported where it stands, through the core and through the CLI (which reads bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lintWorkflow } from '../../src/core/lint';
import { decodeUtf8, foreignEncodingOfBytes, foreignEncodingOfText } from '../../src/core/workflow/encoding';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = readFileSync(path.join(ROOT, 'test/fixtures/sdxl-sdcpp-create.civitai.json'), 'utf8');

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}
function utf32le(text: string): Buffer {
  const out = Buffer.alloc(text.length * 4);
  for (let i = 0; i < text.length; i++) out.writeUInt32LE(text.charCodeAt(i), i * 4);
  return out;
}

test('UTF-16 and UTF-32, with or without a byte order mark, are named from the bytes', () => {
  assert.equal(foreignEncodingOfBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FIXTURE, 'utf16le')])), 'UTF-16 LE');
  assert.equal(foreignEncodingOfBytes(Buffer.from(FIXTURE, 'utf16le')), 'UTF-16 LE');
  assert.equal(foreignEncodingOfBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(FIXTURE)])), 'UTF-16 BE');
  assert.equal(foreignEncodingOfBytes(utf16be(FIXTURE)), 'UTF-16 BE');
  assert.equal(foreignEncodingOfBytes(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(FIXTURE)])), 'UTF-32 LE');
  assert.equal(foreignEncodingOfBytes(utf32le(FIXTURE)), 'UTF-32');
  assert.equal(foreignEncodingOfBytes(Buffer.from(FIXTURE, 'utf8')), undefined);
  assert.equal(foreignEncodingOfBytes(Buffer.from('{"steps": []}\u0000', 'utf8')), undefined, 'one NUL is not an encoding');
});

test('a UTF-16 file read as UTF-8 (the editor without a BOM) is one file-encoding finding, not hundreds of syntax errors', () => {
  const misread = Buffer.from(FIXTURE, 'utf16le').toString('utf8');
  assert.equal(foreignEncodingOfText(misread), 'UTF-16 LE');
  const { findings } = lintWorkflow(misread);
  assert.deepEqual(findings.map((f) => f.code), ['file-encoding']);
  assert.match(findings[0].message, /saved as UTF-16 LE, not UTF-8.*save it as UTF-8/);
  assert.equal(foreignEncodingOfText(FIXTURE), undefined);
});

test('invalid UTF-8 is reported at each place it stands, and many places are counted, not flooded', () => {
  const bytes = Buffer.from(FIXTURE.replace('sunset', 'sun\u0000set'), 'utf8');
  bytes[bytes.indexOf(0)] = 0xe9; // Latin-1 é inside the prompt
  const decoded = decodeUtf8(bytes);
  assert.equal(decoded.invalid, true);
  const findings = lintWorkflow(decoded.text).findings.filter((f) => f.code === 'invalid-utf8');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].range.start.line, FIXTURE.split('\n').findIndex((l) => l.includes('sunset')));
  assert.equal(decoded.text.slice(findings[0].offset, findings[0].offset + findings[0].length), '\ufffd');

  const many = Buffer.from(FIXTURE.replace(/[aeiou]/g, '\u0000'), 'utf8');
  for (let i = many.indexOf(0); i >= 0; i = many.indexOf(0, i + 1)) many[i] = 0xff;
  const manyFindings = lintWorkflow(decodeUtf8(many).text).findings.filter((f) => f.code === 'invalid-utf8');
  assert.equal(manyFindings.length, 21);
  assert.match(manyFindings[20].message, /^\d+ more places/);
});

test('a UTF-8 byte order mark is set apart, and valid UTF-8 is not invalid', () => {
  const d = decodeUtf8(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}', 'utf8')]));
  assert.deepEqual(d, { text: '{"a":"é"}', bom: true, invalid: false });
});

test('CLI: a UTF-16 file is one finding; a file with invalid UTF-8 names the line, and --fix leaves its bytes alone', () => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const dir = mkdtempSync(path.join(tmpdir(), 'civitai-encoding-'));
  const utf16 = path.join(dir, 'utf16.civitai.json');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FIXTURE, 'utf16le')]));
  const r16 = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'lint', '--format', 'json', utf16], { encoding: 'utf8' });
  assert.equal(r16.status, 1);
  const [report] = JSON.parse(r16.stdout) as Array<{ diagnostics: Array<{ code: string; message: string }> }>;
  assert.deepEqual(report.diagnostics.map((d) => d.code), ['file-encoding']);
  assert.match(report.diagnostics[0].message, /UTF-16 LE/);

  const latin1 = path.join(dir, 'latin1.civitai.json');
  const bytes = Buffer.from(FIXTURE.replace('"sdcpp"', '"SDCPP"').replace('sunset', 'sun\u0000set'), 'utf8');
  bytes[bytes.indexOf(0)] = 0xe9;
  writeFileSync(latin1, bytes);
  const line = FIXTURE.split('\n').findIndex((l) => l.includes('sunset')) + 1;
  const r8 = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'lint', '--fix', latin1], { encoding: 'utf8' });
  assert.equal(r8.status, 1, r8.stdout + r8.stderr);
  assert.match(r8.stdout, new RegExp(`latin1\\.civitai\\.json:${line}:\\d+ error .*not valid UTF-8.*\\[invalid-utf8\\]`));
  assert.deepEqual(readFileSync(latin1), bytes, '--fix did not write over the invalid bytes');
});
