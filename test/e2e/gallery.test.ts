// The results gallery and the history view as people see them, in a real VS Code against the
// in-process emulator: the details pane of a result, compare mode, the reason of every disabled
// action, axe-core's accessibility audit (results panel, prompt preview, history view) in light
// and dark themes, and the screenshots the README shows. What is on screen is read back from the
// page by the driver (inspect), not from the extension's own state.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import type { HistoryEntry } from '../../src/core/history';
import {
  axeAudit, closeAllEditors, hasDriver, inspect, log, ourExtension, pressKeys, screenshot, waitFor, workspaceUri, type AxeViolation,
} from './util';

let api: CivitaiApi;
const hooks = () => api.testing;
const entry = (key: string): HistoryEntry | undefined => hooks().history().find((e) => e.key === key);

const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern', 'high-contrast': 'Default High Contrast' } as const;

async function useTheme(theme: keyof typeof THEMES): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', THEMES[theme], vscode.ConfigurationTarget.Global);
}

/** Submits a fixture of test/e2e-workspace/submit and waits until its images are in the panel. */
async function run(name: string, images: number): Promise<string> {
  await vscode.commands.executeCommand('civitai.useLocalEmulator');
  const document = await vscode.workspace.openTextDocument(workspaceUri(`submit/${name}`));
  const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
  assert.ok(key, `${name} was submitted`);
  await waitFor(() => `${name} to succeed (now ${entry(key)?.status}; ${entry(key)?.lastError ?? ''})`,
    () => entry(key)?.status === 'succeeded', { timeoutMs: 45_000, intervalMs: 200 });
  await waitFor(`${images} saved image(s) of ${name}`, () => (entry(key)?.images.filter((i) => i.localPath && fs.existsSync(i.localPath)).length ?? 0) === images);
  return key;
}

/** Shows one results panel alone (so its webview is the one the driver finds) and waits for its images. */
async function showPanel(key: string, images: number): Promise<void> {
  await closeAllEditors();
  await vscode.commands.executeCommand('civitai.openResults', key);
  await waitFor(`the panel to display ${images} image(s)`, () => [...hooks().panelMessages(key)].reverse()
    .map((m) => m.message as { type?: string; loaded?: number })
    .some((m) => m.type === 'rendered' && m.loaded === images));
}

const panelFrame = (key: string, theme?: keyof typeof THEMES) => `body${theme ? `.vscode-${theme}` : ''}[data-key="${key}"]`;

function serious(violations: AxeViolation[]): string[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target}: ${n.summary}`).join('\n    ')}`);
}

suite('results gallery and history (emulator)', function () {
  this.timeout(180_000);
  let batch: string;
  let seeded: string;

  suiteSetup(async function () {
    if (!hasDriver()) this.skip(); // what is on screen can only be read by the offline driver
    api = (await ourExtension().activate()) as CivitaiApi;
    await vscode.workspace.getConfiguration('civitai').update('wait', 0, vscode.ConfigurationTarget.Global);
    seeded = await run('sd1-seeded.civitai.json', 1);
    batch = await run('sd1-batch.civitai.json', 4);
  });

  suiteTeardown(async () => {
    // Leave the window as the next suite expects it: Civitai's service, the default theme.
    if (api) await hooks().stopEmulator();
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('civitai').update('wait', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    for (const f of fs.readdirSync(workspaceUri('submit').fsPath)) {
      if (/\.variant-[^.]+\.civitai\.json$/.test(f)) fs.rmSync(workspaceUri(`submit/${f}`).fsPath);
    }
  });

  test('the details pane of an emulator result shows its prompt, seed and model; the panel says emulator and is titled by file', async () => {
    await useTheme('dark');
    await showPanel(seeded, 1);
    const frame = panelFrame(seeded, 'dark');
    const [detailsPane] = (await inspect('details-pane', { within: frame, select: 'aside.details' }))!;
    assert.ok(detailsPane, 'a details pane is on screen');
    const text = detailsPane.text;
    for (const tag of ['red fox in fresh snow', 'morning light', 'worst quality', 'low quality']) assert.ok(text.includes(tag), `the prompt tag "${tag}" is shown:\n${text}`);
    assert.match(text, /424242/, 'the seed');
    assert.match(text, /urn:air:sd1:checkpoint:civitai:4384@128713/, 'the model AIR');
    assert.match(text, /Civitai checkpoint 4384, version 128713/, 'the model in words');
    assert.match(text, /Steps\s+20/);
    assert.match(text, /CFG scale\s+7/);
    assert.match(text, /512 × 512/);
    const copies = await inspect('details-copy', { within: frame, select: 'aside.details button', attributes: ['aria-label', 'data-action'] });
    const labels = copies!.map((b) => b.attributes['aria-label'] ?? b.text.trim());
    for (const wanted of ['Copy prompt', 'Copy negative prompt', 'Copy model AIR', 'Copy seed', 'Copy all parameters']) assert.ok(labels.includes(wanted), `${wanted} in ${labels.join(', ')}`);
    // The copy buttons copy what ran (from history, not from the page).
    await hooks().panelMessage(seeded, { type: 'image', action: 'copyPrompt', key: hooks().panelState(seeded)!.images[0].key });
    assert.equal(await vscode.env.clipboard.readText(), 'a red fox in fresh snow, morning light');
    const [badge] = (await inspect('emulator-badge', { within: frame, select: '.emulator-badge, .title-row h1' }))!;
    assert.match(badge.text, /sd1-seeded/, 'the heading is the file name');
    const all = (await inspect('title-row', { within: frame, select: '.title-row' }))!;
    assert.match(all[0].text, /Emulator · placeholder images/);
    // A finished run: its timeline and badges are still (no spinner on any entry).
    const timeline = (await inspect('timeline', { within: frame, select: '.timeline li' }))!;
    assert.ok(timeline.length >= 3, `timeline entries: ${timeline.map((t) => t.text).join(' | ')}`);
    assert.deepEqual(await inspect('spinners', { within: frame, select: '.codicon-modifier-spin' }), [], 'nothing spins on a finished run');
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Results'));
    assert.equal(tab?.label, 'Results: sd1-seeded');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await screenshot('details-dark', { waitFor: 'iframe.webview.ready' });
  });

  test('every disabled action says why in its tooltip (and no action is silently greyed out)', async () => {
    for (const key of [seeded, batch]) {
      await showPanel(key, key === batch ? 4 : 1);
      const buttons = (await inspect(`buttons-${key === batch ? 'batch' : 'seeded'}`, {
        within: panelFrame(key), select: 'button', attributes: ['title', 'aria-disabled', 'disabled', 'data-action', 'aria-label'],
      }))!;
      assert.ok(buttons.length > 8, `buttons found: ${buttons.length}`);
      assert.deepEqual(buttons.filter((b) => b.attributes.disabled !== null).map((b) => b.attributes.title), [], 'no native disabled button (its tooltip cannot be reached by keyboard)');
      const disabled = buttons.filter((b) => b.attributes['aria-disabled'] === 'true');
      assert.ok(disabled.length >= 1, 'this panel has actions that cannot run');
      for (const b of disabled) {
        const label = b.attributes['data-action'] ?? '';
        const title = b.attributes.title ?? '';
        assert.ok(title.startsWith(`${label}: `) && title.length > label.length + 12, `"${label}" gives a reason: "${title}"`);
      }
      for (const b of buttons) assert.ok((b.attributes.title ?? '').length > 0, `every button has a tooltip (${b.attributes['data-action'] ?? b.text})`);
    }
  });

  test('compare mode opens with two marked images, side by side and as a slider', async () => {
    await showPanel(batch, 4);
    const images = hooks().panelState(batch)!.images.map((i) => i.key);
    const mark = hooks().panelMessages(batch).length;
    // Space marks the first, → moves, Space marks the second, C compares.
    assert.equal(await pressKeys('compare-keys', { focus: `${panelFrame(batch)} .gallery .tile`, keys: ['Space', 'ArrowRight', 'Space', 'c'] }), true);
    const compared = await waitFor('a compare view of the two marked images', () => hooks().panelMessages(batch).slice(mark)
      .map((m) => m.message as { type?: string; compare?: string[] | null })
      .find((m) => m.type === 'view' && m.compare)?.compare);
    assert.deepEqual(compared, [images[0], images[1]]);
    const shown = (await inspect('compare-side', { within: panelFrame(batch), select: '.compare img', attributes: ['alt', 'src'] }))!;
    assert.equal(shown.length, 2, 'two pictures side by side');
    assert.match(shown[0].attributes.alt ?? '', /^A: Image 1/);
    assert.match(shown[1].attributes.alt ?? '', /^B: Image 2/);
    const saved = hooks().panelState(batch)!.images;
    assert.deepEqual(shown.map((s) => s.attributes.src), [saved[0].src, saved[1].src]);
    await screenshot('compare-side-dark', { waitFor: 'iframe.webview.ready' });

    assert.equal(await pressKeys('compare-slider-keys', { focus: `${panelFrame(batch)} .compare .segmented [aria-checked="true"]`, keys: ['ArrowRight'] }), true);
    const slider = (await inspect('compare-slider', { within: panelFrame(batch), select: '.compare-stage img, .compare-range', attributes: ['alt', 'type', 'aria-label'] }))!;
    assert.equal(slider.filter((e) => e.attributes.alt).length, 2, 'both pictures stacked under the slider');
    assert.ok(slider.some((e) => e.attributes.type === 'range' && /Slider position/.test(e.attributes['aria-label'] ?? '')), 'a labelled range control');
    await screenshot('compare-slider-dark', { waitFor: 'iframe.webview.ready' });
    const compareAudit = (await axeAudit('axe-compare-dark', { within: `${panelFrame(batch)} .compare` }))!;
    assert.deepEqual(serious(compareAudit), [], 'the compare view passes axe too');
    assert.equal(await pressKeys('compare-close', { focus: `${panelFrame(batch)} .compare`, keys: ['Escape'] }), true);
    await waitFor('the compare view to close', () => {
      const views = hooks().panelMessages(batch).map((m) => m.message as { type?: string; compare?: unknown }).filter((m) => m.type === 'view');
      return views.length > 0 && views[views.length - 1].compare === null;
    });
  });

  test('an image-to-image result compares against its source image', async () => {
    // Use as source writes a createVariant file carrying the image as a data URL; run it.
    await showPanel(seeded, 1);
    const image = hooks().panelState(seeded)!.images[0];
    await hooks().panelMessage(seeded, { type: 'image', action: 'useAsSource', key: image.key });
    const variantFile = workspaceUri('submit/sd1-seeded.variant-1.civitai.json');
    await waitFor('the variant file', () => fs.existsSync(variantFile.fsPath));
    const variant = await run('sd1-seeded.variant-1.civitai.json', 1);
    await showPanel(variant, 1);
    const source = await waitFor('the source image in the panel state', () => hooks().panelState(variant)?.steps[0]?.sourceSrc ?? undefined);
    assert.match(source, /^data:image\/png;base64,/);
    const [action] = (await inspect('compare-source-button', { within: panelFrame(variant), select: 'aside.details button[data-action="Compare with source"]', attributes: ['aria-disabled', 'title'] }))!;
    assert.equal(action.attributes['aria-disabled'], null, `enabled: ${action.attributes.title}`);
    const mark = hooks().panelMessages(variant).length;
    assert.equal(await pressKeys('compare-source-keys', { focus: `${panelFrame(variant)} aside.details button[data-action="Compare with source"]`, keys: ['Enter'] }), true);
    const compared = await waitFor('the compare view of source and result', () => hooks().panelMessages(variant).slice(mark)
      .map((m) => m.message as { type?: string; compare?: string[] | null })
      .find((m) => m.type === 'view' && m.compare)?.compare);
    assert.deepEqual(compared, ['source:0', hooks().panelState(variant)!.images[0].key]);
    const pictures = (await inspect('compare-source', { within: panelFrame(variant), select: '.compare img', attributes: ['alt', 'src'] }))!;
    assert.equal(pictures.length, 2);
    assert.match(pictures[0].attributes.alt ?? '', /^A: Source of Step 1/);
    assert.ok(pictures.every((p) => p.attributes.src), 'both pictures have a source');
    await screenshot('compare-source-dark', { waitFor: 'iframe.webview.ready' });
    assert.equal(await pressKeys('compare-source-close', { focus: `${panelFrame(variant)} .compare`, keys: ['Escape'] }), true);
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    test(`axe-core finds no serious or critical violation in the results panel, prompt preview and history view (${theme})`, async () => {
      await useTheme(theme);
      const problems: string[] = [];
      // Results panel: gallery with the details pane.
      await showPanel(batch, 4);
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      const results = (await axeAudit(`axe-results-${theme}`, { within: panelFrame(batch, theme) }))!;
      problems.push(...serious(results).map((p) => `results panel: ${p}`));
      await screenshot(`gallery-${theme}`, { waitFor: 'iframe.webview.ready' });

      // Prompt preview of the seeded file.
      await closeAllEditors();
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('submit/sd1-seeded.civitai.json')));
      await vscode.commands.executeCommand('civitai.showPromptPreview');
      const preview = (await axeAudit(`axe-preview-${theme}`, { within: `body.vscode-${theme} main#root section` }))!;
      problems.push(...serious(preview).map((p) => `prompt preview: ${p}`));

      // History view in the side bar (the workbench's own frame; only the side bar is audited),
      // beside the gallery it opens.
      await showPanel(batch, 4);
      await vscode.commands.executeCommand('workbench.view.extension.civitai');
      const view = '.part.sidebar .monaco-list';
      const history = (await axeAudit(`axe-history-${theme}`, { within: view, include: '.part.sidebar' }))!;
      problems.push(...serious(history).map((p) => `history view: ${p}`));
      await screenshot(`history-${theme}`, { waitFor: '.part.sidebar .monaco-list-row .codicon-pass' });
      const rows = (await inspect(`history-rows-${theme}`, { within: view, select: '.part.sidebar .monaco-list-row', attributes: ['aria-label'] }))!;
      assert.ok(rows.some((r) => /Today/.test(r.text)), `a day heading: ${rows.map((r) => r.text).join(' | ')}`);
      const tooltip = hooks().historyTreeItems().find((r) => r.label === 'sd1-batch')?.tooltip ?? '';
      assert.match(tooltip, /!\[[^\]]*\]\(file:[^)]*\.png\|width=160\)/, `the tooltip shows a thumbnail: ${tooltip}`);
      assert.match(tooltip, /20 Buzz, paid in Blue Buzz/);
      assert.ok(rows.some((r) => /sd1-batch/.test(r.text) && /20 Buzz · 4 img · (now|\d+m ago)/.test(r.text)), `a row with cost, images and time: ${rows.map((r) => r.text).join(' | ')}`);
      log(`axe (${theme}): results ${results.length}, preview ${preview.length}, history ${history.length} violation(s) of any impact`);
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
});
