// Entry of the extension-host suite (`extensionTestsPath`). Runs every `*.test.js` bundled next to
// this file (scripts/build.mjs bundles each test/e2e/*.test.ts on its own), with mocha's `tdd` UI
// (suite/test/suiteSetup…). Adding a test file needs no edit here.
//
// Talks to the drivers through log lines: console output of the extension host reaches the driver
// mixed with the workbench's own log, so the suite prints through util's log(), which prefixes
// every line with `[e2e:out] ` (the driver prints those and keeps the rest in a log file). Markers:
//   [e2e:host] {...}      VS Code version and where the extension under test was loaded from
//   [e2e:test] pass|fail <full title>
//   [e2e:plan] {...}      per phase tag, how many tests carry it and match E2E_GREP (the driver
//                         skips a later phase that has nothing to run for a --grep)
//   [e2e:summary] {...}   counts at the end (`total`: tests the filter selected)
// Environment (set by scripts/e2e/run-*.mjs): E2E_GREP (only tests whose full title matches this
// regular expression), E2E_TAG (only tests whose title contains this tag, e.g. `@packaged`),
// E2E_SUMMARY_FILE (also write the summary JSON there, for drivers that cannot read the log).
// A test tagged with a window tag (`@nofolder`) needs a window of its own kind and runs only when
// E2E_TAG is that tag. A measurement tagged `@perf` runs only when E2E_GREP names the tag.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { e2eEnv, EXTENSION_ID, log, screenshot } from './util';

/** Tags of the driver's phases after `development` (scripts/e2e/run-offline.mjs). */
const PHASE_TAGS = ['@packaged', '@nofolder'];
/** Tags of tests that need a window unlike the development one: they run only in their own phase. */
const WINDOW_TAGS = ['@nofolder'];
/** Tags of measurements (`npm run bench` asks for them by --grep): never part of a test run. */
const OPT_IN_TAGS = ['@perf'];

export async function run(): Promise<void> {
  // mocha's reporters print printf-style through the console.log they found at load time; the
  // forwarding to the browser drops those arguments, so they print through log() instead.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const reporterLog = base.consoleLog;
  base.consoleLog = log;
  // Screenshots show the editor and the Problems panel: no secondary side bar (chat) next to them.
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
  try {
    await runMocha();
  } finally {
    base.consoleLog = reporterLog;
  }
}

function runMocha(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000 });
  const grep = testFilter(process.env.E2E_GREP, process.env.E2E_TAG);
  if (grep) mocha.grep(grep);

  // A phase with a tag loads only the files that mention it: the others may need what its window
  // lacks (several resolve test/e2e-workspace files while loading, which a window without a folder
  // cannot do).
  const tag = process.env.E2E_TAG;
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()
    .filter((f) => !tag || fs.readFileSync(path.join(__dirname, f), 'utf8').includes(tag));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  // A failing test leaves a picture of the window behind (test-results/…/failed-<title>.png).
  mocha.suite.afterEach(async function () {
    const current = this.currentTest;
    if (current?.state !== 'failed') return;
    const name = `failed-${current.fullTitle().replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80)}`;
    await screenshot(name, { timeoutMs: 15_000 }).catch((error: unknown) => {
      log(`[e2e] could not take ${name}: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  log(`[e2e:host] ${JSON.stringify({
    vscode: vscode.version,
    extension: extension ? `${extension.packageJSON.version as string} at ${extension.extensionUri.fsPath}` : 'not loaded',
    kind: e2eEnv.extensionKind ?? 'unknown',
    files,
    grep: grep?.source ?? null,
  })}`);

  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let pending = 0;
    const runner = mocha.run(() => {
      const summary = JSON.stringify({ passed, failed, pending, total: runner.total, vscode: vscode.version });
      log(`[e2e:summary] ${summary}`);
      if (process.env.E2E_SUMMARY_FILE) fs.writeFileSync(process.env.E2E_SUMMARY_FILE, summary);
      if (failed > 0) reject(new Error(`${failed} e2e test(s) failed`));
      else if (passed === 0) reject(new Error(`no e2e test ran${grep ? ` (filter ${grep.source})` : ''}`));
      else resolve();
    });
    log(`[e2e:plan] ${JSON.stringify(plan(mocha.suite, process.env.E2E_GREP))}`);
    runner.on('pass', (t) => { passed++; log(`[e2e:test] pass ${t.fullTitle()}`); });
    // 'fail' also fires for hooks: count each failure once, under the hook's or the test's title.
    runner.on('fail', (t) => { failed++; log(`[e2e:test] fail ${t.fullTitle()}`); });
    runner.on('pending', (t) => { pending++; log(`[e2e:test] skip ${t.fullTitle()}`); });
  });
}

/**
 * One regular expression for mocha's grep: every test must contain the tag and match the pattern,
 * and carry no window tag other than the phase's own.
 */
function testFilter(pattern: string | undefined, tag: string | undefined): RegExp | undefined {
  const parts: string[] = [];
  if (tag) parts.push(`(?=.*${escape(tag)})`);
  for (const other of WINDOW_TAGS) if (other !== tag) parts.push(`(?!.*${escape(other)})`);
  for (const optIn of OPT_IN_TAGS) if (!pattern?.includes(optIn)) parts.push(`(?!.*${escape(optIn)})`);
  if (pattern) {
    new RegExp(pattern); // a bad pattern fails here with the regex engine's own message
    parts.push(`(?=.*(?:${pattern}))`);
  }
  return parts.length ? new RegExp(`^${parts.join('')}`) : undefined;
}

/** For each phase tag, how many loaded tests carry it and match `pattern` (all of them without one). */
function plan(root: Mocha.Suite, pattern: string | undefined): Record<string, number> {
  const matches = pattern ? new RegExp(pattern) : undefined;
  const titles: string[] = [];
  const walk = (suite: Mocha.Suite): void => {
    for (const t of suite.tests) titles.push(t.fullTitle());
    suite.suites.forEach(walk);
  };
  walk(root);
  return Object.fromEntries(PHASE_TAGS.map((tag) => [tag, titles.filter((t) => t.includes(tag) && (!matches || matches.test(t))).length]));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
