// `npm run bench` (after `npm run build`): bundles the bench with esbuild and runs the bundle, so
// the linter, validator and emulator are measured as the extension and CLI ship them (one esbuild
// bundle) rather than through tsx's on-the-fly transform, which wraps every function it defines.
// Prints a table; `--json` prints one JSON object instead. Progress goes to stderr either way;
// `npm run -s bench -- --json` keeps npm's own banner off stdout.
//   --quick        fewer rounds and samples (a smoke run, numbers rougher)
//   --from <file>  print the table of a saved `--json` result instead of measuring
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const repo = path.resolve(__dirname, '..');

async function launch(): Promise<void> {
  // Inside the repository (bench/.cache is git-ignored): the bundle resolves esbuild from
  // node_modules, and the core finds schemas/workflow.schema.json by walking up from it.
  const dir = path.join(repo, 'bench', '.cache', `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const outfile = path.join(dir, 'bench.cjs');
    await esbuild.build({
      absWorkingDir: repo,
      entryPoints: ['bench/main.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // As scripts/build.mjs: packages' ESM builds first (jsonc-parser's UMD main does not bundle).
      mainFields: ['module', 'main'],
      // esbuild builds the variants and the child harness at run time; it cannot bundle itself.
      external: ['esbuild'],
      outfile,
      logLevel: 'warning',
    });
    process.env.CIVITAI_BENCH_REPO = repo;
    const bench = require(outfile) as typeof import('./main');
    await bench.runBench();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

launch().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
