// The editor and the CLI share one run record per submission (.civitai/runs/<key>.json): a run
// started in the editor is written there before the POST and given its workflow id after, so the
// CLI's `submit` of the same file re-attaches to it and `follow KEY` finds it.
// (Named to run after submit.test.ts, whose first tests expect no emulator to be running yet.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import { RunRecordStore } from '../../src/core/history/run-records';
import { bodyDigest } from '../../src/core/history/body-digest';
import { closeAllEditors, ourExtension, waitFor, workspaceUri } from './util';

suite('run records shared with the CLI', function () {
  this.timeout(90_000);

  test('a submission from the editor leaves a run record the CLI re-attaches to', async () => {
    const api = (await ourExtension().activate()) as CivitaiApi;
    await vscode.commands.executeCommand('civitai.useLocalEmulator');
    const uri = workspaceUri('submit/sd1-seeded.civitai.json');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', uri);
    assert.ok(key, 'submitted');
    const entry = await waitFor('the run to end', () => {
      const e = api.testing.history().find((x) => x.key === key);
      return e && ['succeeded', 'failed', 'canceled'].includes(e.status) ? e : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200 });

    const store = RunRecordStore.forWorkspace(workspaceUri('').fsPath);
    const record = await waitFor('the record to have the workflow id', async () => {
      const r = await store.read(key);
      return r?.workflowId ? r : undefined;
    });
    assert.equal(record.by, 'extension');
    assert.equal(record.workflowId, entry.workflowId);
    assert.equal(record.serviceUrl, api.testing.service().baseUrl);
    assert.equal(record.pendingBody, undefined, 'the body is dropped once the service gave an id');
    assert.equal(record.file, path.join('submit', 'sd1-seeded.civitai.json').replace(/\\/g, '/'));
    // What the CLI does on `submit` of the same unchanged file: it finds this run, not a new one.
    const body = JSON.parse(fs.readFileSync(uri.fsPath, 'utf8'));
    const found = await store.findReattachable(bodyDigest(body), api.testing.service().baseUrl);
    assert.equal(found?.key, key);
    assert.ok(!JSON.stringify(record).includes('local-'), 'no token in the record');
    await closeAllEditors();
  });
});
