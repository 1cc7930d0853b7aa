// The extension loads and activates in a real VS Code, from the place the run expects
// (development folder, or the installed .vsix in the packaged phase).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { closeAllEditors, e2eEnv, ourExtension, openWorkspaceFile, waitFor } from './util';

suite('activation', () => {
  suiteTeardown(closeAllEditors);

  test('opening a *.civitai.json file activates the extension @packaged', async () => {
    const editor = await openWorkspaceFile('valid-sdxl.civitai.json');
    assert.equal(editor.document.languageId, 'json', 'workflow files are edited as JSON');
    await waitFor('the extension to be active', () => ourExtension().isActive);
    // isActive is true even when activate() threw (e.g. a module missing from the bundle or the
    // package); activate() then rejects with that error, so this is the check that it worked.
    await ourExtension().activate();
  });

  test('the extension under test is loaded from the expected folder @packaged', function () {
    if (!e2eEnv.extensionRoot) this.skip(); // only the drivers know where it should come from
    const actual = path.resolve(ourExtension().extensionUri.fsPath);
    const expected = path.resolve(e2eEnv.extensionRoot);
    if (e2eEnv.extensionKind === 'installed') {
      assert.ok(actual.startsWith(expected + path.sep), `installed extension expected under ${expected}, loaded from ${actual}`);
    } else {
      assert.equal(actual, expected);
    }
  });
});
