// The `civitai.modelProfiles` setting changes what open workflow files are told, at once: a
// profile-dependent finding appears and disappears without an edit to the file.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import { CIVITAI_SOURCE, closeAllEditors, codeOf, openWorkspaceFile, summarize, waitForDiagnostics } from './util';

const PROFILE = { name: 'E2E low-cfg model', air: 'urn:air:sdxl:checkpoint:civitai:999001@', cfgScale: [1, 2] };
const isCfg = (d: vscode.Diagnostic) => codeOf(d) === 'cfg-outside-sweet-spot';

suite('model profiles setting', function () {
  this.timeout(60_000);

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('civitai').update('modelProfiles', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  test('changing civitai.modelProfiles re-lints an open file without editing it', async () => {
    const api = (await vscode.extensions.getExtension('civitai-workflows.civitai-workflows')!.activate()) as CivitaiApi;
    const { document } = await openWorkspaceFile('profile-model.civitai.json');
    // Linted (and published) now, under no user profile: cfgScale 7 is inside SDXL's 6–8.
    assert.deepEqual(api.diagnostics.resultFor(document).findings.filter((f) => f.code === 'cfg-outside-sweet-spot'), []);
    await waitForDiagnostics(document.uri, CIVITAI_SOURCE, (ds) => !ds.some(isCfg), 'no cfg finding before the profile');
    const version = document.version;

    const config = vscode.workspace.getConfiguration('civitai');
    await config.update('modelProfiles', [PROFILE], vscode.ConfigurationTarget.Workspace);
    const withProfile = await waitForDiagnostics(document.uri, CIVITAI_SOURCE, (ds) => ds.some(isCfg), 'the profile\'s cfg range to apply');
    const cfg = withProfile.find(isCfg)!;
    assert.match(cfg.message, /outside 1–2 for E2E low-cfg model \(your profile\)/, summarize(cfg));
    assert.equal(document.getText(cfg.range), '"cfgScale"');

    await config.update('modelProfiles', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(document.uri, CIVITAI_SOURCE, (ds) => !ds.some(isCfg), 'the cfg finding to go with the profile');
    assert.equal(document.version, version, 'the file was never edited');
    assert.equal(document.isDirty, false);
  });
});
