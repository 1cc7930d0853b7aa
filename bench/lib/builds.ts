// Builds the bench needs without touching the work tree's dist/: the production bundles (the
// project's own scripts/build.mjs --production, run in a scratch folder whose src/, test/,
// scripts/, schemas/ and node_modules/ are links to the real ones), an esbuild metafile of the
// extension bundle to see what its bytes are, and the child-process harness bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { lazyModulesPlugin } from '../../scripts/lazy-modules.mjs';

/** The repository (the bench runs as a bundle from a scratch folder, so run.ts passes it on). */
export const REPO_ROOT = process.env.CIVITAI_BENCH_REPO ?? path.resolve(__dirname, '..', '..');
const LINKED = ['src', 'test', 'scripts', 'schemas', 'node_modules', 'package.json', 'tsconfig.json', 'media'];

export interface BundleSize {
  bytes: number;
  gzipBytes: number;
}

export interface ProductionBuild {
  /** Scratch folder laid out like the repository, with dist/ holding the minified bundles. */
  root: string;
  buildMs: number;
  sizes: Record<string, BundleSize>;
  cleanup(): void;
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function productionBuild(): ProductionBuild {
  const root = scratchDir('civitai-bench-build-');
  const links: string[] = [];
  for (const name of LINKED) {
    const target = path.join(REPO_ROOT, name);
    if (!existsSync(target)) continue;
    const link = path.join(root, name);
    symlinkSync(target, link);
    links.push(link);
  }
  const cleanup = (): void => {
    // Remove the links first, so nothing can ever recurse into the real folders.
    for (const link of links) unlinkSync(link);
    rmSync(root, { recursive: true, force: true });
  };
  const started = performance.now();
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    cleanup();
    throw e;
  }
  const buildMs = performance.now() - started;
  const sizes: Record<string, BundleSize> = {};
  const dist = path.join(root, 'dist');
  const collect = (dir: string, prefix: string): void => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      const full = path.join(dir, f);
      if (statSync(full).isDirectory()) collect(full, `${prefix}${f}/`);
      else if (f.endsWith('.js')) sizes[`${prefix}${f}`] = sizeOf(full);
    }
  };
  collect(dist, '');
  return {
    root,
    buildMs,
    sizes,
    cleanup,
  };
}

export function sizeOf(file: string): BundleSize {
  const bytes = readFileSync(file);
  return { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

export interface CompositionEntry {
  /** A package under node_modules, or a folder of src/. */
  part: string;
  bytes: number;
}

/**
 * Where the minified extension bundle's bytes come from. The options mirror scripts/build.mjs
 * (node bundle, cjs, ESM builds of packages first, vscode external, the lazily required parts
 * replaced by their stubs); only the metafile is new.
 */
export async function extensionComposition(): Promise<{ total: number; parts: CompositionEntry[] }> {
  const result = await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['src/extension/extension.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['vscode'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: 'extension.js',
    plugins: [lazyModulesPlugin(REPO_ROOT)],
  });
  const output = Object.values(result.metafile.outputs)[0];
  const parts = new Map<string, number>();
  for (const [input, info] of Object.entries(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const part = m ? m[1] : input.replace(/^(src\/[^/]+(?:\/[^/]+)?)\/.*$/, '$1').replace(/\/[^/]+\.ts$/, '');
    parts.set(part, (parts.get(part) ?? 0) + info.bytesInOutput);
  }
  return {
    total: output.bytes,
    parts: [...parts].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

/** The child-process harness as one plain CommonJS file (no tsx in the measured process). */
export async function buildExtensionChild(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'extension-child.cjs');
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['bench/extension-child.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
