// A measurement, not a test of behaviour: `npm run bench` runs it (by --grep @perf; test runs leave
// it out) to time the real extension host, with the real language client, while the language
// server lints the bench's 1000-step document after each edit. It prints one `[e2e:perf]` line:
// the host's longest event-loop block over the edits (perf_hooks), which the bench reports
// against its budget. Its asserts only check that the edits were linted and shown.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import { benchDocument } from '../../bench/generate';
import { closeAllEditors, log, ourExtension, waitFor, workspaceUri } from './util';

const STEPS = 1000;
const EDITED_STEP = 500;
const WARMUP = 2;
const EDITS = 20;
/** CodeLenses VS Code resolves per change: those of one screen. */
const VISIBLE_LENSES = 40;

suite('extension host during a 1000-step lint @perf', function () {
  this.timeout(300_000);
  const uri = workspaceUri('perf-1000.civitai.json');

  suiteTeardown(async () => {
    await closeAllEditors();
    fs.rmSync(uri.fsPath, { force: true });
  });

  test('the host\'s longest synchronous block while each edit is linted and shown @perf', async () => {
    const api = (await ourExtension().activate()) as CivitaiApi;
    const text = benchDocument(STEPS).text;
    fs.writeFileSync(uri.fsPath, text);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const document = editor.document;
    await waitFor('the first lint of the 1000-step file', () => api.diagnostics.summaryFor(document), { timeoutMs: 60_000 });

    const seed = findNodeAtLocation(parseTree(text)!, ['steps', EDITED_STEP, 'input', 'seed'])!;
    const range = new vscode.Range(document.positionAt(seed.offset), document.positionAt(seed.offset + seed.length));
    const values = [String(Number(seed.value) + (Number(seed.value) % 2 === 0 ? 1 : -1)), String(seed.value)];

    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    let shown = 0;
    for (let i = 0; i < WARMUP + EDITS; i++) {
      if (i === WARMUP) loop.reset();
      const linted = new Promise<void>((resolve) => {
        const sub = api.diagnostics.onDidLint((changed) => {
          if (changed.toString() !== uri.toString()) return;
          sub.dispose();
          resolve();
        });
      });
      assert.ok(await editor.edit((b) => b.replace(range, values[i % 2])), 'the edit applied');
      await linted;
      assert.ok(api.diagnostics.summaryFor(document), 'the server answered for this version');
      // What the editor asks for once the result is in: the lenses on screen.
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, VISIBLE_LENSES);
      if (i >= WARMUP && lenses.length > 0) shown++;
    }
    loop.disable();
    assert.equal(shown, EDITS, 'every measured edit was linted and its lenses drawn');
    log(`[e2e:perf] ${JSON.stringify({
      steps: STEPS,
      edits: EDITS,
      hostLongestBlockMs: Math.round((loop.max / 1e6) * 10) / 10,
      hostBlockP99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10,
      vscode: vscode.version,
    })}`);
  });
});
