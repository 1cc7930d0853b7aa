// Where the API token goes is the user's decision, never a folder's: civitai.baseUrl is an
// application setting, so a workspace's .vscode/settings.json (or a workspace-scope update) that
// points it elsewhere is ignored by VS Code and by the extension.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import { ourExtension, waitFor, workspaceUri } from './util';

const DEFAULT = 'https://orchestration.civitai.com';
/** Loopback, so if it were honoured no consent would even be asked: the worst case. */
const ELSEWHERE = 'http://127.0.0.1:9/elsewhere';

suite('token scope: a workspace cannot change where the token goes', function () {
  this.timeout(60_000);
  let api: CivitaiApi;
  const settingsFile = workspaceUri('.vscode/settings.json').fsPath;
  let original = '';

  suiteSetup(async () => {
    api = (await ourExtension().activate()) as CivitaiApi;
    original = fs.readFileSync(settingsFile, 'utf8');
  });

  suiteTeardown(async () => {
    fs.writeFileSync(settingsFile, original);
    await vscode.workspace.getConfiguration('civitai').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
  });

  test('civitai.baseUrl in .vscode/settings.json is ignored', async () => {
    // The same file also changes a folder-scoped setting: seeing that one proves the file was read.
    const edited = original.replace(/\}\s*$/, `,\n  "civitai.baseUrl": "${ELSEWHERE}",\n  "civitai.lint.debounceMs": 51\n}\n`);
    fs.writeFileSync(settingsFile, edited);
    await waitFor('the workspace settings to be re-read', () => vscode.workspace.getConfiguration('civitai').get('lint.debounceMs') === 51, { timeoutMs: 20_000 });
    assert.equal(vscode.workspace.getConfiguration('civitai').get('baseUrl'), DEFAULT);
    assert.equal(api.testing.tokenBaseUrl(), DEFAULT);
    if (api.testing.service().kind === 'civitai') assert.equal(api.testing.service().baseUrl, DEFAULT);
  });

  test('a workspace-scope update is refused or has no effect; a user setting does take effect', async () => {
    const config = vscode.workspace.getConfiguration('civitai');
    let refused = false;
    try {
      await config.update('baseUrl', ELSEWHERE, vscode.ConfigurationTarget.Workspace);
    } catch {
      refused = true;
    }
    assert.equal(vscode.workspace.getConfiguration('civitai').get('baseUrl'), DEFAULT, `workspace update ${refused ? 'refused' : 'ignored'}`);
    assert.equal(api.testing.tokenBaseUrl(), DEFAULT);

    // The control: the same value as a user setting is honoured (so the checks above can fail).
    await config.update('baseUrl', ELSEWHERE, vscode.ConfigurationTarget.Global);
    await waitFor('the user setting to apply', () => api.testing.tokenBaseUrl() === ELSEWHERE, { timeoutMs: 10_000 });
  });
});
