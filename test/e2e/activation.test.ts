// The extension loads and activates in a real VS Code, from the place the run expects
// (development folder, or the installed .vsix in the packaged phase).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CIVITAI_SOURCE, closeAllEditors, codeOf, e2eEnv, lineOf, ourExtension, openWorkspaceFile, rangeText, screenshot, summarize, waitFor, waitForDiagnostics } from './util';

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
    // Outside the workspace folder, as a file opened from a terminal or a download is. (This window
    // has a folder; the window with none at all is the @nofolder test below.)
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

  test('in a window with no folder open, one opened gets civitai diagnostics and the cost CodeLens @nofolder', async () => {
    // The driver's `nofolder` phase opens an empty window (no folder, no workspace file), so
    // workspaceContains cannot activate the extension; onLanguage:json does. (VS Code 1.139 fires
    // onLanguage:json while the window starts, before any JSON file is open, so the extension may
    // already be active here: this test shows the file is served, not what activated it.)
    assert.equal(vscode.workspace.workspaceFolders, undefined, 'this window has no folder open');
    assert.equal(vscode.workspace.workspaceFile, undefined, 'and no workspace file');
    const dir = mkdtempSync(path.join(tmpdir(), 'civitai-nofolder-'));
    try {
      const file = path.join(dir, 'lone.civitai.json');
      // A reference to a step that does not exist: a problem only our lint can see (the JSON
      // schema knows no step names), next to an SDXL step the estimate prices.
      writeFileSync(file, `${JSON.stringify({ steps: [
        { $type: 'imageGen', name: 'still', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: 'urn:air:sdxl:checkpoint:civitai:101055@128078', prompt: 'a lighthouse on a cliff', width: 1216, height: 832 } },
        { $type: 'videoGen', name: 'clip', input: { engine: 'ltx2.3', operation: 'createVideo', model: '22b-distilled', prompt: 'slow pan across the lighthouse', images: [{ $ref: 'lighthouse', path: 'output.images[0].url' }] } },
      ] }, null, 2)}\n`);
      const uri = vscode.Uri.file(file);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      await waitFor('the extension to be active', () => ourExtension().isActive);
      await ourExtension().activate(); // rejects when activate() threw

      const found = await waitForDiagnostics(uri, CIVITAI_SOURCE, (ds) => ds.some((d) => codeOf(d) === 'ref-unknown-step'), 'the ref-unknown-step error');
      assert.deepEqual(found.map(summarize).filter((s) => !s.includes('/ref-unknown-step ')), [], 'no other civitai finding on this file');
      const [problem] = found;
      const line = lineOf(document, '"$ref": "lighthouse"');
      const start = document.lineAt(line).text.indexOf('"lighthouse"');
      assert.equal(rangeText(problem!.range), rangeText(new vscode.Range(line, start, line, start + '"lighthouse"'.length)), 'the range is the unknown name');
      assert.equal(problem!.severity, vscode.DiagnosticSeverity.Error);
      assert.match(problem!.message, /"lighthouse"/);

      const titles = await waitFor('the cost CodeLens', async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
        const list = lenses.map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`);
        return list.some((t) => /≈ [\d.,]+ Buzz/.test(t)) ? list : undefined;
      });
      // The SDXL step is priced (8 × 1216×832/1024² × 20/20 steps ≈ 7.7 Buzz) on the line its
      // object opens, the one above its "$type".
      const stepLine = lineOf(document, '"$type": "imageGen"') - 1;
      assert.ok(titles.includes(`${stepLine}: ≈ 7.7 Buzz`), `a "≈ 7.7 Buzz" lens on line ${stepLine}, got ${JSON.stringify(titles)}`);
      await screenshot('lone-file-no-folder', { waitFor: '.squiggly-error' });
    } finally {
      await closeAllEditors();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
