import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/core/api/errors';
import { explainError } from '../../src/extension/common/errors';

const civitai = { emulator: false };

test('401 asks for a valid token and offers to set one', () => {
  const e = explainError('Submitting a.civitai.json', new ApiError({ kind: 'auth', status: 401, message: 'HTTP 401' }), civitai);
  assert.match(e.message, /^Submitting a\.civitai\.json: .*token.*401/);
  assert.deepEqual(e.actions.map((a) => a.command), ['civitai.setApiToken']);
});

test('401 from the emulator points at the emulator, not the account token', () => {
  const e = explainError('Submitting', new ApiError({ kind: 'auth', status: 401, message: 'HTTP 401' }), { emulator: true });
  assert.match(e.message, /emulator/);
  assert.deepEqual(e.actions.map((a) => a.command), ['civitai.useLocalEmulator']);
});

test('403 says the token is valid but not allowed, quoting the service, and not to retry as-is', () => {
  const e = explainError('Submitting', new ApiError({ kind: 'forbidden', status: 403, message: 'HTTP 403', problem: { title: 'Forbidden', detail: 'Mature content is not enabled' } }), civitai);
  assert.match(e.message, /valid but not allowed/);
  assert.match(e.message, /Mature content is not enabled/);
  assert.match(e.message, /Retrying as-is won't help/);
});

test('429 and 5xx say what was already tried and what to do', () => {
  const rate = explainError('Submitting', new ApiError({ kind: 'rate-limited', status: 429, message: 'HTTP 429', attempts: 5 }), civitai);
  assert.match(rate.message, /too many requests \(429\).*5 times.*wait a minute/i);
  const server = explainError('Submitting', new ApiError({ kind: 'server', status: 503, message: 'HTTP 503', attempts: 5 }), civitai);
  assert.match(server.message, /503.*5 attempts.*same idempotency key/);
});

test('a 400 points at the marked fields and offers the Problems view', () => {
  const e = explainError('Submitting', new ApiError({ kind: 'validation', status: 400, message: 'HTTP 400', problem: { title: 'One or more validation errors occurred.', errors: { 'steps[0].$type': ['no'] } } }), civitai);
  assert.match(e.message, /refused the workflow.*validation errors.*marked in the file/);
  assert.deepEqual(e.actions.map((a) => a.command), ['workbench.actions.view.problems']);
});

test('network failures name the setting to check; other errors keep their message', () => {
  const net = explainError('Previewing', new ApiError({ kind: 'network', message: 'ECONNREFUSED' }), civitai);
  assert.match(net.message, /could not reach the orchestration service.*civitai\.baseUrl/);
  assert.ok(net.actions.some((a) => a.command === 'workbench.action.openSettings'));
  const plain = explainError('Opening', new Error('disk full'), civitai);
  assert.equal(plain.message, 'Opening failed: disk full');
});
