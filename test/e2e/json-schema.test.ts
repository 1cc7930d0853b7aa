// The generated editor schema, contributed through `jsonValidation`, drives VS Code's own JSON
// language features (completions, hovers) without repeating our diagnostics: each contract problem
// is one civitai entry in the Problems view.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CIVITAI_SOURCE, JSON_SOURCE, closeAllEditors, completionLabels, diagnosticsFrom, openWorkspaceFile, ourExtension, summarize,
  lineOf, rangeText, waitFor, waitForDiagnostics,
} from './util';

suite('workflow schema in the JSON language service', () => {
  teardown(closeAllEditors);

  test('a file that breaks the contract: exactly one entry per problem, ours, none a regex dump @packaged', async () => {
    // schema-errors.civitai.json: a Comfy-only `sampler` on an sdcpp input (line 11, 1-based) and
    // `"steps": 500` above SDXL sdcpp's maximum of 150 (line 12): two problems, two entries.
    const editor = await openWorkspaceFile('schema-errors.civitai.json');
    const doc = editor.document;
    const samplerLine = lineOf(doc, '"sampler"');
    const stepsLine = lineOf(doc, '"steps": 500');
    await waitForDiagnostics(doc.uri, CIVITAI_SOURCE,
      (ds) => ds.some((d) => d.range.start.line === samplerLine) && ds.some((d) => d.range.start.line === stepsLine),
      'civitai errors on the sampler and steps lines');
    // The JSON service validates the contributed schema on its own schedule: give it time to speak.
    await new Promise((r) => setTimeout(r, 1500));
    const all = vscode.languages.getDiagnostics(doc.uri);
    const errors = all.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => `${d.source} ${rangeText(d.range)}`).sort(), ['civitai 10:8-10:17', 'civitai 11:17-11:20'], all.map(summarize).join('; '));
    assert.deepEqual(diagnosticsFrom(doc.uri, JSON_SOURCE).map(summarize), [], 'the JSON service repeats none of them');
    for (const d of all) assert.ok(!/pattern|\(\?:|\^\(|\$"/.test(d.message), `no regex in a message: ${summarize(d)}`);
    assert.match(errors.find((d) => d.range.start.line === samplerLine)!.message, /sampleMethod/);
    assert.match(errors.find((d) => d.range.start.line === stepsLine)!.message, /150/);
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

  test('hover on an input field explains it; switching the engine switches the fields offered', async () => {
    // VS Code's own JSON server (its vscode-json-languageservice, not the bench's) resolves the
    // contributed schema's dispatch by the discriminator's value, live as the value changes.
    const editor = await openWorkspaceFile('completion-sdcpp.civitai.json');
    const doc = editor.document;
    const stepsKey = doc.positionAt(doc.getText().indexOf('"steps": 25') + 2);
    const hover = await waitFor('a schema hover on the input\'s "steps"', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, stepsKey);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Denoising steps/.test(text) ? text : undefined;
    });
    assert.match(hover, /typical for SDXL/);
    assert.match(hover, /Default `20` · 1–150/);
    const blank = [...Array(doc.lineCount - 1).keys()].filter((l) => doc.lineAt(l).isEmptyOrWhitespace)[0];
    const engine = doc.getText().indexOf('"sdcpp"');
    assert.ok(await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(engine), doc.positionAt(engine + '"sdcpp"'.length)), '"comfy"')));
    const labels = await waitFor('comfy fields offered after the engine edit', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(blank, 0));
      const found = completionLabels(list);
      return found.includes('sampler') ? found : undefined;
    });
    for (const field of ['scheduler', 'controlNets']) assert.ok(labels.includes(field), `comfy's ${field} offered: ${labels.join(', ')}`);
    for (const field of ['sampleMethod', 'schedule', 'uCache']) assert.ok(!labels.includes(field), `sdcpp's ${field} no longer offered: ${labels.join(', ')}`);
    await new Promise((r) => setTimeout(r, 1000)); // the JSON service's turn
    assert.deepEqual(diagnosticsFrom(doc.uri, JSON_SOURCE).map(summarize), [], 'the JSON service reports nothing');
  });

  test('a recipe-shaped workflow is clean, an out-of-range edit is flagged and clears again', async () => {
    const editor = await openWorkspaceFile('valid-sdxl.civitai.json');
    const doc = editor.document;
    // Contract problems are civitai's alone (the contributed schema only completes and explains).
    // "Clean" means: no JSON problem at all and no civitai error.
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
    await waitFor(() => `a civitai error for steps 999 (now: ${now()})`, () => onStepsLine(civitaiErrors()));
    assert.deepEqual(jsonProblems().map(summarize), [], 'and none from the JSON service');
    assert.ok(await editor.edit((e) => e.replace(new vscode.Range(value.start, value.start.translate(0, 3)), '25')));
    assert.equal(doc.getText(value.with({ end: value.start.translate(0, 2) })), '25');
    await waitFor(() => `no errors left (now: ${now()})`,
      () => jsonProblems().length === 0 && civitaiErrors().length === 0);
  });

  test('the broken fixtures: exactly the expected entries in the Problems view, by source and range', async function () {
    // test/fixtures/broken is in the project folder (development phase), not in the package.
    const folder = vscode.Uri.joinPath(ourExtension().extensionUri, 'test', 'fixtures', 'broken');
    try {
      await vscode.workspace.fs.stat(folder);
    } catch {
      this.skip();
    }
    const expected: Record<string, string[]> = {
      'array-root.civitai.json': ['civitai 0:0-2:1'],
      'comfy-sd1-too-wide.civitai.json': ['civitai 10:17-10:21', 'civitai 10:8-10:15'],
      'missing-model.civitai.json': ['civitai 4:15-4:16'],
      'sdxl-sampler.civitai.json': ['civitai 10:8-10:17'],
    };
    for (const [name, entries] of Object.entries(expected)) {
      const uri = vscode.Uri.joinPath(folder, name);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await waitForDiagnostics(uri, CIVITAI_SOURCE, (ds) => ds.length > 0, `civitai entries on ${name}`);
      await new Promise((r) => setTimeout(r, 1000)); // the JSON service's turn
      const all = vscode.languages.getDiagnostics(uri);
      assert.deepEqual(all.map((d) => `${d.source ?? JSON_SOURCE} ${rangeText(d.range)}`).sort(), entries.sort(), `${name}: ${all.map(summarize).join('; ')}`);
      for (const d of all) assert.ok(!/\(\?:|\(\?<|\^\(|does not match the pattern/.test(d.message), `${name}: no regex in ${summarize(d)}`);
    }
    // An unfinished file: only the JSON service's syntax errors (ours would repeat them).
    const truncated = vscode.Uri.joinPath(folder, 'truncated.civitai.json');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(truncated));
    const syntax = await waitForDiagnostics(truncated, JSON_SOURCE, (ds) => ds.length > 0, 'syntax errors on truncated.civitai.json');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(diagnosticsFrom(truncated, CIVITAI_SOURCE).map(summarize), []);
    assert.ok(syntax.every((d) => d.range.start.line === 2), syntax.map(summarize).join('; '));
  });
});
