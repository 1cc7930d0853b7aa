// Names built from server data never leave the folder chosen for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isInside, pathInside, safeName } from '../../src/core/results/file-names';

const HOSTILE = ['../../x', '..', '.', '/etc/passwd', 'C:\\Windows\\system32', 'a/../../b', '\u0000', '....//', '%2e%2e%2f', '~', '', ' ', 'CON', '-rf', '.hidden', 'ü'.repeat(300)];

test('safeName: only [A-Za-z0-9._-], no leading dots or dashes, never empty, bounded', () => {
  for (const id of HOSTILE) {
    const name = safeName(id);
    assert.match(name, /^[A-Za-z0-9_][A-Za-z0-9._-]*$/, JSON.stringify(id));
    assert.ok(name.length <= 60);
    assert.notEqual(name, '..');
    assert.ok(isInside('/tmp/out', path.join('/tmp/out', `${name}-0.png`)), JSON.stringify(id));
  }
  assert.equal(safeName('wf_abc-123'), 'wf_abc-123');
});

test('pathInside refuses anything that would land outside (or in a subfolder of) the folder', () => {
  assert.equal(pathInside('/tmp/out', 'a.png'), path.resolve('/tmp/out/a.png'));
  for (const name of ['../a.png', '/etc/a.png', 'sub/a.png', '..', '.', '']) {
    assert.throws(() => pathInside('/tmp/out', name), /outside/, JSON.stringify(name));
  }
  assert.equal(isInside('/tmp/out', '/tmp/outside/x'), false, 'a sibling with the same prefix is outside');
});
