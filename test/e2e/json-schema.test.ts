// The generated schema, contributed through `jsonValidation`, drives VS Code's own JSON language
// features: its errors appear as the editor's JSON diagnostics and its properties as completions.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CIVITAI_SOURCE, JSON_SOURCE, closeAllEditors, completionLabels, diagnosticsFrom, openWorkspaceFile, summarize,
  lineOf, waitFor, waitForDiagnostics,
} from './util';

suite('workflow schema in the JSON language service', () => {
  teardown(closeAllEditors);

  test("the schema's errors are reported on a file that breaks the contract @packaged", async () => {
    const editor = await openWorkspaceFile('schema-errors.civitai.json');
    const doc = editor.document;
    const samplerLine = lineOf(doc, '"sampler"');
    const stepsLine = lineOf(doc, '"steps": 500');
    const found = await waitForDiagnostics(doc.uri, JSON_SOURCE,
      (ds) => ds.some((d) => d.range.start.line === samplerLine) && ds.some((d) => d.range.start.line === stepsLine),
      'schema errors on the sampler and steps lines');
    const unloadable = found.filter((d) => /unable to load|problems loading/i.test(d.message));
    assert.deepEqual(unloadable.map(summarize), [], 'the contributed schema loads');
    const sampler = found.filter((d) => d.range.start.line === samplerLine);
    assert.ok(sampler.some((d) => /sampler/.test(d.message) || /"sampler"/.test(doc.getText(d.range))), sampler.map(summarize).join('; '));
    const steps = found.filter((d) => d.range.start.line === stepsLine);
    assert.ok(steps.some((d) => /150/.test(d.message)), `steps above the maximum of 150: ${steps.map(summarize).join('; ')}`);
  });

  test('completion inside an sdcpp input offers sdcpp fields, not Comfy ones', async () => {
    const editor = await openWorkspaceFile('completion-sdcpp.civitai.json');
    const doc = editor.document;
    // The file has exactly one empty line (besides the end), inside the sdcpp input object:
    // complete a property there.
    const blank = [...Array(doc.lineCount - 1).keys()].filter((l) => doc.lineAt(l).isEmptyOrWhitespace);
    assert.equal(blank.length, 1, 'completion-sdcpp.civitai.json keeps exactly one empty line');
    const position = new vscode.Position(blank[0], doc.lineAt(blank[0]).text.length);
    const labels = await waitFor('schema completions (sampleMethod among them)', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
      const found = completionLabels(list);
      return found.includes('sampleMethod') ? found : undefined;
    });
    assert.ok(labels.includes('schedule'), `sdcpp's schedule offered: ${labels.join(', ')}`);
    assert.ok(!labels.includes('sampler'), `Comfy's sampler not offered: ${labels.join(', ')}`);
    assert.ok(!labels.includes('scheduler'), `Comfy's scheduler not offered: ${labels.join(', ')}`);
    assert.ok(!labels.includes('prompt'), 'properties already present are not offered again');
  });

  test('a recipe-shaped workflow is clean, an out-of-range edit is flagged and clears again', async () => {
    const editor = await openWorkspaceFile('valid-sdxl.civitai.json');
    const doc = editor.document;
    // The JSON service reports schema problems as warnings; civitai reserves errors for what the
    // service would refuse and uses warnings/hints for advice. "Clean" means: no JSON problem at all
    // and no civitai error.
    const jsonProblems = () => diagnosticsFrom(doc.uri, JSON_SOURCE);
    const civitaiErrors = () => diagnosticsFrom(doc.uri, CIVITAI_SOURCE).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    // "No errors" is only meaningful once validation has run on this text, so first provoke an
    // error the schema must catch, see it, then undo it and see both sources go clean.
    const steps = doc.getText().indexOf('"steps": 25');
    assert.ok(steps >= 0);
    const value = new vscode.Range(doc.positionAt(steps + '"steps": '.length), doc.positionAt(steps + '"steps": 25'.length));
    assert.ok(await editor.edit((e) => e.replace(value, '999')));
    const onStepsLine = (ds: vscode.Diagnostic[]) => ds.some((d) => d.range.start.line === value.start.line);
    const now = () => vscode.languages.getDiagnostics(doc.uri).map(summarize).join('; ');
    await waitFor(() => `errors from both the JSON service and civitai for steps 999 (now: ${now()})`,
      () => onStepsLine(jsonProblems()) && onStepsLine(civitaiErrors()));
    assert.ok(await editor.edit((e) => e.replace(new vscode.Range(value.start, value.start.translate(0, 3)), '25')));
    assert.equal(doc.getText(value.with({ end: value.start.translate(0, 2) })), '25');
    await waitFor(() => `no errors left (now: ${now()})`,
      () => jsonProblems().length === 0 && civitaiErrors().length === 0);
  });
});
