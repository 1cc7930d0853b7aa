// Sweeps in a real VS Code: a 3×2 grid (cfgScale × sampleMethod) over an SDXL file shows its cells
// and total cost before anything is sent, runs on the emulator, and comes back as 6 results.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import { closeAllEditors, log, ourExtension, screenshot, waitFor, workspaceUri } from './util';

let api: CivitaiApi;

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  return lenses.map((l) => l.command?.title ?? '').filter(Boolean);
}

suite('sweeps (emulator)', function () {
  this.timeout(120_000);

  suiteSetup(async () => {
    api = (await ourExtension().activate()) as CivitaiApi;
    await vscode.workspace.getConfiguration('civitai').update('wait', 0, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('civitai').update('wait', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a 3×2 sweep shows 6 cells and their total before submitting, then runs them all', async () => {
    const sweepUri = workspaceUri('sweep/fox.sweep.json');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sweepUri), { preview: false });
    const titles = await waitFor('the sweep CodeLens', async () => {
      const t = await lensTitles(sweepUri);
      return t.some((x) => x.startsWith('6 cells')) ? t : undefined;
    });
    log(`sweep lens: ${titles.join(' | ')}`);
    const summary = titles.find((t) => t.startsWith('6 cells'))!;
    assert.match(summary, /^6 cells \(3 cfgScale × 2 sampleMethod\) · ≈ \d+(\.\d+)? Buzz$/);
    assert.ok(titles.some((t) => t.includes('Run Sweep')));
    await screenshot('sweep-1-lens');

    await vscode.commands.executeCommand('civitai.useLocalEmulator');
    const emulator = api.testing.emulator() as { requests: ReadonlyArray<{ route: string }> };
    const postsBefore = emulator.requests.filter((r) => r.route === 'submit').length;
    const keys = await vscode.commands.executeCommand<string[]>('civitai.runSweep', sweepUri);
    assert.equal(keys.length, 1, 'one workflow carries the 6 cells');
    assert.ok(emulator.requests.some((r) => r.route === 'whatif'), 'the service quoted the sweep first');
    const done = await waitFor('the sweep to succeed', () => {
      const e = api.testing.history().find((h) => h.key === keys[0]);
      return e && e.status === 'succeeded' && e.images.filter((i) => i.localPath).length === 6 ? e : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    assert.equal(done.images.length, 6);

    // Running the same sweep again re-attaches: nothing is posted, nothing paid twice.
    const again = await vscode.commands.executeCommand<string[]>('civitai.runSweep', sweepUri);
    assert.deepEqual(again, keys);
    assert.equal(emulator.requests.filter((r) => r.route === 'submit').length, postsBefore + 1);
    await screenshot('sweep-2-results');
  });
});
