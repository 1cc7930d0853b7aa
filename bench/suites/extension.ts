// The extension as the editor runs it, outside an editor: each cold-start sample is a fresh Node
// process that requires a built bundle with the `vscode` stand-in, activates it and lints one
// file; the keystroke run edits one value of the 100-step document repeatedly in one process.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ColdResult, KeystrokeConfig, KeystrokeResult } from '../extension-child';
import { REPO_ROOT } from '../lib/builds';
import { roundSummary, summarize, type Summary } from '../lib/stats';

export interface BundleUnderTest {
  label: string;
  /** Absolute path of extension.js. */
  bundle: string;
  /** The folder that plays the installed extension (schemas/ is found from there). */
  root: string;
}

export interface ColdStartResult {
  label: string;
  samples: number;
  requireMs: Summary;
  activateMs: Summary;
  activationMs: Summary;
  firstLintMs: Summary;
  firstLintSteps: number;
  schemaReadsAtActivation: number;
  schemaReadsAfterFirstLint: number;
  /** Lazily required bundles loaded by activation in any sample (want none). */
  bundlesAtActivation: string[];
  /** … and by the first lint (in every sample). */
  bundlesAfterFirstLint: string[];
  unknownApi: string[];
}

export interface KeystrokeSuiteResult {
  steps: number;
  editedStep: number;
  samples: number;
  changeEventMs: Summary;
  diagnosticsMs: Summary;
  listenersMs: Summary;
  codeLensMs: Summary;
  totalMs: Summary;
  /** The host event loop's longest delay over the measured edits (perf_hooks max): its longest synchronous block. */
  hostLongestBlockMs: number;
  lenses: number;
  diagnostics: number;
  debounceMsDefault: number;
  otherDocumentPublishes: number;
  nonWorkflowPublishes: number;
  burst: KeystrokeResult['burst'];
  schemaReads: number;
  unknownApi: string[];
}

export function runChild<T>(child: string, config: object, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [child, JSON.stringify(config)], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`extension child failed: ${error.message}\n${stderr}`));
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`extension child printed no result: ${stdout}\n${stderr}`));
      }
    });
  });
}

export async function coldStart(child: string, target: BundleUnderTest, samples: number, steps: number, log: (line: string) => void): Promise<ColdStartResult> {
  const results: ColdResult[] = [];
  for (let i = 0; i < samples; i++) {
    results.push(await runChild<ColdResult>(child, { mode: 'cold', bundle: target.bundle, root: target.root, steps }, 120_000));
  }
  const pick = (f: (r: ColdResult) => number) => roundSummary(summarize(results.map(f)));
  const out: ColdStartResult = {
    label: target.label,
    samples,
    requireMs: pick((r) => r.requireMs),
    activateMs: pick((r) => r.activateMs),
    activationMs: pick((r) => r.activationMs),
    firstLintMs: pick((r) => r.firstLintMs),
    firstLintSteps: steps,
    schemaReadsAtActivation: Math.max(...results.map((r) => r.schemaReadsAtActivation)),
    schemaReadsAfterFirstLint: Math.max(...results.map((r) => r.schemaReadsAfterFirstLint)),
    bundlesAtActivation: [...new Set(results.flatMap((r) => r.bundlesAtActivation))].sort(),
    bundlesAfterFirstLint: results[0]?.bundlesAfterFirstLint.filter((b) => results.every((r) => r.bundlesAfterFirstLint.includes(b))) ?? [],
    unknownApi: [...new Set(results.flatMap((r) => r.unknownApi))].sort(),
  };
  log(`cold start (${target.label}, ${steps}-step file): activation ${out.activationMs.median} ms (require ${out.requireMs.median}), first lint ${out.firstLintMs.median} ms`);
  return out;
}

/** The debounce default the manifest declares for `civitai.lint.debounceMs`. */
export function manifestDebounceDefault(): number {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } | Array<{ properties?: Record<string, { default?: unknown }> }> };
  };
  const configuration = manifest.contributes?.configuration;
  const blocks = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  for (const b of blocks) {
    const value = b.properties?.['civitai.lint.debounceMs']?.default;
    if (typeof value === 'number') return value;
  }
  return NaN;
}

export async function keystrokes(
  child: string,
  target: BundleUnderTest,
  plan: Omit<KeystrokeConfig, 'mode' | 'bundle' | 'root'>,
  log: (line: string) => void,
): Promise<KeystrokeSuiteResult> {
  const r = await runChild<KeystrokeResult>(child, { mode: 'keystroke', bundle: target.bundle, root: target.root, ...plan }, plan.budgetMs * 4 + 120_000);
  const pick = (f: (s: KeystrokeResult['samples'][number]) => number) => roundSummary(summarize(r.samples.map(f)));
  const out: KeystrokeSuiteResult = {
    steps: plan.steps,
    editedStep: plan.editStep,
    samples: r.samples.length,
    changeEventMs: pick((s) => s.changeEventMs),
    diagnosticsMs: pick((s) => s.diagnosticsMs),
    listenersMs: pick((s) => s.listenersMs),
    codeLensMs: pick((s) => s.codeLensMs),
    totalMs: pick((s) => s.totalMs),
    hostLongestBlockMs: Math.round(r.hostLongestBlockMs * 10) / 10,
    lenses: r.samples[0]?.lenses ?? 0,
    diagnostics: r.diagnostics,
    debounceMsDefault: manifestDebounceDefault(),
    otherDocumentPublishes: r.otherDocumentPublishes,
    nonWorkflowPublishes: r.nonWorkflowPublishes,
    burst: r.burst,
    schemaReads: r.schemaReads,
    unknownApi: r.unknownApi,
  };
  log(`keystroke (${plan.steps} steps, ${target.label}): diagnostics ${out.diagnosticsMs.median} ms, CodeLens ${out.codeLensMs.median} ms, total ${out.totalMs.median} ms, host's longest block ${out.hostLongestBlockMs} ms (${out.samples} samples)`);
  return out;
}
