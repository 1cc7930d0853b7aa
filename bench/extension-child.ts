// Runs in its own Node process (bundled by the bench with esbuild, no tsx in the way): installs the
// `vscode` stand-in, loads a built extension bundle, activates it and plays the editor.
//   cold:      require + activate, then open one workflow and time its first lint (schema load
//              and compile included); counts reads of the schema file at each stage.
//   keystroke: edits one value in an open document again and again; times each change until the
//              diagnostics are published and the CodeLenses recomputed, with the debounce set to 0;
//              then checks the debounce coalesces a burst and that other documents stay untouched.
//   require:   only loads the bundle, for comparing what bundle variants cost to evaluate.
// Prints one JSON line on stdout.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import { createFakeVscode, FakeTextDocument, Uri, type FakeVscodeHarness } from './fake-vscode';
import { benchDocument } from './generate';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { lspClientStandIn } from './lsp-client-standin';

const LSP_CLIENT = 'civitai-lsp-client-standin';
/** CodeLenses VS Code resolves per change: those of one screen (~50 lines, two per step). */
const VISIBLE_LENSES = 40;

export interface ColdConfig {
  mode: 'cold';
  bundle: string;
  root: string;
  steps: number;
}

export interface KeystrokeConfig {
  mode: 'keystroke';
  bundle: string;
  root: string;
  steps: number;
  /** The step whose seed is edited. */
  editStep: number;
  warmup: number;
  minSamples: number;
  maxSamples: number;
  budgetMs: number;
  /** The debounce the extension uses when the setting is absent (checked with a burst). */
  burst: { keystrokes: number; intervalMs: number };
}

/** Only loads the bundle (module evaluation, no activate): for comparing bundle variants. */
export interface RequireConfig {
  mode: 'require';
  bundle: string;
}

export type ChildConfig = ColdConfig | KeystrokeConfig | RequireConfig;

export interface ColdResult {
  requireMs: number;
  activateMs: number;
  activationMs: number;
  schemaReadsAtActivation: number;
  firstLintMs: number;
  schemaReadsAfterFirstLint: number;
  /** Other bundles of the bundle's folder (the lazily required parts) loaded by activation. */
  bundlesAtActivation: string[];
  /** … and by the end of the first lint. */
  bundlesAfterFirstLint: string[];
  findings: number;
  unknownApi: string[];
}

export interface KeystrokeSample {
  /** The synchronous part of the change event (what blocks the extension host). */
  changeEventMs: number;
  /** Change event → DiagnosticCollection.set (includes one timer hop with debounce 0). */
  diagnosticsMs: number;
  /** onDidLint listeners (status bar cost, preview) that run after the diagnostics are set. */
  listenersMs: number;
  /** Every registered CodeLens provider's provideCodeLenses on the new version, and the resolve of a screen's worth. */
  codeLensMs: number;
  totalMs: number;
  lenses: number;
}

export interface KeystrokeResult {
  samples: KeystrokeSample[];
  bytes: number;
  /** Event-loop delay max (perf_hooks) over the measured edits: the host's longest synchronous block. */
  hostLongestBlockMs: number;
  diagnostics: number;
  /** Publishes for another open workflow file while only this one changed (want 0). */
  otherDocumentPublishes: number;
  /** Publishes caused by changes to a file that is not a workflow (want 0). */
  nonWorkflowPublishes: number;
  burst: { keystrokes: number; intervalMs: number; publishes: number; lastKeystrokeToDiagnosticsMs: number };
  schemaReads: number;
  unknownApi: string[];
}

const nodeRequire = createRequire(__filename);

function installFake(): { harness: FakeVscodeHarness; schemaReads: () => number } {
  const harness = createFakeVscode();
  const Module = nodeRequire('node:module') as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
    new (id: string): { exports: unknown; loaded: boolean; filename: string };
  };
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    if (request === 'vscode') return 'vscode';
    // The language client bundle the extension loads with the first workflow file (see lsp-client-standin.ts).
    if (path.basename(request) === 'lsp-client.js') return LSP_CLIENT;
    return resolve.call(this, request, ...rest);
  };
  for (const [id, exports] of [['vscode', harness.api], [LSP_CLIENT, lspClientStandIn(harness.api as never)]] as const) {
    const fake = new Module(id);
    fake.exports = exports;
    fake.loaded = true;
    fake.filename = id;
    Module._cache[id] = fake;
  }

  // Count reads of the schema file: activation must not read it; the first lint reads it once.
  const fs = nodeRequire('node:fs') as { readFileSync: (...args: unknown[]) => unknown };
  const readFileSync = fs.readFileSync;
  let reads = 0;
  fs.readFileSync = function (this: unknown, ...args: unknown[]) {
    if (String(args[0]).endsWith('workflow.schema.json')) reads++;
    return readFileSync.apply(this, args);
  };
  return { harness, schemaReads: () => reads };
}

function activateBundle(harness: FakeVscodeHarness, config: { bundle: string; root: string }): { requireMs: number; activateMs: number } {
  const t0 = performance.now();
  const extension = nodeRequire(config.bundle) as { activate(context: unknown): unknown };
  const t1 = performance.now();
  extension.activate(harness.createExtensionContext(config.root));
  const t2 = performance.now();
  return { requireMs: t1 - t0, activateMs: t2 - t1 };
}

/** File names of the modules loaded from the folder of `bundle`, other than the bundle itself. */
function siblingBundlesLoaded(bundle: string): string[] {
  const dir = path.dirname(bundle);
  return Object.keys(nodeRequire.cache).filter((f) => path.dirname(f) === dir && f !== bundle).map((f) => path.basename(f)).sort();
}

function workflowDocument(name: string, text: string): FakeTextDocument {
  return new FakeTextDocument(Uri.file(`/bench/workspace/${name}`), 1, text);
}

async function cold(config: ColdConfig): Promise<ColdResult> {
  const { harness, schemaReads } = installFake();
  const { requireMs, activateMs } = activateBundle(harness, config);
  const readsAtActivation = schemaReads();
  const bundlesAtActivation = siblingBundlesLoaded(config.bundle);
  const doc = workflowDocument('cold.civitai.json', benchDocument(config.steps).text);
  const published = harness.nextPublish(doc.uri);
  const t0 = performance.now();
  harness.open(doc);
  const record = await published;
  return {
    requireMs,
    activateMs,
    activationMs: requireMs + activateMs,
    schemaReadsAtActivation: readsAtActivation,
    firstLintMs: record.at - t0,
    schemaReadsAfterFirstLint: schemaReads(),
    bundlesAtActivation,
    bundlesAfterFirstLint: siblingBundlesLoaded(config.bundle),
    findings: record.count,
    unknownApi: [...harness.unknownApi].sort(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function keystroke(config: KeystrokeConfig): Promise<KeystrokeResult> {
  const { harness, schemaReads } = installFake();
  harness.settings.set('civitai.lint.debounceMs', 0);
  activateBundle(harness, config);

  const generated = benchDocument(config.steps);
  let doc = workflowDocument('keystroke.civitai.json', generated.text);
  const other = workflowDocument('other.civitai.json', benchDocument(10).text);
  const plain = new FakeTextDocument(Uri.file('/bench/workspace/package.json'), 1, '{ "name": "x" }');
  harness.open(other);
  harness.open(plain);
  const opened = harness.nextPublish(doc.uri);
  harness.open(doc);
  harness.setActive(doc);
  const first = await opened;

  const root = parseTree(generated.text);
  const seedNode = root && findNodeAtLocation(root, ['steps', config.editStep, 'input', 'seed']);
  if (!seedNode) throw new Error(`step ${config.editStep} has no seed to edit`);
  const seed = Number(seedNode.value);
  // Alternate between two values of the same length so every edit is a real change.
  const textWithSeed = (n: number) => generated.text.slice(0, seedNode.offset) + String(n) + generated.text.slice(seedNode.offset + seedNode.length);
  const variants = [textWithSeed(seed % 2 === 0 ? seed + 1 : seed - 1), generated.text];
  // Both variants differ only there: the change VS Code reports for the edit (same length, so same range).
  const seedRange = { start: doc.positionAt(seedNode.offset), end: doc.positionAt(seedNode.offset + seedNode.length) };
  const editOf = (text: string) => [{ range: seedRange, rangeOffset: seedNode.offset, rangeLength: seedNode.length, text: text.slice(seedNode.offset, seedNode.offset + seedNode.length) }];

  const countFor = (uri: Uri) => harness.published.filter((p) => p.uri === uri.toString()).length;
  const otherBefore = countFor(other.uri);
  const plainBefore = countFor(plain.uri);

  const samples: KeystrokeSample[] = [];
  // The longest the host's event loop was held at once while the edits were linted and shown.
  // (From the first measured edit: the warm-up edits pay for first-use compilation.)
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const started = performance.now();
  for (let i = 0; i < config.warmup + config.maxSamples; i++) {
    const measured = i - config.warmup;
    if (measured >= config.minSamples && performance.now() - started > config.budgetMs) break;
    if (measured === 0) loop.reset();
    doc = doc.withText(variants[i % 2]);
    const published = harness.nextPublish(doc.uri);
    const t0 = performance.now();
    harness.change(doc, editOf(variants[i % 2]));
    const tChange = performance.now();
    const record = await published;
    const tListeners = performance.now();
    let lenses = 0;
    for (const provider of harness.codeLensProviders) {
      const result = await provider.provideCodeLenses(doc, harness.cancellationToken);
      if (!Array.isArray(result)) continue;
      lenses += result.length;
      // VS Code resolves the lenses on screen: about a screen's worth.
      if (provider.resolveCodeLens) for (const lens of result.slice(0, VISIBLE_LENSES)) await provider.resolveCodeLens(lens, harness.cancellationToken);
    }
    const t2 = performance.now();
    if (measured >= 0) {
      samples.push({
        changeEventMs: tChange - t0,
        diagnosticsMs: record.at - t0,
        listenersMs: tListeners - record.at,
        codeLensMs: t2 - tListeners,
        totalMs: t2 - t0,
        lenses,
      });
    }
    // A plain file changing in between must not cause any lint.
    if (i === 0) harness.change(plain.withText('{ "name": "y" }'));
  }
  loop.disable();
  const hostLongestBlockMs = loop.max / 1e6;
  const otherDocumentPublishes = countFor(other.uri) - otherBefore;
  const nonWorkflowPublishes = countFor(plain.uri) - plainBefore;

  // The default debounce: a burst of keystrokes must give one lint, after the last keystroke.
  harness.setSetting('civitai.lint.debounceMs', undefined);
  // The setting reaches the server as a notification: let it go out before the first keystroke.
  await sleep(50);
  const before = countFor(doc.uri);
  let lastKeystroke = 0;
  for (let i = 0; i < config.burst.keystrokes; i++) {
    doc = doc.withText(variants[i % 2]);
    lastKeystroke = performance.now();
    harness.change(doc, editOf(variants[i % 2]));
    if (i < config.burst.keystrokes - 1) await sleep(config.burst.intervalMs);
  }
  const settled = await harness.nextPublish(doc.uri);
  await sleep(50);
  return {
    samples,
    bytes: generated.text.length,
    hostLongestBlockMs,
    diagnostics: first.count,
    otherDocumentPublishes,
    nonWorkflowPublishes,
    burst: { ...config.burst, publishes: countFor(doc.uri) - before, lastKeystrokeToDiagnosticsMs: settled.at - lastKeystroke },
    schemaReads: schemaReads(),
    unknownApi: [...harness.unknownApi].sort(),
  };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  let result: unknown;
  if (config.mode === 'require') {
    installFake();
    const t0 = performance.now();
    nodeRequire(config.bundle);
    result = { requireMs: performance.now() - t0 };
  } else {
    result = config.mode === 'cold' ? await cold(config) : await keystroke(config);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  // Timers the extension left (history resume, watchers) must not keep the sample alive.
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
