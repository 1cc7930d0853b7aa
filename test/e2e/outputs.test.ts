// Outputs beyond images, end to end in a real VS Code on the in-process emulator: an image made
// into a video through `$ref` (imageGen → videoGen), the video saved and played in the results
// panel (the webview reports its loaded metadata), and a chat answer shown as text with Copy.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';
import type { HistoryEntry } from '../../src/core/history';
import { closeAllEditors, hasDriver, inspect, log, ourExtension, screenshot, waitFor, workspaceUri } from './util';

let api: CivitaiApi;
let wasEmulator = false;
const hooks = (): CivitaiApi['testing'] => api.testing;
const entry = (key: string): HistoryEntry | undefined => hooks().history().find((e) => e.key === key);

async function submit(name: string): Promise<string> {
  await vscode.commands.executeCommand('civitai.useLocalEmulator');
  const document = await vscode.workspace.openTextDocument(workspaceUri(`outputs/${name}`));
  await vscode.window.showTextDocument(document, { preview: false });
  const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', document.uri);
  assert.ok(key, 'the submission has a history key');
  const done = await waitFor(() => `${name} to finish (now ${entry(key)?.status}; ${entry(key)?.lastError ?? ''})`, () => {
    const e = entry(key);
    return e && ['succeeded', 'failed', 'canceled', 'expired', 'rejected'].includes(e.status) ? e : undefined;
  }, { timeoutMs: 60_000, intervalMs: 200 });
  assert.equal(done.status, 'succeeded', done.lastError);
  return key;
}

/** The panel alone in a maximised editor group, for the picture. */
async function picture(key: string, name: string, drawn: string): Promise<void> {
  await closeAllEditors();
  await vscode.commands.executeCommand('civitai.openResults', key);
  await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
  // The reopened panel has drawn its outputs once it sends this message type.
  await waitFor(`the reopened panel to send "${drawn}"`, () => hooks().panelMessages(key).some((m) => (m.message as { type?: string }).type === drawn));
  try {
    const file = await screenshot(name, { waitFor: 'iframe.webview.ready' });
    if (file) log(`${name} screenshot: ${file}`);
  } finally {
    await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  }
}

suite('outputs beyond images (emulator)', function () {
  this.timeout(150_000);

  suiteSetup(async () => {
    api = (await ourExtension().activate()) as CivitaiApi;
    wasEmulator = hooks().service().kind === 'emulator';
    await vscode.workspace.getConfiguration('civitai').update('wait', 0, vscode.ConfigurationTarget.Global);
    // No token: the emulator needs none, and other suites expect a fresh profile.
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    // Leave the service as the other suites expect it: Civitai, not the emulator.
    if (!wasEmulator) await hooks().stopEmulator();
    await vscode.workspace.getConfiguration('civitai').update('wait', undefined, vscode.ConfigurationTarget.Global);
  });

  test('imageGen → videoGen from the image: the MP4 is saved and the panel plays it', async () => {
    const key = await submit('image-to-video.civitai.json');
    const file = await waitFor('the video saved to disk', () => {
      const f = entry(key)?.files?.find((x) => x.type === 'video' && x.localPath && fs.existsSync(x.localPath));
      return f ? f.localPath : undefined;
    });
    assert.ok(file!.startsWith(hooks().resultsFolder()), `${file} is under the results folder`);
    assert.match(file!, /\.mp4$/);
    assert.equal(fs.readFileSync(file!).subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4 file');
    assert.ok(entry(key)!.images.some((i) => i.localPath && fs.existsSync(i.localPath)), 'the source image is saved too');

    await vscode.commands.executeCommand('civitai.openResults', key);
    const state = await waitFor('the panel state with a saved video', () => {
      const s = hooks().panelState(key);
      const video = s?.outputs?.find((o) => o.kind === 'video');
      return video?.state === 'saved' && video.src ? s : undefined;
    });
    const video = state.outputs!.find((o) => o.kind === 'video')!;
    assert.equal(video.stepName, 'clip');
    assert.equal(state.images.length, 1, 'the still stays in the gallery');
    // The webview's <video> loaded the file's metadata: CSP media-src and the resource roots let it in.
    const report = await waitFor('the webview to report the video\'s metadata', () => [...hooks().panelMessages(key)].reverse()
      .map((m) => m.message as { type?: string; key?: string; loaded?: boolean; duration?: number | null; width?: number | null; height?: number | null; error?: string | null })
      .find((m) => m.type === 'media' && m.key === video.key));
    assert.equal(report.loaded, true, `the video loaded: ${JSON.stringify(report)}`);
    assert.ok(Math.abs((report.duration ?? 0) - 3) < 0.2, `a 3 s clip: ${report.duration}`);
    assert.deepEqual([report.width, report.height], [video.width, video.height], 'the decoder sees the size the service reported');
    assert.ok((report.width ?? 0) > (report.height ?? 0), 'landscape, like its source image');
    await picture(key, 'results-video', 'media');
  });

  test('a chatCompletion answer is shown as text, and Copy puts it on the clipboard; a spoken version plays as audio', async () => {
    const key = await submit('chat.civitai.json');
    await vscode.commands.executeCommand('civitai.openResults', key);
    const state = await waitFor('the answer in the panel state', () => {
      const s = hooks().panelState(key);
      return s?.outputs?.some((o) => o.kind === 'text') ? s : undefined;
    });
    const answer = state.outputs!.find((o) => o.kind === 'text')!;
    assert.equal(answer.label, 'Answer');
    assert.match(answer.text ?? '', /lighthouse at dusk/, 'the answer quotes the question');
    assert.ok(state.outputs!.some((o) => o.kind === 'json' && o.stepName === 'ask'), 'the whole output is there too, folded');
    assert.equal(state.images.length, 0);
    await hooks().panelMessage(key, { type: 'output', action: 'copyText', key: answer.key });
    assert.equal(await vscode.env.clipboard.readText(), answer.text);
    // The textToSpeech step's WAV is saved and its <audio> player loads it.
    const audio = await waitFor('the saved audio in the panel state', () => hooks().panelState(key)?.outputs?.find((o) => o.kind === 'audio' && o.state === 'saved'));
    const heard = await waitFor('the webview to report the audio\'s metadata', () => hooks().panelMessages(key)
      .map((m) => m.message as { type?: string; key?: string; loaded?: boolean; duration?: number | null })
      .find((m) => m.type === 'media' && m.key === audio.key));
    assert.equal(heard.loaded, true, JSON.stringify(heard));
    assert.ok(Math.abs((heard.duration ?? 0) - (audio.duration ?? -1)) < 0.05, `the player and the service agree on the length: ${heard.duration} vs ${audio.duration}`);
    await picture(key, 'results-text', 'rendered');
    if (hasDriver()) {
      // No images in this run: the emulator badge speaks of outputs.
      const [row] = (await inspect('title-row', { within: `body[data-key="${key}"]`, select: '.title-row' }))!;
      assert.match(row.text, /Emulator · placeholder outputs/);
    }
  });
});
