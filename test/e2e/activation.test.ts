// The extension loads and activates in a real VS Code, from the place the run expects
// (development folder, or the installed .vsix in the packaged phase).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CIVITAI_SOURCE, closeAllEditors, e2eEnv, lineOf, ourExtension, openWorkspaceFile, waitFor, waitForDiagnostics } from './util';

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

suite('a lone workflow file', () => {
  suiteTeardown(closeAllEditors);

  test('a *.civitai.json outside any workspace folder gets civitai diagnostics and the cost CodeLens', async () => {
    // Outside the workspace folder, as a file opened from a terminal or a download is. (The window
    // of this suite has a folder, so this shows the file is served without one containing it; the
    // activation for a window with no folder at all is package.json's onLanguage:json.)
    const dir = mkdtempSync(path.join(tmpdir(), 'civitai-lone-'));
    const file = path.join(dir, 'lone.civitai.json');
    writeFileSync(file, JSON.stringify({ steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a lighthouse', steps: 500 } }] }, null, 2));
    const uri = vscode.Uri.file(file);
    assert.equal(vscode.workspace.getWorkspaceFolder(uri), undefined, 'the file is in no workspace folder');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const found = await waitForDiagnostics(uri, CIVITAI_SOURCE, (ds) => ds.some((d) => d.range.start.line === lineOf(document, '"steps": 500')), 'a civitai error on steps 500');
    assert.ok(found.every((d) => d.source === CIVITAI_SOURCE));
    const lenses = await waitFor('a cost CodeLens', async () => {
      const list = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return list.some((l) => /Buzz|Cost/.test(l.command?.title ?? '')) ? list : undefined;
    });
    assert.ok(lenses.length > 0);
  });
});
