// The extension's own `civitai` diagnostics, at the ranges the linter computes, in a real editor.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CIVITAI_SOURCE, JSON_SOURCE, closeAllEditors, diagnosticsFrom, lineOf, openWorkspaceFile, ourExtension, rangeText, screenshot, summarize, waitFor, waitForDiagnostics,
} from './util';

suite('civitai diagnostics', () => {
  suiteTeardown(closeAllEditors);

  test('a JSON syntax error is one entry, from VS Code\'s JSON service, at the token that breaks the file @packaged', async () => {
    // syntax-error.civitai.json misses the comma after `"engine": "sdcpp"` (line 6 of the file,
    // 1-based); the error sits on the next token, `"ecosystem"` on line 7. VS Code's JSON service
    // reports syntax; our pass leaves it to it (src/core/editor-sources.ts), so it is shown once.
    const editor = await openWorkspaceFile('syntax-error.civitai.json');
    const uri = editor.document.uri;
    const found = await waitForDiagnostics(uri, JSON_SOURCE, (ds) => ds.some((d) => d.range.start.line === 6), 'the JSON service\'s syntax error');
    // Give our lint its time too (the file was opened, so it ran at once), then count everything.
    await waitFor('the civitai pass to have run', () => ourExtension().isActive);
    await new Promise((r) => setTimeout(r, 1000));
    const all = vscode.languages.getDiagnostics(uri);
    assert.equal(all.length, 1, `one entry for one problem: ${all.map(summarize).join('; ')}`);
    const [d] = found;
    assert.equal(rangeText(d.range), '6:8-6:19', `range of ${summarize(d)}`);
    assert.equal(editor.document.getText(d.range), '"ecosystem"');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /comma/i);
    assert.deepEqual(diagnosticsFrom(uri, CIVITAI_SOURCE).map(summarize), []);

    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('civitai-syntax-error', { waitFor: '.squiggly-error' });
  });

  test('contract violations are reported at the offending properties', async () => {
    // schema-errors.civitai.json: a Comfy-only `sampler` on an sdcpp input (line 11, 1-based)
    // and `"steps": 500` above SDXL sdcpp's maximum of 150 (line 12).
    const editor = await openWorkspaceFile('schema-errors.civitai.json');
    const doc = editor.document;
    const samplerLine = lineOf(doc, '"sampler"');
    const stepsLine = lineOf(doc, '"steps": 500');
    const found = await waitForDiagnostics(doc.uri, CIVITAI_SOURCE,
      (ds) => [samplerLine, stepsLine].every((l) => ds.some((d) => d.range.start.line === l && d.severity === vscode.DiagnosticSeverity.Error)),
      'errors on the sampler and steps lines');
    // Each line has an error whose range is the offending key or value, not the whole line or
    // object (warnings may sit on the same lines: only errors are asserted). 0-based positions.
    const errorsOn = (line: number) => found.filter((d) => d.range.start.line === line && d.severity === vscode.DiagnosticSeverity.Error);
    const sampler = errorsOn(samplerLine);
    const steps = errorsOn(stepsLine);
    // Same ranges as VS Code's JSON service gives these problems: the foreign key, the bad value.
    const all = found.map(summarize).join('; ');
    assert.ok(sampler.some((d) => rangeText(d.range) === '10:8-10:17'), `an error on the "sampler" key: ${all}`);
    assert.ok(steps.some((d) => rangeText(d.range) === '11:17-11:20'), `an error on the value 500: ${all}`);
    assert.equal(doc.getText(new vscode.Range(10, 8, 10, 17)), '"sampler"');
    assert.equal(doc.getText(new vscode.Range(11, 17, 11, 20)), '500');

    await screenshot('civitai-contract-errors', { waitFor: '.squiggly-error' });
  });
});
