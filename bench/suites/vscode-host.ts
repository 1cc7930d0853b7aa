// The extension host in the real VS Code (the e2e host that `npm test` provisions): runs the
// `@perf` e2e measurement (test/e2e/perf.test.ts), which edits the 1000-step bench document and
// reads the host's longest event-loop block while the language server lints each version. Only
// when the host is already provisioned: the bench never downloads it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../lib/builds';

export interface VsCodeHostResult {
  steps: number;
  edits: number;
  /** The host's longest event-loop delay: everything on it (VS Code's own JSON features included) and time the OS gave other processes. */
  hostLongestBlockMs: number;
  hostBlockP99Ms: number;
  /** From a CPU profile of the same edits: our code's longest synchronous stretch on the host, and its CPU time per edit. */
  ourLongestMs: number;
  ourPerEditMs: number;
  vscode: string;
}

export type VsCodeHostMeasurement = VsCodeHostResult | { notMeasured: string };

export function measureInVsCode(log: (line: string) => void): Promise<VsCodeHostMeasurement> {
  const cache = path.resolve(process.env.E2E_CACHE_DIR ?? path.join(REPO_ROOT, '.cache/vscode-server'));
  if (!existsSync(path.join(cache, '.provisioned'))) {
    return Promise.resolve({ notMeasured: `no provisioned VS Code host in ${cache} (\`npm test\` provisions it)` });
  }
  log('extension host in the real VS Code (e2e @perf)…');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/e2e/run-offline.mjs', '--no-build', '--grep', '@perf'],
      { cwd: REPO_ROOT, env: { ...process.env, E2E_CACHE_DIR: cache }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = /\[e2e:perf\] (\{.*\})/.exec(stdout)?.[1];
        if (!line) {
          resolve({ notMeasured: `the @perf run printed no measurement${error ? `: ${error.message.split('\n')[0]}` : ''}${stderr ? ` (${stderr.trim().split('\n').pop()})` : ''}` });
          return;
        }
        const result = JSON.parse(line) as VsCodeHostResult;
        log(`VS Code ${result.vscode}: our longest stretch ${result.ourLongestMs} ms (${result.ourPerEditMs} ms per edit); the whole host's longest block ${result.hostLongestBlockMs} ms over ${result.edits} edits of the ${result.steps}-step file (p99 ${result.hostBlockP99Ms} ms)`);
        resolve(result);
      },
    );
  });
}
