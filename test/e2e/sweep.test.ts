// Sweeps in a real VS Code: a 3×2 grid (cfgScale × sampleMethod) over an SDXL file shows its cells
// and total cost before anything is sent, runs on the emulator, and comes back as 6 results.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readParameters } from '../../src/core/png/text-chunks';
import { importGenerationParameters } from '../../src/core/prompt/import-params';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import { axeAudit, closeAllEditors, inspect, log, ourExtension, screenshot, waitFor, workspaceUri } from './util';

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
    await api?.testing.stopEmulator();
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

    // The panel lays the cells out as the 3×2 grid, labelled with the axis values.
    await vscode.commands.executeCommand('civitai.openResults', keys[0]);
    await waitFor('the grid to display its 6 images', () => [...api.testing.panelMessages(keys[0])].reverse()
      .map((m) => m.message as { type?: string; loaded?: number })
      .some((m) => m.type === 'rendered' && m.loaded === 6));
    const frame = `body[data-key="${keys[0]}"]`;
    const headings = await inspect('sweep-heading', { within: frame, select: '.sweep h3' });
    if (headings) {
      assert.deepEqual(headings.map((x) => x.text.trim()), ['Sweep · X: cfgScale · Y: sampleMethod']);
      const columns = (await inspect('sweep-columns', { within: frame, select: '.sweep-grid thead th' }))!;
      assert.deepEqual(columns.map((c) => c.text.trim()), ['4', '6', '8']);
      const rows = (await inspect('sweep-rows', { within: frame, select: '.sweep-grid tbody th' }))!;
      assert.deepEqual(rows.map((r) => r.text.trim()), ['euler', 'dpm++2m']);
      const cells = (await inspect('sweep-cells', { within: frame, select: '.sweep-grid td [role="listbox"]', attributes: ['aria-label'] }))!;
      assert.equal(cells.length, 6);
      assert.equal(cells[4].attributes['aria-label'], 'cfgScale 6, sampleMethod dpm++2m');
      const tiles = (await inspect('sweep-tiles', { within: frame, select: '.sweep-grid .tile' }))!;
      assert.equal(tiles.length, 6);
      const violations = (await axeAudit('axe-sweep', { within: frame }))!;
      assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`), []);
    } else {
      log('no driver to look at the page: the grid labels were not checked');
    }
    await screenshot('sweep-2-grid');

    // Export grid: one labelled PNG that carries the parameters, and sweep.json, beside the images.
    await api.testing.panelMessage(keys[0], { type: 'exportSweep' });
    const folder = path.dirname(done.images.find((i) => i.localPath)!.localPath!);
    const gridFile = await waitFor('grid.png', () => (fs.existsSync(path.join(folder, 'grid.png')) ? path.join(folder, 'grid.png') : undefined));
    const imported = importGenerationParameters(readParameters(fs.readFileSync(gridFile)) ?? '');
    assert.ok(imported, 'the grid PNG imports back');
    assert.equal(imported.workflow.steps[0].input.prompt, 'a red fox in the snow, soft light');
    const record = JSON.parse(fs.readFileSync(path.join(folder, 'sweep.json'), 'utf8'));
    assert.equal(record.cells.length, 6);
    assert.deepEqual(record.cells[5].parameters, { cfgScale: '8', sampleMethod: 'dpm++2m' });

    // Running the same sweep again re-attaches: nothing is posted, nothing paid twice.
    const again = await vscode.commands.executeCommand<string[]>('civitai.runSweep', sweepUri);
    assert.deepEqual(again, keys);
    assert.equal(emulator.requests.filter((r) => r.route === 'submit').length, postsBefore + 1);

  });
});
