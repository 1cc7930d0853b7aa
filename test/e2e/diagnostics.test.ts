// The extension's own `civitai` diagnostics, at the ranges the linter computes, in a real editor.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CIVITAI_SOURCE, closeAllEditors, codeOf, lineOf, openWorkspaceFile, rangeText, screenshot, summarize, waitForDiagnostics,
} from './util';

suite('civitai diagnostics', () => {
  suiteTeardown(closeAllEditors);

  test('a JSON syntax error is reported at the token that breaks the file @packaged', async () => {
    // syntax-error.civitai.json misses the comma after `"engine": "sdcpp"` (line 6 of the file,
    // 1-based); the error sits on the next token, `"ecosystem"` on line 7.
    const editor = await openWorkspaceFile('syntax-error.civitai.json');
    const found = await waitForDiagnostics(editor.document.uri, CIVITAI_SOURCE,
      (ds) => ds.some((d) => codeOf(d) === 'json-syntax'), 'a json-syntax finding');
    const syntax = found.filter((d) => codeOf(d) === 'json-syntax');
    assert.equal(syntax.length, 1, `one syntax error expected: ${found.map(summarize).join('; ')}`);
    const [d] = syntax;
    assert.equal(rangeText(d.range), '6:8-6:19', `range of ${summarize(d)}`);
    assert.equal(editor.document.getText(d.range), '"ecosystem"');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /comma/i);
    // The code links to the rule's documentation.
    assert.ok(typeof d.code === 'object' && d.code.target.toString().includes('#json-syntax'), 'code links to docs/rules.md#json-syntax');

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
