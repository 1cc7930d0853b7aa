// Run records on disk: written whole, read back validated, found by body and service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { newRunRecord, RunRecordStore } from '../../src/core/history/run-records';

const dir = () => mkdtempSync(path.join(tmpdir(), 'run-records-'));

test('concurrent updates of one record all land, and leave no temporary files behind', async () => {
  const store = RunRecordStore.forWorkspace(dir());
  await store.write(newRunRecord({ key: 'k1', serviceUrl: 'http://127.0.0.1:1', bodyDigest: 'd', body: { steps: [] }, by: 'cli' }));
  const statuses = ['preparing', 'scheduled', 'processing', 'succeeded'] as const;
  await Promise.all(statuses.map((status) => store.update('k1', (r) => ({ ...r, status, workflowId: 'wf_1' }))));
  assert.equal((await store.read('k1'))?.workflowId, 'wf_1');
  assert.deepEqual(readdirSync(store.dir), ['k1.json']);
});

test('foreign, oversized or invalid files in the folder are skipped; keys are never paths', async () => {
  const root = dir();
  const store = RunRecordStore.forWorkspace(root);
  mkdirSync(store.dir, { recursive: true });
  writeFileSync(path.join(store.dir, 'junk.json'), '{"version":1');
  writeFileSync(path.join(store.dir, 'other.json'), JSON.stringify({ ...newRunRecord({ key: 'not-other', serviceUrl: 's', bodyDigest: 'd', body: {}, by: 'cli' }) }));
  await store.write(newRunRecord({ key: 'good', serviceUrl: 's', bodyDigest: 'd', body: {}, by: 'extension' }));
  assert.deepEqual((await store.list()).map((r) => r.key), ['good']);
  assert.equal(await store.read('../../etc/passwd'), undefined);
  assert.throws(() => store.fileFor('../x'), /not an idempotency key/);
  assert.equal((await store.findReattachable('d', 's'))?.key, 'good');
  assert.equal(await store.findReattachable('d', 'other-service'), undefined);
  // Older than the service keeps workflows: not re-attached.
  assert.equal(await store.findReattachable('d', 's', Date.now() + 31 * 86_400_000), undefined);
  await store.update('good', (r) => ({ ...r, status: 'failed' }));
  assert.equal(await store.findReattachable('d', 's'), undefined, 'a failed run is submitted afresh');
});
