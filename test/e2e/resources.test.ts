// AIRs resolved with the service, in a real VS Code against the in-process emulator: a hover on a
// LoRA AIR shows its name from the emulator's catalog, and an unknown checkpoint gets the 404
// error as a diagnostic. (The CLI refusing to submit that same file, with no POST reaching the
// emulator, is test/unit/cli-resolve.test.ts.)
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, log, ourExtension, screenshot, waitFor, waitForDiagnostics, workspaceUri } from './util';

const RESOURCE_SOURCE = 'civitai (resources)';
const LORA = 'urn:air:sdxl:lora:civitai:123456@789012';

interface EmulatorLike {
  requests: ReadonlyArray<{ method: string; route: string; status: number }>;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(`resources/${name}`));
  return vscode.window.showTextDocument(document, { preview: false });
}

suite('resources resolved with the service (emulator)', function () {
  this.timeout(90_000);
  let emulator: EmulatorLike;
  let api: { testing: { emulator(): unknown; stopEmulator(): Promise<void> } };
  let wasEmulator = false;

  suiteSetup(async () => {
    api = (await ourExtension().activate()) as typeof api;
    wasEmulator = api.testing.emulator() !== undefined;
    await vscode.commands.executeCommand('civitai.useLocalEmulator');
    emulator = api.testing.emulator() as EmulatorLike;
    assert.ok(emulator, 'the emulator is running');
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    // Leave the window as it was: the suites after this one expect to start the emulator themselves.
    if (!wasEmulator) await api.testing.stopEmulator();
  });

  test('hovering a LoRA AIR shows its name from the emulator catalog', async () => {
    const editor = await open('lora.civitai.json');
    const document = editor.document;
    const offset = document.getText().indexOf(LORA) + 10;
    const position = document.positionAt(offset);
    const text = await waitFor('the resource hover to name the LoRA', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
      const t = hoverText(hovers);
      return /Emulator LoRA 123456/.test(t) ? t : undefined;
    }, { timeoutMs: 20_000, intervalMs: 250 });
    log('hover:', text.replace(/\n/g, ' | '));
    for (const part of [/· v789012/, /Type: lora, sdxl/, /Size: 218 MB/, /Format: safeTensor/, /Availability: available on 3 workers/, /Restrictions: none/]) assert.match(text, part);
    assert.ok(emulator.requests.some((r) => r.route === 'getResource' && r.status === 200), 'the emulator answered GET /v2/resources');
    // The hover as people see it.
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('resource-hover', { waitFor: '.monaco-hover' });
  });

  test('an unknown checkpoint AIR gets the 404 error', async () => {
    const posts = () => emulator.requests.filter((r) => r.method === 'POST').length;
    const postsBefore = posts();
    const editor = await open('unknown-checkpoint.civitai.json');
    const uri = editor.document.uri;
    const [d] = await waitForDiagnostics(uri, RESOURCE_SOURCE, (ds) => ds.some((x) => (typeof x.code === 'object' ? x.code.value : x.code) === 'resource-not-found'), 'the 404 error on the checkpoint', { timeoutMs: 20_000 });
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /^no such resource: the service would run its default model and bill you/);
    assert.equal(editor.document.getText(d.range), '"urn:air:sdxl:checkpoint:civitai:999999@999999"');
    assert.ok(emulator.requests.some((r) => r.route === 'getResource' && r.status === 404));
    assert.equal(posts(), postsBefore, 'resolving never POSTs');
    // The error as people see it: squiggle, then the hover with the message and what the AIR is.
    editor.selection = new vscode.Selection(d.range.start.translate(0, 5), d.range.start.translate(0, 5));
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('resource-not-found', { waitFor: '.monaco-hover' });
  });
});
