// The performance budget (docs/performance.md), checked against one run's numbers. Each line
// says what was measured, whether it is met, and by how much it is met or missed.
import type { BenchResult, BudgetLine } from './result';
import type { LintSizeResult } from './suites/lint';

export type { BudgetLine } from './result';

/** 400 KB as the budget means it: 400 × 1024 bytes. */
export const EXTENSION_BUNDLE_LIMIT = 400 * 1024;
export const LINT_VS_PARSE_LIMIT = 5;
export const LINT_VS_LANGUAGE_SERVICE_LIMIT = 0.5;
/** VS Code's validation of the contributed schema on the 1000-step document (issue 14). */
export const LANGUAGE_SERVICE_LIMIT_MS = 100;
/** One frame: what the extension host may be blocked for by a lint (issue 14). */
export const HOST_BLOCK_LIMIT_MS = 16;
export const ONE_STEP_LIMIT_MS = 2;
/** import-params on a 3 MB PNG whose parameters would inflate to ~3 GB (issue 15). */
export const BOMB_LIMIT_MS = 1000;
export const BOMB_LIMIT_RSS_MIB = 200;
/** The shipped schema shape counts as fast when no measured alternative beats it by more than this. */
export const SHAPE_TOLERANCE = 1.2;

function ratioMargin(value: number, limit: number): string {
  if (!Number.isFinite(value)) return 'not measured';
  const factor = value / limit;
  return value <= limit ? `met, ${Math.round((1 - factor) * 100)}% under` : `missed by ${factor.toFixed(factor < 1.1 ? 2 : 1)}×`;
}

export function evaluateBudget(r: BenchResult, bySteps: Map<number, LintSizeResult>): BudgetLine[] {
  const lines: BudgetLine[] = [];
  const big = bySteps.get(1000);
  const one = bySteps.get(1);
  const phases = r.lint.phases.find((p) => p.steps === 1000);
  const lintWhy = phases
    ? `fastest of ${phases.repeats}: document parse ${phases.parseTreeMs} ms (jsonc tree alone ${phases.floor.jsoncParseTreeMs} ms + value ${phases.floor.jsoncNodeValueMs} ms, ` +
      `i.e. ${(phases.floor.jsoncParseTreeMs / phases.floor.jsonParseMs).toFixed(1)}× JSON.parse before any check), contract ${phases.contractMs} ms, rules ${phases.rulesMs} ms (${phases.rulesNewPromptsMs} ms when no prompt was tokenized before) ` +
      `(slowest: ${phases.slowestRules.slice(0, 3).map((x) => `${x.code} ${x.ms}`).join(', ')})`
    : undefined;

  if (big) {
    const vsParse = big.lint.median / big.parse.median;
    lines.push({
      id: 'lint-1000-vs-parse',
      budget: `1000 steps: lint ≤ ${LINT_VS_PARSE_LIMIT} × JSON.parse`,
      measured: `${vsParse.toFixed(1)}× (${big.lint.median} ms vs ${big.parse.median} ms)`,
      met: vsParse <= LINT_VS_PARSE_LIMIT,
      margin: ratioMargin(vsParse, LINT_VS_PARSE_LIMIT),
      why: lintWhy,
    });
    lines.push({
      id: 'language-service-1000',
      budget: `1000 steps: VS Code's validation of our contributed schema ≤ ${LANGUAGE_SERVICE_LIMIT_MS} ms`,
      measured:
        `${big.languageService.median} ms (the same schema with its earlier if/then-tree dispatch: ${big.languageServiceTreeDispatch.median} ms; ` +
        `full contract schema, as contributed before: ${big.languageServiceContractSchema.median} ms)`,
      met: big.languageService.median <= LANGUAGE_SERVICE_LIMIT_MS,
      margin: ratioMargin(big.languageService.median, LANGUAGE_SERVICE_LIMIT_MS),
    });
    // In the real VS Code when its host is provisioned: our code's longest synchronous stretch
    // (CPU profile); the whole host's event-loop delay is shown beside it. Otherwise the keystroke
    // child (vscode stand-in, real server, bench/lsp-client-standin.ts for vscode-languageclient),
    // where nothing but our code runs on the host, by its event-loop delay.
    const real = r.vscodeHost && 'ourLongestMs' in r.vscodeHost ? r.vscodeHost : undefined;
    const standIn = r.keystroke1000;
    const blockMs = real?.ourLongestMs ?? standIn?.hostLongestBlockMs;
    const standInText = standIn
      ? `stand-in editor (our code alone on the host, wall clock): ${standIn.hostLongestBlockMs} ms over ${standIn.samples} edits (per edit: result ${standIn.diagnosticsMs.median} ms after the change, listeners ${standIn.listenersMs.median} ms, ${standIn.lenses} CodeLenses ${standIn.codeLensMs.median} ms)`
      : 'stand-in editor: not measured';
    lines.push({
      id: 'extension-host-block-1000',
      budget: `1000 steps: the extension host's longest synchronous block during a lint ≤ ${HOST_BLOCK_LIMIT_MS} ms`,
      measured: real
        ? `ours ${real.ourLongestMs} ms at most, ${real.ourPerEditMs} ms CPU per edit (VS Code ${real.vscode}, ${real.edits} edits, CPU profile); ` +
          `the whole host's longest event-loop delay ${real.hostLongestBlockMs} ms (p99 ${real.hostBlockP99Ms} ms)`
        : `${standInText}; in VS Code: ${r.vscodeHost && 'notMeasured' in r.vscodeHost ? r.vscodeHost.notMeasured : 'not measured'}`,
      met: blockMs !== undefined && blockMs <= HOST_BLOCK_LIMIT_MS,
      margin: blockMs !== undefined ? ratioMargin(blockMs, HOST_BLOCK_LIMIT_MS) : 'not measured',
      why: real
        ? "the lint runs in the language server's process; on the host our code decodes its result and draws. The whole host's longest delays are VS Code's own work on a 650 KB JSON file (the JSON extension's document symbols for outline and breadcrumbs, the remote protocol) and time the OS gives other processes"
        : "the lint runs in the language server's process; the host decodes its result and draws (event-loop delay: time the OS gives other processes counts too)",
    });
    // Against the full contract schema: the editor schema checks nothing, so it is no yardstick for the lint.
    const vsService = big.lint.median / big.languageServiceContractSchema.median;
    lines.push({
      id: 'lint-1000-vs-language-service',
      budget: `1000 steps: lint ≤ ${LINT_VS_LANGUAGE_SERVICE_LIMIT} × VS Code's JSON validation of the full contract schema`,
      measured: `${vsService.toFixed(2)}× (${big.lint.median} ms vs ${big.languageServiceContractSchema.median} ms)`,
      met: vsService <= LINT_VS_LANGUAGE_SERVICE_LIMIT,
      margin: ratioMargin(vsService, LINT_VS_LANGUAGE_SERVICE_LIMIT),
      why: lintWhy,
    });
  }
  if (one) {
    lines.push({
      id: 'lint-1-step',
      budget: `1 step: lint < ${ONE_STEP_LIMIT_MS} ms (warm)`,
      measured: `median ${one.lint.median} ms, p95 ${one.lint.p95} ms`,
      met: one.lint.median < ONE_STEP_LIMIT_MS,
      margin: ratioMargin(one.lint.median, ONE_STEP_LIMIT_MS),
    });
  }

  const cold = r.coldStart.find((c) => c.label === 'production bundle' && c.firstLintSteps === 1);
  const lazy =
    cold !== undefined &&
    cold.schemaReadsAtActivation === 0 &&
    cold.bundlesAtActivation.length === 0 &&
    // The checks run in the language server: the host never reads the schema.
    cold.schemaReadsAfterFirstLint === 0 &&
    r.keystroke.schemaReads === 0 &&
    r.validator.again.compileMsAdded === 0;
  lines.push({
    id: 'activation-registration-only',
    budget: 'activation only registers; the schema read and compiled by the language server, not the extension host; compiled validators reused',
    measured: cold
      ? `activate() ${cold.activateMs.median} ms after require ${cold.requireMs.median} ms; lazily required bundles loaded at activation: ${cold.bundlesAtActivation.join(', ') || 'none'} ` +
        `(by the first lint: ${cold.bundlesAfterFirstLint.join(', ') || 'none'}); schema reads on the host: ${cold.schemaReadsAtActivation} at activation, ` +
        `${cold.schemaReadsAfterFirstLint} after the first lint, ${r.keystroke.schemaReads} after ${r.keystroke.samples + 3} edits; ` +
        `re-validating added ${r.validator.again.compileMsAdded} ms of compile`
      : 'not measured',
    met: lazy,
    margin: lazy ? 'met' : 'missed: see the measured column',
  });

  const k = r.keystroke;
  const debounced = k.burst.publishes === 1 && k.otherDocumentPublishes === 0 && k.nonWorkflowPublishes === 0;
  lines.push({
    id: 'diagnostics-debounced-per-document',
    budget: 'diagnostics debounced, computed only for the changed document',
    measured:
      `${k.burst.keystrokes} keystrokes ${k.burst.intervalMs} ms apart → ${k.burst.publishes} lint(s) ${Math.round(k.burst.lastKeystrokeToDiagnosticsMs)} ms after the last ` +
      `(debounce ${k.debounceMsDefault} ms); other open workflow re-linted ${k.otherDocumentPublishes}×, non-workflow change ${k.nonWorkflowPublishes}×`,
    met: debounced,
    margin: debounced ? 'met' : 'missed: see the measured column',
  });

  // The contributed (editor) schema against its earlier if/then-tree dispatch, both measured by the
  // lint suite at 1000 steps; the shape suite's variants are of the full contract schema.
  const shapes = r.schemaShapes;
  const at100 = (s: (typeof shapes)[number]) => s.perSize.find((p) => p.steps === 100)?.validation.median ?? NaN;
  if (big?.languageServiceTreeDispatch) {
    const shippedMs = big.languageService.median;
    const treeMs = big.languageServiceTreeDispatch.median;
    const factor = shippedMs / treeMs;
    const met = factor <= SHAPE_TOLERANCE;
    const full = shapes.length ? `; full contract schema shapes at 100 steps: ${shapes.map((s) => `${s.variant} ${at100(s)} ms`).join(', ')}` : '';
    lines.push({
      id: 'schema-shape-fast-for-vscode',
      budget: `contributed schema shaped so VS Code's validation stays fast (no measured alternative > ${SHAPE_TOLERANCE}× faster)`,
      measured: `1000 steps: contributed (discriminator lookups) ${shippedMs} ms, the same with if/then-tree dispatch ${treeMs} ms${full}`,
      met,
      margin: met ? `met (the tree is ${(treeMs / shippedMs).toFixed(2)}× the contributed shape's time)` : `missed: the tree dispatch is ${(1 / factor).toFixed(2)}× faster`,
    });
  }

  const bomb = r.boundedInput?.find((c) => c.inflatesToBytes > 1024 ** 3);
  if (bomb) {
    const met = bomb.exitCode === 1 && bomb.wallMs.median < BOMB_LIMIT_MS && bomb.maxRssMiB < BOMB_LIMIT_RSS_MIB;
    lines.push({
      id: 'import-params-bounded',
      budget: `import-params on a ${(bomb.fileBytes / 1024 / 1024).toFixed(0)} MB PNG whose parameters inflate to ~${(bomb.inflatesToBytes / 1024 ** 3).toFixed(0)} GB: answers < ${BOMB_LIMIT_MS} ms, < ${BOMB_LIMIT_RSS_MIB} MiB RSS`,
      measured: `exit ${bomb.exitCode}, median ${bomb.wallMs.median} ms (p95 ${bomb.wallMs.p95}) from spawn to exit, peak RSS ${bomb.maxRssMiB} MiB`,
      met,
      margin: met ? ratioMargin(bomb.wallMs.median, BOMB_LIMIT_MS) : 'missed: see the measured column',
    });
  }

  const ext = r.bundleBytes.extension;
  lines.push({
    id: 'extension-bundle-size',
    budget: `extension bundle ≤ 400 KB minified (${EXTENSION_BUNDLE_LIMIT} B)`,
    measured:
      `${(ext / 1024).toFixed(0)} KB minified (${ext} B)` +
      `; required on first use, not at activation: ${Object.entries(r.bundleBytes.lazy ?? {}).map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KB`).join(', ') || 'nothing'}`,
    met: ext <= EXTENSION_BUNDLE_LIMIT,
    margin: ratioMargin(ext, EXTENSION_BUNDLE_LIMIT),
    why: `largest parts: ${r.extensionComposition.parts.slice(0, 4).map((p) => `${p.part} ${(p.bytes / 1024).toFixed(0)} KB`).join(', ')}`,
  });
  return lines;
}
