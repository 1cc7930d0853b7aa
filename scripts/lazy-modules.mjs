// Parts of the extension that activation never needs, bundled on their own and required by path
// on first use. esbuild cannot split a CommonJS bundle, so the extension bundle gets a small stub
// in place of each such module: the stub `require`s the separate bundle from the folder it runs in
// (dist/ in the repository and in the installed .vsix) the first time one of its exports is called.
// Only the bundles built with `lazyModulesPlugin` use stubs: unit tests (tsx on src/), the CLI and
// the standalone emulator import the real modules as usual.
import * as path from 'node:path';
import { existsSync, realpathSync } from 'node:fs';

/**
 * `exports`: the functions the stub forwards (called lazily, so a static import costs nothing).
 * `values`: other exports, read through getters (lazy as long as no importer reads them while it
 * is itself being loaded, i.e. at module top level).
 * Without either, the stub is the whole module, which is only lazy when every import of it is a
 * dynamic `import()` (esbuild defers such a module until the `import()` runs).
 */
export const LAZY_MODULES = [
  // ajv, ajv-formats, the contract validator and its error mapper: needed at the first lint only.
  { source: 'src/core/schema/validate.ts', bundle: 'contract.js', exports: ['validateContract', 'contractIndex'] },
  // The contract's imageGen leaves (~90 KB of object literal): read by rules, costs and the
  // prompt preview, so again from the first lint on.
  { source: 'src/core/schema/image-gen-leaves.generated.ts', bundle: 'image-gen-leaves.js', values: ['IMAGE_GEN_LEAVES'] },
  // Importing generation parameters (layout recovery, base models, samplers, hires pass): the
  // import command and the results panel's "Open as workflow" only.
  {
    source: 'src/core/prompt/import-params.ts',
    bundle: 'import-params.js',
    exports: ['importGenerationParameters', 'importGenerationParametersResolving', 'parseGenerationParameters', 'buildWorkflow', 'modelPlaceholder'],
    values: ['ECOSYSTEM_KEY', 'ENGINE_KEY', 'EXPORT_VERSION', 'FIRST_STEP_NAME'],
  },
  // Sweeps (expansion, dynamic prompts, the grid PNG): Run Sweep, the sweep CodeLens and Export grid only.
  {
    source: 'src/core/sweep/index.ts',
    bundle: 'sweep.js',
    exports: [
      'expandSweep', 'parseSweepSpec', 'estimateSweepCost', 'quoteSweep', 'sweepBodyErrors', 'loadWildcards', 'promptTexts', 'sweepKey',
      'sweepFileBeside', 'workflowFileBeside', 'composeSweepGrid',
    ],
  },
  // The language client (vscode-languageclient, ~440 KB minified: more than the extension bundle's
  // whole budget): started with the first workflow file, never for other JSON files.
  { source: 'src/extension/diagnostics/languageClient.ts', bundle: 'lsp-client.js', exports: ['startWorkflowClient'], external: ['vscode'] },
  // The in-process emulator: "Use Local Emulator" only (`await import('../emulator')`).
  { source: 'src/emulator/index.ts', bundle: 'emulator-lib.js' },
];

const EXTENSIONS = ['.ts', '.js', '/index.ts', '/index.js'];

/** @param {string} root the project folder (esbuild's working directory) */
export function lazyModulesPlugin(root = process.cwd(), modules = LAZY_MODULES) {
  // Real paths on both sides: esbuild resolves symlinks (the bench builds in a folder whose src/ is a link).
  const real = (file) => (existsSync(file) ? realpathSync(file) : file);
  const bySource = new Map(modules.map((m) => [real(path.resolve(root, m.source)), m]));
  return {
    name: 'lazy-modules',
    setup(build) {
      // Relative imports only: every lazy module is our own source.
      build.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
        const base = path.resolve(args.resolveDir, args.path);
        for (const candidate of [base, ...EXTENSIONS.map((e) => base + e)]) {
          if (!existsSync(candidate)) continue;
          const lazy = bySource.get(real(candidate));
          // A lazy bundle's own entry is bundled for real.
          if (lazy && !isEntry(build, root, lazy)) return { path: lazy.bundle, namespace: 'lazy-module', pluginData: lazy };
        }
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (args) => ({ contents: stubSource(args.pluginData), loader: 'js', resolveDir: root }));
    },
  };
}

function isEntry(build, root, lazy) {
  const entries = build.initialOptions.entryPoints ?? [];
  const same = (file) => existsSync(file) && realpathSync(file) === realpathSync(path.resolve(root, lazy.source));
  return (Array.isArray(entries) ? entries : Object.values(entries)).some((e) => same(path.resolve(root, typeof e === 'string' ? e : e.in)));
}

function stubSource(lazy) {
  const load = `require(require('node:path').join(__dirname, ${JSON.stringify(lazy.bundle)}))`;
  if (!lazy.exports && !lazy.values) return `module.exports = ${load};\n`;
  return [
    'let loaded;',
    `const load = () => loaded ?? (loaded = ${load});`,
    ...(lazy.exports ?? []).map((name) => `exports.${name} = (...args) => load().${name}(...args);`),
    ...(lazy.values ?? []).map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load().${name} });`),
    '',
  ].join('\n');
}
