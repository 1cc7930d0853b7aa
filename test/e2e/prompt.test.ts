// Prompt authoring in a real editor: completions and a quick fix inside prompt strings, the
// import command, and the prompt preview panel following the cursor.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CIVITAI_SOURCE, JSON_SOURCE, closeAllEditors, codeOf, completionLabels, diagnosticsFrom, log, ourExtension, screenshot, summarize, waitFor, waitForDiagnostics, workspaceUri,
} from './util';

type Json = Record<string, unknown>;

const ANIMAGINE = 'urn:air:sdxl:checkpoint:civitai:1188071@1337429';
const written: vscode.Uri[] = [];

function animagineStep(input: Json): Json {
  return { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: ANIMAGINE, width: 832, height: 1216, cfgScale: 5, steps: 28, sampleMethod: 'euler_a', ...input } };
}

async function openWorkflow(name: string, value: unknown): Promise<vscode.TextEditor> {
  const uri = workspaceUri(`prompt-${name}.civitai.json`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8'));
  written.push(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Position just after the first `marker` in the document. */
function after(document: vscode.TextDocument, marker: string): vscode.Position {
  const at = document.getText().indexOf(marker);
  assert.ok(at >= 0, `${marker} not in ${document.uri.path}`);
  return document.positionAt(at + marker.length);
}

interface LintResultLike { findings: Array<{ code: string; severity: string; message: string }> }
interface ApiLike { diagnostics: { resultFor(document: vscode.TextDocument): LintResultLike } }
interface PreviewProbe {
  open: boolean;
  ready: boolean;
  state?: { step: { index: number; name: string; prompts: Array<{ field: string; chips: Array<{ text: string; weight: number; findings: unknown[] }> }>; frame: { aspect: string } | null } | null };
}

suite('prompt authoring', function () {
  this.timeout(90_000);
  let api: ApiLike;

  suiteSetup(async () => {
    api = (await ourExtension().activate()) as ApiLike;
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('completions inside a prompt string offer the model profile\'s quality tags and replace the tag being typed', async () => {
    const editor = await openWorkflow('completion', { steps: [animagineStep({ prompt: '1girl, solo, looking at viewer, mas' })] });
    const document = editor.document;
    const position = after(document, 'viewer, mas');
    const list = await waitFor('prompt completions', async () => {
      const found = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
      return completionLabels(found).includes('high score') ? found : undefined;
    });
    const labels = completionLabels(list);
    for (const tag of ['masterpiece', 'high score', 'great score', 'absurdres', 'year 2025', 'safe']) assert.ok(labels.includes(tag), `${tag} offered: ${labels.join(', ')}`);
    assert.ok(labels.includes('masterpiece, high score, great score, absurdres'), 'the card\'s quality suffix is offered as one sequence');
    assert.ok(!labels.includes('low score'), 'negative-prompt tags are not offered in the prompt');
    // The item replaces `mas`, the tag being typed.
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'masterpiece')!;
    const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
    assert.ok(range, 'the item carries a range');
    assert.equal(document.getText(range), 'mas');
    // Outside prompt strings the JSON language service still answers (our items are absent).
    const outside = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, after(document, '"engine": "sd'));
    assert.ok(!completionLabels(outside).includes('high score'));
  });

  test('a prompt check\'s quick fix moves Animagine\'s quality tags to the end, and the finding clears', async () => {
    const editor = await openWorkflow('quality', { steps: [animagineStep({ prompt: 'masterpiece, high score, 1girl, solo, smile' })] });
    const document = editor.document;
    const found = await waitForDiagnostics(document.uri, CIVITAI_SOURCE, (ds) => ds.some((d) => codeOf(d) === 'prompt-quality-tag-position'), 'a prompt-quality-tag-position diagnostic');
    const diagnostic = found.find((d) => codeOf(d) === 'prompt-quality-tag-position')!;
    assert.equal(document.getText(diagnostic.range), 'masterpiece');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Move masterpiece, high score to the end'));
    assert.ok(fix?.edit, `the move fix is offered: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    const input = (JSON.parse(document.getText()) as { steps: Array<{ input: Json }> }).steps[0].input;
    assert.equal(input.prompt, '1girl, solo, smile, masterpiece, high score');
    await waitForDiagnostics(document.uri, CIVITAI_SOURCE, (ds) => !ds.some((d) => codeOf(d) === 'prompt-quality-tag-position'), 'the finding to clear');
  });

  test('the import command writes a workflow that lints clean, and a placeholder model when none is known', async () => {
    const resources = JSON.stringify([{ type: 'checkpoint', air: ANIMAGINE }]);
    const text = [
      '1girl, firefly \\(honkai: star rail\\), honkai \\(series\\), safe, solo, smile, masterpiece, high score, great score, absurdres',
      'Negative prompt: lowres, bad anatomy, bad hands, worst quality, low quality, low score, bad score',
      `Steps: 28, Sampler: Euler a, Schedule type: Automatic, CFG scale: 5, Seed: 42, Size: 832x1216, Civitai resources: ${resources}`,
    ].join('\n');
    const target = workspaceUri('prompt-imported.civitai.json');
    written.push(target);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('civitai.importParameters', { text, target: target.fsPath });
    assert.equal(uri?.toString(), target.toString());
    const document = await waitFor('the imported file in an editor', () => vscode.window.activeTextEditor?.document.uri.toString() === target.toString() && vscode.window.activeTextEditor.document);
    const input = (JSON.parse(document.getText()) as { steps: Array<{ input: Json }> }).steps[0].input;
    assert.deepEqual([input.engine, input.ecosystem, input.model, input.sampleMethod, input.width, input.height, input.seed], ['sdcpp', 'sdxl', ANIMAGINE, 'euler_a', 832, 1216, 42]);
    assert.equal(input.prompt, '1girl, firefly \\(honkai: star rail\\), honkai \\(series\\), safe, solo, smile, masterpiece, high score, great score, absurdres');
    // Clean for the linter (every civitai finding, any severity) …
    const findings = api.diagnostics.resultFor(document).findings;
    assert.deepEqual(findings.map((f) => `${f.code}: ${f.message}`), []);
    // … and for the JSON schema, once the JSON service has looked at it.
    await waitFor(() => `no JSON problems (now: ${diagnosticsFrom(document.uri, JSON_SOURCE).map(summarize).join('; ')})`, async () => {
      await new Promise((r) => setTimeout(r, 500));
      return diagnosticsFrom(document.uri, JSON_SOURCE).length === 0;
    });

    // Without a model AIR the file holds a placeholder that lints as the error it is, selected.
    const target2 = workspaceUri('prompt-imported-nomodel.civitai.json');
    written.push(target2);
    await vscode.commands.executeCommand('civitai.importParameters', { text: 'a cat\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512, Model: someMix', target: target2.fsPath });
    const editor2 = await waitFor('the second imported file', () => vscode.window.activeTextEditor?.document.uri.toString() === target2.toString() && vscode.window.activeTextEditor);
    assert.match(editor2.document.getText(editor2.selection), /^choose a checkpoint: urn:air:sd1:checkpoint/);
    const errors = api.diagnostics.resultFor(editor2.document).findings.filter((f) => f.severity === 'error');
    assert.ok(errors.length > 0, 'the placeholder model is an error');
  });

  test('the prompt preview panel follows the cursor from step to step', async () => {
    const editor = await openWorkflow('preview', {
      steps: [
        { ...animagineStep({ prompt: '1girl, ((smile)), year 2020, masterpiece, masterpiece' }), name: 'portrait' },
        { $type: 'imageGen', name: 'scenery', input: { engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', prompt: 'masterpiece, best quality, no humans, city at night', width: 1344, height: 768 } },
      ],
    });
    const document = editor.document;
    editor.selection = new vscode.Selection(after(document, '1girl, ((sm'), after(document, '1girl, ((sm'));
    await vscode.commands.executeCommand('civitai.showPromptPreview');
    const probe = () => vscode.commands.executeCommand<PreviewProbe>('civitai.internal.promptPreviewState');
    const first = await waitFor('the preview to show step 0 (the webview said ready)', async () => {
      const p = await probe();
      return p.open && p.ready && p.state?.step?.index === 0 ? p.state.step : undefined;
    });
    const chips = first.prompts.find((p) => p.field === 'prompt')!.chips;
    assert.deepEqual(chips.map((c) => c.text), ['1girl', 'smile', 'year 2020', 'masterpiece', 'masterpiece']);
    assert.equal(chips[1].weight, 1.21);
    assert.ok(chips[4].findings.length > 0, 'the repeated tag carries its finding inline');
    assert.equal(first.frame?.aspect, '13:19');
    const file0 = await screenshot('prompt-preview-animagine', { waitFor: 'iframe.webview.ready' });
    if (file0) log(`prompt preview screenshot: ${file0}`);

    // Move the cursor into the second step's prompt: the panel follows.
    await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
    const target = after(document, 'no humans, ci');
    vscode.window.activeTextEditor!.selection = new vscode.Selection(target, target);
    const second = await waitFor('the preview to follow to step 1', async () => {
      const p = await probe();
      return p.state?.step?.index === 1 ? p.state.step : undefined;
    });
    assert.equal(second.name, 'scenery');
    assert.equal(second.frame?.aspect, '7:4');

    // Typing updates it too (debounced).
    await vscode.window.activeTextEditor!.edit((e) => e.insert(after(document, 'city at night'), ', neon sign'));
    await waitFor('the preview to show the edited prompt', async () => {
      const p = await probe();
      return p.state?.step?.prompts[0]?.chips.some((c) => c.text === 'neon sign') ? true : undefined;
    });
    const file = await screenshot('prompt-preview-anima', { waitFor: 'iframe.webview.ready' });
    if (file) log(`prompt preview screenshot: ${file}`);
  });
});
