#!/usr/bin/env node
// @ts-check
// Runs the same extension-host suite (out/test/e2e) in a desktop VS Code downloaded by
// @vscode/test-electron, for machines that can reach update.code.visualstudio.com. The offline
// host (scripts/e2e/run-offline.mjs) is what `npm test` uses; see docs/e2e.md.
//
//   npm run test:electron                        (builds first, then runs the whole suite)
//   npm run test:electron -- --grep "completion"
//
// Environment: E2E_VSCODE_VERSION (default `stable`; e.g. `1.95.0` for the engines floor),
// E2E_GREP. On a Linux machine without a display run it under `xvfb-run -a`.
// No screenshots here: the tests' screenshot() calls log that no driver took them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: flags } = parseArgs({ options: { grep: { type: 'string', short: 'g' } } });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'civitai-e2e-electron-'));
const summaryFile = path.join(tmp, 'summary.json');
// A copy of the workspace: whatever a test edits or saves cannot touch the repository's files.
const workspace = path.join(tmp, 'workspace');
fs.cpSync(path.join(ROOT, 'test/e2e-workspace'), workspace, { recursive: true });
let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.E2E_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out/test/e2e/index.js'),
    extensionTestsEnv: {
      E2E_GREP: flags.grep ?? process.env.E2E_GREP ?? '',
      E2E_EXTENSION_KIND: 'development',
      E2E_EXTENSION_ROOT: ROOT,
      E2E_PROJECT_ROOT: ROOT,
      E2E_SUMMARY_FILE: summaryFile,
    },
    launchArgs: [
      workspace,
      '--disable-workspace-trust',
      '--skip-welcome',
      '--user-data-dir', path.join(tmp, 'data'),
      '--extensions-dir', path.join(tmp, 'ext'),
    ],
  });
} catch (error) {
  console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
}
/** @type {{ passed?: number, failed?: number, pending?: number, vscode?: string }} */
let summary = {};
try { summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')); } catch { /* the suite did not finish */ }
fs.rmSync(tmp, { recursive: true, force: true });
const problem = exitCode !== 0 && !summary.failed ? 1 : 0;
console.log(`[e2e] VS Code ${summary.vscode ?? 'unknown (the suite did not finish)'}`);
if (summary.pending) console.log(`e2e: ${summary.pending} skipped (not counted as passed)`);
console.log(`e2e: ${summary.passed ?? 0} passed, ${(summary.failed ?? 0) + problem} failed`);
process.exit(exitCode === 0 && (summary.passed ?? 0) > 0 ? 0 : 1);
