// Bundles the extension, the CLI, the emulator and the webview scripts with esbuild.
// `--watch` rebuilds on change; `--production` minifies (used by `npm run package`).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { LAZY_MODULES, lazyModulesPlugin } from './lazy-modules.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Prefer packages' ESM builds: jsonc-parser's `main` is a UMD wrapper whose require('./impl/…')
  // calls esbuild cannot follow, so the bundled extension failed to activate ("Cannot find module
  // './impl/format'"), caught by the e2e suite.
  mainFields: ['module', 'main'],
};

// The extension and its lazily required parts (scripts/lazy-modules.mjs): activation loads only
// dist/extension.js; dist/contract.js (ajv + the contract validator) comes with the first lint and
// dist/image-gen-leaves.js (the contract's imageGen leaves) too, dist/emulator-lib.js with "Use
// Local Emulator", dist/import-params.js with the first import of generation parameters. They are
// required by path from dist/, so each
// must also be listed in .vscodeignore.
const lazy = [lazyModulesPlugin()];
const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: lazy },
  ...LAZY_MODULES.map((m) => ({ ...node, entryPoints: [m.source], outfile: `dist/${m.bundle}`, external: m.external ?? [], plugins: lazy })),
  // The language server VS Code's client starts in its own process (src/extension/diagnostics/languageClient.ts).
  { ...node, entryPoints: ['src/lsp/main.ts'], outfile: 'dist/lsp-server.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/emulator/main.ts'], outfile: 'dist/emulator.js' },
];

// The extension-host test suite: the index plus every test/e2e/*.test.ts as its own bundle, so the
// index finds the suite by file name at run time (adding a test file needs no other edit). mocha
// stays external (it is resolved from node_modules at run time). Old bundles are removed first so
// a deleted test file cannot keep running.
if (existsSync('test/e2e/index.ts')) {
  const tests = readdirSync('test/e2e').filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/e2e/${f}`);
  rmSync('out/test/e2e', { recursive: true, force: true });
  builds.push({
    ...node, entryPoints: ['test/e2e/index.ts', ...tests], outbase: 'test/e2e', outdir: 'out/test/e2e',
    external: ['vscode', 'mocha'], minify: false,
  });
}

for (const name of ['results', 'preview']) {
  const entry = `src/webview/${name}.ts`;
  if (existsSync(entry)) {
    builds.push({
      bundle: true, platform: 'browser', target: 'es2022', format: 'iife',
      sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning',
      entryPoints: [entry], outfile: `dist/webview/${name}.js`,
    });
  }
}

// The panels' codicon font travels in dist/webview/codicons (where src/extension/results/resultsPanel.ts
// looks first): `vsce package --no-dependencies` leaves node_modules out of the .vsix, so the
// installed extension has no other copy (caught by the @packaged e2e test of package contents).
const codicons = 'node_modules/@vscode/codicons/dist';
if (existsSync(`${codicons}/codicon.css`)) {
  mkdirSync('dist/webview/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) cpSync(`${codicons}/${file}`, `dist/webview/codicons/${file}`);
}

const present = builds.filter((b) => b.entryPoints.every((e) => existsSync(e)));
if (watch) {
  const contexts = await Promise.all(present.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${present.length} bundles…`);
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
  // A stub forwards to exports by name: check the lazy bundles really have them (a rename in the
  // source would otherwise only fail at the first lint of an installed extension).
  const load = createRequire(import.meta.url);
  for (const m of LAZY_MODULES) {
    // A bundle that needs the editor's `vscode` module cannot be loaded here; the e2e suite loads it.
    if (m.external?.includes('vscode')) continue;
    const bundle = load(path.resolve(`dist/${m.bundle}`));
    const missing = [...(m.exports ?? []).filter((name) => typeof bundle[name] !== 'function'), ...(m.values ?? []).filter((name) => bundle[name] === undefined)];
    if (missing.length) throw new Error(`dist/${m.bundle} does not export ${missing.join(', ')} (see scripts/lazy-modules.mjs)`);
  }
}
