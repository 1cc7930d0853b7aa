// The scripted part of `npm run demo`, run inside the VS Code extension host (as the test entry
// of a development window): switch to the local emulator, create a workflow from a template, read
// its estimate, preview the exact cost, submit it, wait for the images and show the results
// panel. Talks to scripts/demo.mjs through prefixed console lines (screenshots, progress, summary).
import * as vscode from 'vscode';
import type { CivitaiApi } from '../../src/extension/extension';

const PREFIX = '[civitai-demo] ';
const say = (text: string) => console.log(PREFIX + text);

function shoot(name: string): Promise<void> {
  // The driver takes the picture and answers by creating `<name>.done` next to it.
  const dir = process.env.DEMO_SHOTS;
  if (!dir) return Promise.resolve();
  say(`screenshot ${name}`);
  const done = vscode.Uri.file(`${dir}/${name}.done`);
  const deadline = Date.now() + 30_000;
  return new Promise((resolve) => {
    const poll = async () => {
      try {
        await vscode.workspace.fs.stat(done);
        resolve();
      } catch {
        if (Date.now() > deadline) resolve();
        else setTimeout(poll, 150);
      }
    };
    void poll();
  });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('civitai-workflows.civitai-workflows');
  if (!extension) throw new Error('the Civitai Workflows extension is not loaded');
  const api = (await extension.activate()) as CivitaiApi;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('the demo needs its workspace folder open');

  // A calmer picture: no secondary side bar.
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
  const url = await vscode.commands.executeCommand<string>('civitai.useLocalEmulator');
  say(`1. Use Local Emulator → ${url}`);

  const file = await vscode.commands.executeCommand<vscode.Uri>('civitai.newWorkflow', {
    templateId: 'sdxl-sdcpp-createImage', fileName: 'lighthouse.civitai.json', folder,
  });
  if (!file) throw new Error('New Workflow… created no file');
  const document = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(document);
  // Four images make a gallery.
  const at = document.getText().indexOf('"quantity": 1');
  if (at >= 0) {
    await editor.edit((e) => e.replace(new vscode.Range(document.positionAt(at), document.positionAt(at + '"quantity": 1'.length)), '"quantity": 4'));
    await document.save();
  }
  say(`2. New Workflow… → ${vscode.workspace.asRelativePath(file)} (SDXL, text-to-image, sdcpp, quantity 4)`);

  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
  const estimate = lenses.map((l) => l.command?.title).find((t) => t?.startsWith('≈'));
  say(`3. CodeLens estimate: ${estimate ?? '(none)'}; status bar: ${api.testing.statusBar().cost ?? ''}`);
  // The editor refreshes its lenses on its own schedule after the edit: give it a moment.
  await new Promise((r) => setTimeout(r, 1500));
  await shoot('demo-1-workflow');

  const preview = await vscode.commands.executeCommand<{ total: number; currencies: Record<string, number> }>('civitai.previewCost', file);
  say(`4. Preview Cost (whatif) → ${preview ? `${preview.total} Buzz ${JSON.stringify(preview.currencies)}` : 'no answer'}`);

  const key = await vscode.commands.executeCommand<string>('civitai.submitWorkflow', file);
  if (!key) throw new Error('Submit Workflow sent nothing');
  say(`5. Submit Workflow → idempotency key ${key} saved before sending`);
  const final = await until('the workflow to end', () => {
    const e = api.testing.history().find((x) => x.key === key);
    return e && ['succeeded', 'failed', 'expired', 'canceled', 'rejected'].includes(e.status) ? e : undefined;
  });
  say(`6. Workflow ${final.workflowId} ${final.status}: ${final.timeline.map((t) => t.status).join(' → ')}`);
  const saved = await until('the images on disk', () => {
    const e = api.testing.history().find((x) => x.key === key);
    const images = e?.images.filter((i) => i.localPath) ?? [];
    return images.length >= 4 || final.status !== 'succeeded' ? images : undefined;
  });
  for (const image of saved) say(`   saved ${vscode.workspace.asRelativePath(vscode.Uri.file(image.localPath!))}`);

  await vscode.commands.executeCommand('civitai.openResults', key);
  await until('the gallery to display its images', () => {
    const log = api.testing.panelMessages(key);
    return log.some((m) => (m.message as { type?: string; loaded?: number }).type === 'rendered' && ((m.message as { loaded?: number }).loaded ?? 0) >= saved.length) ? true : undefined;
  }, 20_000).catch(() => undefined);
  await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  const state = api.testing.panelState(key);
  say(`7. Results panel: ${state?.images.length ?? 0} images; cost: estimate ${state?.cost.estimate ?? '?'}, quoted ${state?.cost.whatif?.total ?? '—'}, charged ${state?.cost.charged?.total ?? '—'} Buzz`);
  await shoot('demo-2-results');
  say(`done ${JSON.stringify({
    status: final.status, workflowId: final.workflowId, images: saved.length, gallery: state?.images.length ?? 0,
    estimate: state?.cost.estimate ?? null, charged: state?.cost.charged?.total ?? null,
  })}`);
}
