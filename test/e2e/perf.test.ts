// A measurement, not a test of behaviour: `npm run bench` runs it (by --grep @perf; test runs leave
// it out) to time the real extension host, with the real language client, while the language
// server lints the bench's 1000-step document after each edit. It prints one `[e2e:perf]` line:
// the host's longest event-loop block over the edits (perf_hooks: everything on the host, VS Code's
// own JSON features included), and from a CPU profile of the same edits the longest run of our
// own code (the extension and its language client bundles) and its time per edit, which the
// bench reports against its budget. Its asserts only check that the edits were linted and shown.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as path from 'node:path';
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
const SAMPLE_US = 100;
const GAP_US = 4 * SAMPLE_US;
/** Our code on the host: the extension bundle and the language client bundle. */
const OUR_BUNDLES = /\/dist\/(?:extension|lsp-client|contract|image-gen-leaves|import-params|sweep|emulator-lib)\.js$/;

const round = (x: number) => Math.round(x * 10) / 10;

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * From a CPU profile: the longest run of consecutive samples with our code on the stack (one
 * synchronous stretch of ours) and our total, in µs. Decoding the server's messages happens in
 * Node's IPC channel below any frame of ours, so it is not counted here (the bench's keystroke
 * child, which runs nothing else, includes it).
 */
function ourCode(profile: CpuProfile): { longestUs: number; totalUs: number } {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const isOurs = new Map<number, boolean>();
  const ours = (id: number): boolean => {
    const known = isOurs.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const p = parent.get(id);
    const value = OUR_BUNDLES.test(node.callFrame.url) || (p !== undefined && ours(p));
    isOurs.set(id, value);
    return value;
  };
  let longestUs = 0;
  let totalUs = 0;
  let run = 0;
  profile.samples.forEach((id, i) => {
    // A sample's time delta is the time since the previous sample. A long one is a gap (the
    // process was not running: another process had the core), not time in this frame: it counts
    // as one interval, so a busy machine does not lengthen our stretches.
    const dt = Math.min(profile.timeDeltas[i] ?? 0, GAP_US);
    if (ours(id)) {
      run += dt;
      totalUs += dt;
      longestUs = Math.max(longestUs, run);
    } else {
      run = 0;
    }
  });
  return { longestUs, totalUs };
}

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

    // A CPU profile of the host over the measured edits (E2E_PERF_PROFILE=<file> keeps it).
    const profileTo = process.env.E2E_PERF_PROFILE;
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLE_US });
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    let shown = 0;
    for (let i = 0; i < WARMUP + EDITS; i++) {
      if (i === WARMUP) {
        loop.reset();
        await session.post('Profiler.start');
      }
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
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    if (profileTo) {
      fs.mkdirSync(path.dirname(profileTo), { recursive: true });
      fs.writeFileSync(profileTo, JSON.stringify(profile));
    }
    const ours = ourCode(profile as CpuProfile);
    assert.equal(shown, EDITS, 'every measured edit was linted and its lenses drawn');
    log(`[e2e:perf] ${JSON.stringify({
      steps: STEPS,
      edits: EDITS,
      hostLongestBlockMs: Math.round((loop.max / 1e6) * 10) / 10,
      hostBlockP99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10,
      ourLongestMs: round(ours.longestUs / 1000),
      ourPerEditMs: round(ours.totalUs / 1000 / EDITS),
      vscode: vscode.version,
    })}`);
  });
});
