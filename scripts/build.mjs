// Bundles the extension, the CLI, the emulator and the webview scripts with esbuild.
// `--watch` rebuilds on change; `--production` minifies (used by `npm run package`).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

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
};

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/emulator/main.ts'], outfile: 'dist/emulator.js' },
  // The extension-host test suite: mocha stays external (it is resolved from node_modules at run time).
  { ...node, entryPoints: ['test/e2e/index.ts'], outfile: 'out/test/e2e/index.js', external: ['vscode', 'mocha'], minify: false },
];

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

const present = builds.filter((b) => b.entryPoints.every((e) => existsSync(e)));
if (watch) {
  const contexts = await Promise.all(present.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${present.length} bundles…`);
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
}
