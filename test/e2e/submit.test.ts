// Submitting from the editor, end to end in a real VS Code against the in-process emulator:
// token in SecretStorage only, CodeLens estimate, whatif preview, submit → succeeded → images on
// disk and in the results panel, a service 400 as a diagnostic, cancel, and resume after reload.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import type { HistoryEntry } from '../../src/core/history';
import { readParameters } from '../../src/core/png/text-chunks';
import { importGenerationParameters } from '../../src/core/prompt/import-params';
import { closeAllEditors, hasDriver, log, ourExtension, pressKeys, screenshot, waitFor, workspaceUri } from './util';

/** Looks like a token, never used against a real service (the emulator takes its own). */
const TOKEN = 'e2e-secret-token-7f3a9c21d4b8';

interface EmulatorHandleLike {
  url: string;
  requests: ReadonlyArray<{ method: string; route: string; externalId?: string; status: number }>;
  workflowCount(): number;
  faults: {
    inject(route: string, fault: { type: 'status'; status: number; detail?: string }, times?: number): unknown;
    failNextWorkflow(failure: { reason: string; blockedReason?: string }, times?: number): unknown;
    clear(): void;
  };
}

let api: CivitaiApi;

function hooks(): CivitaiApi['testing'] {
  return api.testing;
}

function entry(key: string): HistoryEntry | undefined {
  return hooks().history().find((e) => e.key === key);
}

async function waitForStatus(key: string, statuses: HistoryEntry['status'][], timeoutMs = 45_000): Promise<HistoryEntry> {
  return waitFor(() => `${key} to reach ${statuses.join('/')} (now ${entry(key)?.status}; ${entry(key)?.lastError ?? ''})`,
    () => {
      const e = entry(key);
      return e && statuses.includes(e.status) ? e : undefined;
    }, { timeoutMs, intervalMs: 200 });
}

function fixture(name: string): vscode.Uri {
  return workspaceUri(`submit/${name}`);
}

async function open(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixture(name));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** Every test that talks to a service can run on its own (e.g. with --grep): the emulator, idempotently. */
async function emulator(): Promise<EmulatorHandleLike> {
  await vscode.commands.executeCommand('civitai.useLocalEmulator');
  return hooks().emulator() as EmulatorHandleLike;
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  return lenses.map((l) => l.command?.title ?? '').filter(Boolean);
}

suite('submit from the editor (emulator)', function () {
  this.timeout(120_000);

  suiteSetup(async () => {
    api = (await ourExtension().activate()) as CivitaiApi;
    assert.ok(api?.testing, 'the extension exports its test hooks');
    // Start clean: no results or derived files from an earlier run.
    fs.rmSync(path.join(workspaceUri('.civitai').fsPath), { recursive: true, force: true });
    await vscode.workspace.getConfiguration('civitai').update('wait', 0, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('civitai').update('wait', undefined, vscode.ConfigurationTarget.Global);
    for (const f of fs.readdirSync(fixture('').fsPath)) {
      if (/\.(variant|seed)-[^.]+\.civitai\.json$/.test(f)) fs.rmSync(path.join(fixture('').fsPath, f));
    }
  });

  test('the API token goes to SecretStorage only: not settings, log or history', async () => {
    assert.equal(await hooks().hasToken(), false, 'a fresh profile has no token');
    assert.equal(await vscode.commands.executeCommand('civitai.setApiToken', TOKEN), true);
    assert.equal(await hooks().hasToken(), true, 'stored in SecretStorage');
    await waitFor('the status bar to show a token', () => hooks().statusBar().connection?.includes('$(key)'));

    const config = vscode.workspace.getConfiguration('civitai');
    for (const key of ['baseUrl', 'wait', 'confirmAboveBuzz', 'resultsFolder', 'hideMatureContent', 'apiToken', 'token']) {
      assert.ok(!JSON.stringify(config.inspect(key) ?? {}).includes(TOKEN), `civitai.${key} does not hold the token`);
    }
    const settingsFile = workspaceUri('.vscode/settings.json').fsPath;
    if (fs.existsSync(settingsFile)) assert.ok(!fs.readFileSync(settingsFile, 'utf8').includes(TOKEN), 'workspace settings do not hold the token');
    assert.ok(hooks().logLines().length > 0, 'the log has lines to check');
    assert.ok(hooks().logLines().every((l) => !l.includes(TOKEN)), 'the log never holds the token');
    assert.ok(!JSON.stringify(hooks().history()).includes(TOKEN), 'history never holds the token');
  });

  test('Use Local Emulator points the extension at the in-process emulator', async () => {
    const url = await vscode.commands.executeCommand<string>('civitai.useLocalEmulator');
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(hooks().service(), { kind: 'emulator', baseUrl: url, label: 'Emulator' });
    await waitFor('the status bar to say Emulator', () => hooks().statusBar().connection?.includes('Emulator'));
    // Still so once every pending update has landed (token and service events can overlap).
    await new Promise((r) => setTimeout(r, 500));
    assert.match(hooks().statusBar().connection ?? '', /Emulator/);
  });

  test('a CodeLens above the step shows the local estimate (≈ 9.6 Buzz for Anima defaults)', async () => {
    const document = await open('anima-defaults.civitai.json');
    const titles = await waitFor('cost lenses', async () => {
      const t = await lensTitles(document.uri);
      return t.some((x) => x.includes('Buzz')) ? t : undefined;
    });
    assert.ok(titles.includes('≈ 9.6 Buzz'), `lenses: ${titles.join(' | ')}`);
    assert.ok(titles.includes('Preview cost'), `lenses: ${titles.join(' | ')}`);
    await waitFor('the status bar total', () => hooks().statusBar().cost === '$(credit-card) ≈ 9.6 Buzz');
  });

  test('Preview Cost asks the service (whatif) and shows the exact total', async () => {
    const document = await open('anima-defaults.civitai.json');
    const service = await emulator();
    const before = service.requests.length;
    const preview = await vscode.commands.executeCommand<{ total: number; currencies: Record<string, number> }>('civitai.previewCost', document.uri);
    assert.ok(preview, 'a preview came back');
    assert.equal(typeof preview.total, 'number');
    assert.ok(preview.total > 0, `total ${preview.total}`);
    const whatif = service.requests.slice(before).find((r) => r.route === 'whatif');
    assert.ok(whatif, 'a whatif request was sent');
    assert.equal(whatif.externalId, undefined, 'a preview never carries an idempotency key');
    const titles = await lensTitles(document.uri);
    assert.ok(titles.some((t) => t.startsWith(`Service: ${preview.total}`) || t.startsWith('Service: ')), `lenses: ${titles.join(' | ')}`);
  });

  test('Submit runs the workflow to succeeded, saves the images and shows them in the results panel @packaged', async () => {
    await emulator();
    const document = await open('sd1-batch.civitai.json');
    const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
    assert.ok(key, 'the submission has a history key');
    const started = entry(key);
    assert.ok(started, 'the entry exists as soon as the command returns');
    const done = await waitForStatus(key, ['succeeded', 'failed', 'expired', 'canceled', 'rejected']);
    assert.equal(done.status, 'succeeded', done.lastError);
    assert.ok(done.workflowId, 'the workflow id was recorded');
    assert.deepEqual(done.timeline.map((t) => t.status).slice(0, 1), ['submitting']);
    assert.equal(done.pendingBody, undefined, 'the body is dropped once the id is known');

    const saved = await waitFor('4 images on disk', () => {
      const images = entry(key)?.images.filter((i) => i.localPath && fs.existsSync(i.localPath)) ?? [];
      return images.length === 4 ? images : undefined;
    });
    const root = hooks().resultsFolder();
    for (const image of saved) {
      assert.ok(image.localPath!.startsWith(root), `${image.localPath} is under the results folder ${root}`);
      assert.deepEqual([...fs.readFileSync(image.localPath!).subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
    }
    // Each PNG carries its generation parameters, and the import reads back what was submitted.
    const submitted = (JSON.parse(document.getText()) as { steps: Array<{ input: Record<string, unknown> }> }).steps[0].input;
    for (const image of saved) {
      const text = readParameters(fs.readFileSync(image.localPath!));
      assert.ok(text, `${path.basename(image.localPath!)} has a parameters text chunk`);
      const imported = importGenerationParameters(text)?.workflow.steps[0].input;
      assert.ok(imported, `the import reads ${JSON.stringify(text)}`);
      for (const field of ['prompt', 'negativePrompt', 'steps', 'cfgScale', 'width', 'height', 'model']) {
        assert.deepEqual(imported[field], submitted[field], `${field} round-trips through the saved PNG`);
      }
      assert.doesNotMatch(text, /Seed:/, 'a batch with a random seed: no seed is made up');
    }

    assert.ok(hooks().openPanels().includes(key), 'the results panel opened');
    const state = await waitFor('the panel state with 4 saved images', () => {
      const s = hooks().panelState(key);
      return s && s.images.length === 4 && s.images.every((i) => i.state === 'saved' && i.src) ? s : undefined;
    });
    assert.equal(state.status, 'succeeded');
    assert.equal(state.cost.estimate, 20);
    assert.ok(state.cost.charged, 'the charged cost comes from the transactions');
    const messages = hooks().panelMessages(key);
    assert.ok(messages.some((m) => m.direction === 'in' && (m.message as { type?: string }).type === 'ready'), 'the webview script ran (CSP nonce) and said ready');
    const rendered = await waitFor('the webview to report 4 loaded images', () => [...hooks().panelMessages(key)].reverse()
      .map((m) => m.message as { type?: string; images?: number; loaded?: number; failed?: number; icons?: boolean })
      .find((m) => m.type === 'rendered' && m.images === 4));
    assert.equal(rendered.loaded, 4, `images displayed from the saved files: ${JSON.stringify(rendered)}`);
    assert.equal(rendered.icons, true, 'the codicon font loaded through the webview resource roots');

    // The picture: the panel alone in a maximised editor group.
    await vscode.commands.executeCommand('civitai.openResults', key);
    await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
    try {
      const file = await screenshot('results-panel', { waitFor: 'iframe.webview.ready' });
      if (file) log(`results panel screenshot: ${file}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
    }
  });

  test('the gallery follows the keyboard: → selects the next image, Enter opens it, → pages, Escape closes', async function () {
    if (!hasDriver()) this.skip(); // only the offline driver can press keys inside a webview
    await emulator();
    // A run whose 4 images are on disk (this suite's setup empties the results folder of earlier suites).
    let run = hooks().history().find((e) => e.label === 'sd1-batch.civitai.json' && e.status === 'succeeded'
      && e.images.filter((i) => i.localPath && fs.existsSync(i.localPath)).length === 4);
    if (!run) {
      const k = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', (await open('sd1-batch.civitai.json')).uri);
      run = await waitForStatus(k!, ['succeeded']);
    }
    const key = run.key;
    // One results panel only, so the driver finds this gallery.
    await closeAllEditors();
    await vscode.commands.executeCommand('civitai.openResults', key);
    const rendered = (m: { direction: string; message: unknown }) => (m.message as { type?: string; loaded?: number }).type === 'rendered'
      && (m.message as { loaded?: number }).loaded === 4;
    await waitFor('the panel to show its 4 images', () => hooks().panelMessages(key).some(rendered));
    const images = hooks().panelState(key)!.images.map((i) => i.key);
    const mark = hooks().panelMessages(key).length;

    const keys = ['ArrowRight', 'Enter', 'ArrowRight', 'Escape'];
    assert.equal(await pressKeys('gallery-keys', { focus: `body[data-key="${key}"] .gallery .tile`, keys }), true);
    const at = (k: string | null) => (k === null ? null : images.indexOf(k));
    const views = () => hooks().panelMessages(key).slice(mark)
      .filter((m) => m.direction === 'in')
      .map((m) => m.message as { type?: string; selected?: string | null; open?: string | null })
      .filter((m) => m.type === 'view')
      .map((m) => [at(m.selected ?? null), at(m.open ?? null)]);
    // Focus on the first thumbnail; → the second; Enter opens it; → pages to the third; Escape
    // closes the larger view with the third thumbnail selected.
    const expected = [[0, null], [1, null], [1, 1], [2, 2], [2, null]];
    const seen = await waitFor(() => `the view to follow ${keys.join(' ')} (saw ${JSON.stringify(views())})`,
      () => (views().length >= expected.length ? views() : undefined), { timeoutMs: 10_000 });
    assert.deepEqual(seen, expected);
  });

  test('panel actions: copy seed, open, re-run with this seed, use as source (an image-to-image file), open as workflow, invalid messages ignored', async () => {
    await emulator();
    const document = await open('sd1-seeded.civitai.json');
    const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
    assert.ok(key);
    await waitForStatus(key, ['succeeded']);
    const state = await waitFor('a saved image with its seed', () => {
      const s = hooks().panelState(key);
      return s?.images[0]?.state === 'saved' ? s : undefined;
    });
    const image = state.images[0];
    assert.equal(image.seed, 424242);
    const savedFile = entry(key)?.images.find((i) => i.blobId === image.key)?.localPath;
    assert.ok(savedFile, 'the image is on disk');
    const parameters = readParameters(fs.readFileSync(savedFile));
    assert.equal(importGenerationParameters(parameters ?? '')?.workflow.steps[0].input.seed, 424242, `the fixed seed is in the PNG: ${parameters}`);

    await hooks().panelMessage(key, { type: 'image', action: 'copySeed', key: image.key });
    assert.equal(await vscode.env.clipboard.readText(), '424242');

    await hooks().panelMessage(key, { type: 'image', action: 'open', key: image.key });
    await waitFor('the image open in an editor tab', () => {
      const input = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.input as { uri?: vscode.Uri } | undefined);
      return input.some((i) => i?.uri?.fsPath.endsWith('.png')) || undefined;
    });

    // Re-run with this seed: a copy of the file with the seed (and one image) is written and submitted.
    const rerunUri = fixture('sd1-seeded.seed-424242.civitai.json');
    await hooks().panelMessage(key, { type: 'image', action: 'rerunWithSeed', key: image.key });
    const rerun = await waitFor('the re-run in history', () => hooks().history().find((e) => e.label === 'sd1-seeded.seed-424242.civitai.json'));
    assert.ok(fs.existsSync(rerunUri.fsPath), 'the re-run file exists');
    const rerunInput = (JSON.parse(fs.readFileSync(rerunUri.fsPath, 'utf8')) as { steps: Array<{ input: Record<string, unknown> }> }).steps[0].input;
    assert.equal(rerunInput.seed, 424242);
    assert.notEqual(rerun.key, key, 'a new run with its own idempotency key');
    await waitForStatus(rerun.key, ['succeeded']);

    await hooks().panelMessage(key, { type: 'image', action: 'useAsSource', key: image.key });
    const variantUri = fixture('sd1-seeded.variant-1.civitai.json');
    await waitFor('the variant file', () => fs.existsSync(variantUri.fsPath));
    const variant = JSON.parse(fs.readFileSync(variantUri.fsPath, 'utf8')) as { steps: Array<{ input: Record<string, unknown> }> };
    const input = variant.steps[0].input;
    assert.equal(input.operation, 'createVariant');
    assert.match(String(input.image), /^data:image\/png;base64,/);
    assert.equal(input.model, 'urn:air:sd1:checkpoint:civitai:4384@128713');
    const variantDoc = await vscode.workspace.openTextDocument(variantUri);
    const errors = api.diagnostics.resultFor(variantDoc).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => f.message), [], 'the variant file lints without errors');

    // Open as workflow: the parameters saved in the PNG, through the import command.
    await hooks().panelMessage(key, { type: 'image', action: 'openAsWorkflow', key: image.key });
    const importedDoc = await waitFor('the imported workflow in an editor', () => {
      const doc = vscode.window.activeTextEditor?.document;
      return doc && /imported.*\.civitai\.json$/.test(doc.uri.fsPath) ? doc : undefined;
    });
    const imported = (JSON.parse(importedDoc.getText()) as { steps: Array<{ input: Record<string, unknown> }> }).steps[0].input;
    assert.deepEqual([imported.ecosystem, imported.model, imported.seed], ['sd1', 'urn:air:sd1:checkpoint:civitai:4384@128713', 424242]);

    // The panel's Preview cost: the file is unchanged since the run, so the quote is the run's.
    assert.equal(entry(key)?.whatif, undefined);
    await hooks().panelMessage(key, { type: 'previewCost' });
    const quoted = await waitFor('the quote on the entry', () => entry(key)?.whatif);
    assert.ok(quoted.total > 0);
    await waitFor('the quote in the panel', () => hooks().panelState(key)?.cost.whatif?.total === quoted.total);

    const before = hooks().logLines().length;
    await hooks().panelMessage(key, { type: 'image', action: 'deleteEverything', key: image.key });
    assert.ok(hooks().logLines().slice(before).some((l) => /ignored an invalid message/.test(l)), 'the invalid message was logged and ignored');
  });

  test('a 400 from the service becomes a diagnostic on the offending field, cleared on the next edit', async () => {
    await emulator();
    const document = await open('service-refuses.civitai.json');
    const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
    assert.ok(key);
    const rejected = await waitForStatus(key, ['rejected']);
    assert.match(rejected.lastError ?? '', /refused/);
    const imageLine = document.getText().split('\n').findIndex((l) => l.includes('not-reachable-offline'));
    const diagnostic = await waitFor('a service diagnostic', () => vscode.languages.getDiagnostics(document.uri)
      .find((d) => d.source === 'civitai (service)'));
    assert.equal(diagnostic.range.start.line, imageLine, `on the image the offline emulator cannot load: ${diagnostic.message}`);
    assert.equal(document.getText(diagnostic.range), '"https://example.com/not-reachable-offline.png"');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);

    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 1), ' ');
    await vscode.workspace.applyEdit(edit);
    await waitFor('the service diagnostic to clear', () => !vscode.languages.getDiagnostics(document.uri).some((d) => d.source === 'civitai (service)'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Cancel stops a running workflow on the service', async () => {
    const document = await open('anima-defaults.civitai.json');
    const service = await emulator();
    const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
    assert.ok(key);
    const running = await waitFor('a workflow id', () => (entry(key)?.workflowId ? entry(key) : undefined));
    assert.ok(!['succeeded', 'failed'].includes(running.status), `still running (${running.status})`);
    assert.equal(await vscode.commands.executeCommand('civitai.cancelWorkflow', key, { confirmed: true }), true);
    const canceled = await waitForStatus(key, ['canceled'], 10_000);
    assert.ok(service.requests.some((r) => r.method === 'DELETE' && r.status < 300), 'a DeleteWorkflow request succeeded');
    // It stays cancelled: no later poll turns it into something else.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(entry(key)?.status, 'canceled');
    assert.equal(canceled.images.length, 0);
  });

  test('Cancel while the submission is still held open (wait) re-attaches by key, then stops it', async () => {
    await vscode.workspace.getConfiguration('civitai').update('wait', 30, vscode.ConfigurationTarget.Global);
    try {
      const document = await open('anima-defaults.civitai.json');
      const service = await emulator();
      const deletes = () => service.requests.filter((r) => r.method === 'DELETE' && r.status < 300).length;
      const deletesBefore = deletes();
      const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
      assert.ok(key);
      // The POST is waiting for the run to end, so no id is known yet.
      await waitFor('the POST to reach the service', () => service.requests.some((r) => r.route === 'submit' && r.externalId === key) || undefined, { timeoutMs: 3000 })
        .catch(() => undefined);
      assert.equal(entry(key)?.workflowId, undefined, 'no id while the submission is held open');
      assert.equal(await vscode.commands.executeCommand('civitai.cancelWorkflow', key, { confirmed: true }), true);
      const canceled = await waitForStatus(key, ['canceled'], 15_000);
      assert.ok(canceled.workflowId, 'the id was learned by re-attaching with the same key');
      const posts = service.requests.filter((r) => r.route === 'submit' && r.externalId === key);
      assert.ok(posts.length >= 1 && posts.length <= 2, `one POST, plus at most the re-attach (${posts.length})`);
      assert.equal(deletes(), deletesBefore + 1, 'the workflow was deleted on the service');
    } finally {
      await vscode.workspace.getConfiguration('civitai').update('wait', 0, vscode.ConfigurationTarget.Global);
    }
  });

  test('after a reload, an unfinished submission re-attaches with its saved key instead of running twice', async () => {
    const service = await emulator();
    const body = JSON.parse(fs.readFileSync(fixture('sd1-seeded.civitai.json').fsPath, 'utf8')) as unknown;
    const now = new Date().toISOString();
    // What a window closed right after saving the key (before the answer came) leaves behind.
    const key = `vscode-e2e-resume-${Date.now()}`;
    const left = {
      key, submitted: true, serviceUrl: hooks().service().baseUrl, emulator: true, label: 'resumed.civitai.json',
      createdAt: now, updatedAt: now, status: 'submitting', timeline: [{ status: 'submitting', at: now }],
      pendingBody: body, estimate: 4, images: [],
    };
    await hooks().putHistoryEntry(left);
    await hooks().resumeUnfinished();
    const first = await waitForStatus(key, ['succeeded']);
    assert.ok(first.workflowId);
    const posts = service.requests.filter((r) => r.route === 'submit' && r.externalId === key);
    assert.equal(posts.length, 1, 'one POST with the saved key');

    // The same thing again (the answer was lost twice): the service hands back the same workflow.
    const count = service.workflowCount();
    await hooks().putHistoryEntry({ ...left, updatedAt: new Date().toISOString() });
    await hooks().resumeUnfinished();
    const second = await waitForStatus(key, ['succeeded']);
    assert.equal(second.workflowId, first.workflowId, 'the same workflow, not a new one');
    assert.equal(service.workflowCount(), count, 'nothing new ran (nothing charged twice)');

    // An entry that knew its id but had no result: resumes by polling.
    const byId = `vscode-e2e-byid-${Date.now()}`;
    await hooks().putHistoryEntry({ ...left, key: byId, workflowId: first.workflowId, status: 'processing', pendingBody: undefined, timeline: [] });
    await hooks().resumeUnfinished();
    const polled = await waitForStatus(byId, ['succeeded']);
    assert.ok(polled.snapshot, 'the workflow was fetched');
    await waitFor('its image downloaded', () => entry(byId)?.images.some((i) => i.localPath && fs.existsSync(i.localPath)));
  });

  test('a failed job shows the guide’s advice for its reason', async () => {
    const service = await emulator();
    service.faults.failNextWorkflow({ reason: 'blocked', blockedReason: 'prompt flagged' });
    const document = await open('sd1-seeded.civitai.json');
    const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
    assert.ok(key);
    const failed = await waitForStatus(key, ['failed']);
    assert.equal(failed.images.filter((i) => i.localPath).length, 0);
    const state = await waitFor('the failure in the panel', () => {
      const s = hooks().panelState(key);
      return s?.failures.length ? s : undefined;
    });
    assert.equal(state.failures[0].reason, 'blocked');
    assert.match(state.failures[0].advice, /prompt flagged/);
    assert.match(state.failures[0].advice, /change the prompt or the source image/);
  });

  test('a 403 is explained in plain words and nothing is left pending', async () => {
    const service = await emulator();
    service.faults.inject('submit', { type: 'status', status: 403, detail: 'This recipe is not enabled for your tier.' });
    const document = await open('sd1-seeded.civitai.json');
    const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
    assert.ok(key);
    const rejected = await waitForStatus(key, ['rejected']);
    assert.match(rejected.lastError ?? '', /valid but not allowed.*\(403\)/);
    assert.match(rejected.lastError ?? '', /not enabled for your tier/);
    assert.equal(rejected.pendingBody, undefined, 'a refused submission keeps no body to resume');
    const state = await waitFor('the notice in the panel', () => hooks().panelState(key)?.notice ?? undefined);
    assert.match(state, /403/);
  });

  test('New Workflow… writes a template that lints clean and is costed at once', async () => {
    const target = fixture('new-anima.civitai.json');
    fs.rmSync(target.fsPath, { force: true });
    try {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('civitai.newWorkflow', {
        templateId: 'anima-sdcpp-createImage', fileName: 'new-anima.civitai.json', folder: fixture(''),
      });
      assert.equal(uri?.fsPath, target.fsPath);
      const document = await vscode.workspace.openTextDocument(target);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'the new file is open');
      assert.deepEqual(api.diagnostics.resultFor(document).findings.filter((f) => f.severity === 'error').map((f) => f.message), []);
      const titles = await lensTitles(target);
      assert.ok(titles.includes('≈ 9.6 Buzz'), `lenses: ${titles.join(' | ')}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(target.fsPath, { force: true });
    }
  });

  test('Open Workflow by ID adds a workflow run elsewhere to the history and saves its images', async () => {
    await emulator();
    let earlier = hooks().history().find((e) => e.status === 'succeeded' && e.submitted && e.workflowId);
    if (!earlier) {
      const document = await open('sd1-seeded.civitai.json');
      const k = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
      earlier = await waitForStatus(k!, ['succeeded']);
    }
    assert.ok(earlier?.workflowId, 'an earlier succeeded workflow');
    // Forget every entry of it, as if it had been submitted from the CLI or the website.
    for (const e of hooks().history().filter((x) => x.workflowId === earlier.workflowId)) await hooks().removeHistoryEntry(e.key);
    const key = await vscode.commands.executeCommand<string>('civitai.openWorkflowById', earlier.workflowId);
    assert.ok(key);
    const opened = await waitFor('its images', () => {
      const e = entry(key);
      return e && e.images.some((i) => i.localPath && fs.existsSync(i.localPath)) ? e : undefined;
    });
    assert.equal(opened.workflowId, earlier.workflowId);
    assert.equal(opened.submitted, false, 'not ours: its key was never sent as an idempotency key');
    assert.equal(opened.estimate, earlier.estimate, 'estimated from the steps the service ran');
    assert.equal(opened.status, 'succeeded');
    assert.ok(hooks().openPanels().includes(key));
  });

  test('the Civitai view lists the workflows with a status icon each', async () => {
    const rows = hooks().historyTreeItems();
    const entries = hooks().history();
    assert.equal(rows.length, entries.length);
    const iconOf = (status: string) => rows[entries.findIndex((e) => e.status === status)]?.icon;
    assert.equal(iconOf('succeeded'), 'pass');
    assert.equal(iconOf('failed'), 'error');
    assert.equal(iconOf('canceled'), 'circle-slash');
    assert.ok(rows.every((r) => /emulator/.test(r.tooltip ?? '')), 'tooltips say where they ran');
    assert.ok(rows.every((r) => /(?:^| · )(?:now|\d+[mhd] ago)$/.test(r.description ?? '')), `rows say when: ${rows.map((r) => r.description).join(' | ')}`);
    await vscode.commands.executeCommand('workbench.view.extension.civitai');
    await screenshot('history-view', { waitFor: '.monaco-list-row .codicon-pass' });
  });

  test('the token is still nowhere but SecretStorage after all that', async () => {
    assert.ok(hooks().logLines().every((l) => !l.includes(TOKEN)));
    assert.ok(!JSON.stringify(hooks().history()).includes(TOKEN));
    for (const key of hooks().openPanels()) assert.ok(!JSON.stringify(hooks().panelMessages(key)).includes(TOKEN));
    await vscode.commands.executeCommand('civitai.clearApiToken');
    assert.equal(await hooks().hasToken(), false);
  });
});
