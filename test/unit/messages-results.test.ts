import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview, parseToWebview, parsePanelState, IMAGE_ACTIONS } from '../../src/core/messages';

test('every image action the webview may send validates', () => {
  for (const action of IMAGE_ACTIONS) {
    const r = parseFromWebview({ type: 'image', action, key: 'blob_1' });
    assert.equal(r.ok, true, action);
  }
  for (const type of ['ready', 'cancel', 'refresh', 'openSource', 'previewCost']) {
    assert.equal(parseFromWebview({ type }).ok, true, type);
  }
});

test('malformed webview messages are refused with a reason', () => {
  const cases: unknown[] = [
    null, 'ready', {}, { type: 'explode' }, { type: 'image', action: 'delete', key: 'b' },
    { type: 'image', action: 'save' }, { type: 'image', action: 'save', key: '' }, { type: 'image', action: 'save', key: 'x'.repeat(600) },
  ];
  for (const raw of cases) {
    const r = parseFromWebview(raw);
    assert.equal(r.ok, false, JSON.stringify(raw));
    if (!r.ok) assert.ok(r.error.length > 0);
  }
});

test('the webview refuses a state message that does not match the schema', () => {
  assert.equal(parseToWebview({ type: 'state', state: { key: 'k' } }).ok, false);
  assert.equal(parseToWebview({ type: 'toast', text: 'Saved', kind: 'info' }).ok, true);
  assert.equal(parseToWebview({ type: 'toast', text: 'Saved', kind: 'loud' }).ok, false);
});

test('persisted panel state needs a key and nothing else matters', () => {
  assert.deepEqual(parsePanelState({ key: 'vscode-1' }), { ok: true, value: { key: 'vscode-1' } });
  assert.equal(parsePanelState({}).ok, false);
  assert.equal(parsePanelState(undefined).ok, false);
});

test('the render report carries non-negative whole counts', () => {
  assert.equal(parseFromWebview({ type: 'rendered', images: 4, loaded: 4, failed: 0, icons: true }).ok, true);
  assert.equal(parseFromWebview({ type: 'rendered', images: 4, loaded: 4, failed: 0 }).ok, false, 'icons is required');
  assert.equal(parseFromWebview({ type: 'rendered', images: 4, loaded: -1, failed: 0, icons: true }).ok, false);
  assert.equal(parseFromWebview({ type: 'rendered', images: 1.5, loaded: 1, failed: 0, icons: true }).ok, false);
});

test('the view report names the selected and the open image, or null', () => {
  assert.equal(parseFromWebview({ type: 'view', selected: 'blob_1', open: null }).ok, true);
  assert.equal(parseFromWebview({ type: 'view', selected: 'blob_2', open: 'blob_2' }).ok, true);
  assert.equal(parseFromWebview({ type: 'view', selected: null, open: null }).ok, true);
  assert.equal(parseFromWebview({ type: 'view', selected: 'blob_1' }).ok, false, 'open is required');
  assert.equal(parseFromWebview({ type: 'view', selected: '', open: null }).ok, false, 'an empty key');
  assert.equal(parseFromWebview({ type: 'view', selected: 3, open: null }).ok, false);
});
