import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redactor } from '../../src/extension/common/redact';
import { validateTokenInput } from '../../src/extension/connection/tokenInput';

test('every known token is replaced wherever it appears', () => {
  const r = new Redactor();
  r.add('abc123secret');
  r.add('local-emulator-token');
  assert.equal(r.redact('token=abc123secret; again abc123secret, local-emulator-token'), 'token=[redacted]; again [redacted], [redacted]');
});

test('bearer credentials are redacted even when the token was never registered', () => {
  const r = new Redactor();
  assert.equal(r.redact('Authorization: Bearer zzz.yyy-xxx'), 'Authorization: Bearer [redacted]');
  assert.equal(r.redact('{"authorization":"bearer q1w2e3r4"}'), '{"authorization":"bearer [redacted]"}');
});

test('very short or empty secrets are not registered (they would shred ordinary text)', () => {
  const r = new Redactor();
  r.add('');
  r.add(undefined);
  r.add('ab');
  assert.equal(r.redact('about a tab'), 'about a tab');
});

test('the token box refuses what is obviously not a token', () => {
  assert.equal(validateTokenInput('0123456789abcdef0123'), undefined);
  assert.match(validateTokenInput('') ?? '', /Paste/);
  assert.match(validateTokenInput('Bearer 0123456789abcdef') ?? '', /space|Bearer/);
  assert.match(validateTokenInput('https://civitai.com/x') ?? '', /URL/);
  assert.match(validateTokenInput('short') ?? '', /short/);
  assert.match(validateTokenInput('has a space inside') ?? '', /space/);
});
