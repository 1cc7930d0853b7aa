// What the extension bundle would weigh, and cost to load, without its heaviest parts. Each
// variant is the production build's options with one part replaced by a stub, so the difference
// to the baseline is what that part costs (an upper bound on what replacing it saves):
//   zod           zod's classic API (not tree-shakeable) → a stub; zod/mini for the same kind of
//                 schemas is measured on its own to give the realistic replacement cost;
//   leaves        the generated imageGen leaves table (TypeScript object literal) → a stub, as if
//                 it were a JSON file read on first use;
//   emulator      the in-process emulator (today inlined: esbuild has no code splitting in cjs) →
//                 a separate file loaded on "Use Local Emulator";
//   ajv           ajv, ajv-formats and fast-uri → a stub, as if the contract validator were a
//                 second bundle required on the first lint (or ajv standalone code per leaf).
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../lib/builds';
import { roundSummary, summarize, type Summary } from '../lib/stats';
import { runChild } from './extension';

export type WhatIfVariant = 'baseline' | 'zod' | 'leaves' | 'emulator' | 'ajv' | 'all';
const VARIANTS: readonly WhatIfVariant[] = ['baseline', 'zod', 'leaves', 'emulator', 'ajv', 'all'];

export interface WhatIfResult {
  variant: WhatIfVariant;
  bytes: number;
  savedBytes: number;
  requireMs: Summary;
}

export interface BundleWhatIf {
  variants: WhatIfResult[];
  /** zod/mini bundled alone for object/string/number/optional/array/union/literal/enum/record/discriminatedUnion schemas. */
  zodMiniBytes: number;
}

// A callable, constructible proxy that answers every property with itself: module-level code such
// as `z.object({...}).optional()` still runs, at no cost.
const CALLABLE_STUB = `
const handler = { get: (t, p) => (p === '__esModule' ? false : p === Symbol.toPrimitive ? () => '' : stub), apply: () => stub, construct: () => stub };
const stub = new Proxy(function () {}, handler);
export const z = stub;
export default stub;`;

function stubPlugin(variant: WhatIfVariant): esbuild.Plugin {
  const on = (v: WhatIfVariant) => variant === v || variant === 'all';
  return {
    name: 'what-if',
    setup(build) {
      if (on('zod')) build.onResolve({ filter: /^zod(\/.*)?$/ }, (args) => (args.path === 'zod' ? { path: 'zod', namespace: 'stub' } : undefined));
      if (on('leaves')) build.onResolve({ filter: /image-gen-leaves\.generated$/ }, () => ({ path: 'leaves', namespace: 'stub' }));
      if (on('ajv')) build.onResolve({ filter: /^(ajv|ajv-formats)(\/.*)?$/ }, () => ({ path: 'ajv', namespace: 'stub' }));
      if (on('emulator')) build.onResolve({ filter: /^\.\.\/emulator$/ }, () => ({ path: './emulator-lib.js', external: true }));
      build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
        contents: args.path === 'leaves' ? 'export const IMAGE_GEN_LEAVES = {};' : CALLABLE_STUB,
        loader: 'js',
      }));
    },
  };
}

async function buildVariant(variant: WhatIfVariant, outDir: string): Promise<{ file: string; bytes: number }> {
  const file = path.join(outDir, `extension-${variant}.js`);
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
    outfile: file,
    metafile: true,
    logLevel: 'silent',
    plugins: [stubPlugin(variant)],
  });
  return { file, bytes: Object.values(result.metafile.outputs)[0].bytes };
}

async function zodMiniBytes(): Promise<number> {
  const result = await esbuild.build({
    absWorkingDir: REPO_ROOT,
    stdin: {
      contents: `import * as z from 'zod/mini';
export const S = z.object({ id: z.string(), status: z.enum(['a', 'b']), n: z.optional(z.number()), tags: z.array(z.string()),
  u: z.union([z.string(), z.null()]), r: z.record(z.string(), z.number()), l: z.literal('x'), b: z.boolean(), i: z.int(),
  d: z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]) });
export const parse = (x) => S.safeParse(x);`,
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents.length;
}

export async function runBundleWhatIf(child: string, outDir: string, samples: number, log: (line: string) => void): Promise<BundleWhatIf> {
  const built = await Promise.all(VARIANTS.map((v) => buildVariant(v, outDir)));
  const times = VARIANTS.map(() => [] as number[]);
  for (let i = 0; i < samples; i++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const which = (k + i) % VARIANTS.length;
      const r = await runChild<{ requireMs: number }>(child, { mode: 'require', bundle: built[which].file }, 60_000);
      times[which].push(r.requireMs);
    }
  }
  const baseline = built[0].bytes;
  const variants = VARIANTS.map((variant, k) => ({ variant, bytes: built[k].bytes, savedBytes: baseline - built[k].bytes, requireMs: roundSummary(summarize(times[k])) }));
  log(`bundle what-if: ${variants.map((v) => `${v.variant} ${(v.bytes / 1024).toFixed(0)} KB / ${v.requireMs.median} ms`).join(', ')}`);
  return { variants, zodMiniBytes: await zodMiniBytes() };
}
