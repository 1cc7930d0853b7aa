// Quick fixes through the editor's own code-action machinery (vscode.executeCodeActionProvider),
// applied as the lightbulb would apply them, on files written into the (copied) e2e workspace.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CIVITAI_SOURCE, closeAllEditors, codeOf, summarize, waitForDiagnostics, workspaceUri } from './util';

type Json = Record<string, unknown>;

const SDXL_MODEL = 'urn:air:sdxl:checkpoint:civitai:101055@128078';

function sdxlStep(input: Json): Json {
  return { $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: SDXL_MODEL, prompt: 'a lighthouse at dusk', ...input } };
}

const written: vscode.Uri[] = [];

/** Writes a workflow file into the workspace copy and opens it. */
async function openWorkflow(name: string, value: unknown): Promise<vscode.TextDocument> {
  const uri = workspaceUri(`code-actions-${name}.civitai.json`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8'));
  written.push(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

async function diagnosticWithCode(document: vscode.TextDocument, code: string): Promise<vscode.Diagnostic> {
  const found = await waitForDiagnostics(document.uri, CIVITAI_SOURCE, (ds) => ds.some((d) => codeOf(d) === code), `a ${code} diagnostic`);
  return found.find((d) => codeOf(d) === code)!;
}

async function codeActions(document: vscode.TextDocument, range: vscode.Range, kind: string, resolve = 0): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range, kind, resolve);
  return actions ?? [];
}

function titled(actions: readonly vscode.CodeAction[], title: string): vscode.CodeAction {
  const action = actions.find((a) => a.title.startsWith(title));
  assert.ok(action, `no action "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `"${action.title}" has an edit`);
  assert.equal(await vscode.workspace.applyEdit(action.edit), true, `"${action.title}" applied`);
}

function inputOf(document: vscode.TextDocument, index = 0): Json {
  const value = JSON.parse(document.getText()) as { steps: Array<{ input: Json }> };
  return value.steps[index].input;
}

/** Waits until the civitai diagnostics of the edited document have no error left. */
async function noErrorsLeft(document: vscode.TextDocument): Promise<void> {
  await waitForDiagnostics(document.uri, CIVITAI_SOURCE, (ds) => !ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'no civitai errors');
}

suite('civitai quick fixes', () => {
  suiteTeardown(async () => {
    await closeAllEditors();
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('a width that is not a multiple of 16 is rounded by the preferred quick fix', async () => {
    const document = await openWorkflow('dimension', { steps: [sdxlStep({ width: 1000 })] });
    const diagnostic = await diagnosticWithCode(document, 'dimension-not-multiple-of-16');
    const actions = await codeActions(document, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = titled(actions, 'Set width to 1008');
    assert.equal(fix.isPreferred, true);
    // (vscode.executeCodeActionProvider does not hand back an action's `diagnostics`, so their
    // attachment cannot be observed from here.)
    await apply(fix);
    assert.equal(inputOf(document).width, 1008);
    await noErrorsLeft(document);
  });

  test('a comfy sampler on sdcpp is renamed with its value mapped', async () => {
    const document = await openWorkflow('other-engine', { steps: [sdxlStep({ sampler: 'euler_ancestral' })] });
    const diagnostic = await diagnosticWithCode(document, 'field-of-other-engine');
    // The generic contract finding on the same key is replaced by this one.
    const onKey = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === CIVITAI_SOURCE && d.range.isEqual(diagnostic.range));
    assert.deepEqual(onKey.map((d) => codeOf(d)), ['field-of-other-engine'], onKey.map(summarize).join('; '));
    const fix = titled(await codeActions(document, diagnostic.range, vscode.CodeActionKind.QuickFix.value), 'Rename to "sampleMethod"');
    await apply(fix);
    const input = inputOf(document);
    assert.equal(input.sampleMethod, 'euler_a');
    assert.equal('sampler' in input, false);
    await noErrorsLeft(document);
  });

  test('the older payload shape is rewritten to the current one in one fix', async () => {
    const older = {
      callbackUrl: 'https://example.com/civitai/webhooks',
      callbackEvents: ['workflow:succeeded', 'workflow:failed'],
      detailed: true,
      steps: [
        {
          $type: 'imageGen',
          name: 'sdxl-hero',
          input: {
            engine: 'sdxl',
            model: SDXL_MODEL,
            prompt: 'a glowing API specification floating above a cyberpunk skyline',
            width: 1024,
            height: 1024,
            steps: 30,
            cfgScale: 7,
            sampler: 'DPM++ 2M Karras',
            additionalNetworks: [{ air: 'urn:air:sdxl:lora:civitai:200000@250000', strength: 0.8 }],
          },
        },
      ],
    };
    const document = await openWorkflow('older-shape', older);
    const diagnostic = await diagnosticWithCode(document, 'older-payload-shape');
    const all = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === CIVITAI_SOURCE);
    assert.deepEqual(all.map((d) => codeOf(d)), ['older-payload-shape'], `one diagnostic for the whole file: ${all.map(summarize).join('; ')}`);
    await apply(titled(await codeActions(document, diagnostic.range, vscode.CodeActionKind.QuickFix.value), 'Rewrite to the current payload shape'));
    const value = JSON.parse(document.getText()) as Json;
    assert.deepEqual(value.callbacks, [{ url: 'https://example.com/civitai/webhooks', type: ['workflow:succeeded', 'workflow:failed'], detailed: true }]);
    const input = inputOf(document);
    assert.deepEqual(
      [input.engine, input.ecosystem, input.operation, input.sampleMethod, input.schedule],
      ['sdcpp', 'sdxl', 'createImage', 'dpm++2m', 'karras'],
    );
    assert.deepEqual(input.loras, { 'urn:air:sdxl:lora:civitai:200000@250000': 0.8 });
    await noErrorsLeft(document);
  });

  test('"Fix all" and source.fixAll.civitai fix every problem of the file', async () => {
    const document = await openWorkflow('fix-all', {
      steps: [sdxlStep({ width: 1000, height: 1030, clipSkip: 2, scheduler: 'karras' })],
    });
    const diagnostic = await diagnosticWithCode(document, 'dimension-not-multiple-of-16');
    const perCode = titled(await codeActions(document, diagnostic.range, vscode.CodeActionKind.QuickFix.value, 10), 'Fix all dimension-not-multiple-of-16 problems in this file');
    await apply(perCode);
    assert.deepEqual([inputOf(document).width, inputOf(document).height], [1008, 1024]);
    assert.equal(inputOf(document).clipSkip, 2, 'a per-code fix-all leaves other codes alone');

    await diagnosticWithCode(document, 'field-of-other-ecosystem');
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const fixAll = titled(await codeActions(document, whole, 'source.fixAll.civitai', 10), 'Fix all auto-fixable Civitai problems');
    await apply(fixAll);
    const input = inputOf(document);
    assert.equal('clipSkip' in input, false);
    assert.equal(input.schedule, 'karras');
    assert.equal('scheduler' in input, false);
    await noErrorsLeft(document);
  });
});
