// Our full lint against its floor (JSON.parse) and against what VS Code itself runs for our
// jsonValidation contribution (vscode-json-languageservice with the shipped schema), side by side
// on the same generated text, round-robin so a busy machine slows all three alike.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintWorkflow } from '../../src/core/lint';
import { RULES, createRuleContext } from '../../src/core/rules';
import { validateContract } from '../../src/core/schema/validate';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';
import { benchDocument } from '../generate';
import { createJsonValidator } from '../lib/language-service';
import { buildSchemaVariant } from '../schema-variants';
import { calibrateBatch, roundSummary, runRounds, summarize, timeAsync, timeBatch, type Summary } from '../lib/stats';
import { REPO_ROOT } from '../lib/builds';

export interface LintSizeResult {
  steps: number;
  bytes: number;
  findings: number;
  languageServiceDiagnostics: number;
  rounds: number;
  /** First lint of this document in the process (its leaves compiled here if new). */
  lintFirstMs: number;
  /** First language-service validation (the first size also resolves the schema). */
  languageServiceFirstMs: number;
  parse: Summary;
  lint: Summary;
  languageService: Summary;
}

export interface PhaseBreakdown {
  steps: number;
  parseTreeMs: number;
  contractMs: number;
  rulesMs: number;
  /** The slowest rules, by code. */
  slowestRules: Array<{ code: string; ms: number }>;
}

export interface LintSuiteResult {
  sizes: LintSizeResult[];
  phases: PhaseBreakdown[];
}

export interface LintSuiteOptions {
  sizes: readonly number[];
  /** Per-size wall budget (ms) and minimum rounds. */
  plan: (steps: number) => { budgetMs: number; minRounds: number; maxRounds: number };
  log: (line: string) => void;
}

export function loadShippedSchema(): JsonSchema {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'workflow.schema.json'), 'utf8')) as JsonSchema;
}

export async function runLintSuite(options: LintSuiteOptions): Promise<LintSuiteResult> {
  const service = createJsonValidator(buildSchemaVariant(loadShippedSchema(), 'shipped'));
  const sizes: LintSizeResult[] = [];
  for (const steps of options.sizes) {
    const { text } = benchDocument(steps);
    const started = performance.now();
    const first = lintWorkflow(text);
    const lintFirstMs = performance.now() - started;
    let languageServiceDiagnostics = 0;
    const languageServiceFirstMs = await timeAsync(async () => {
      languageServiceDiagnostics = await service.validate(text);
    });
    // Fast contenders are timed in batches long enough for the clock (a 1-step JSON.parse is µs).
    const parseBatch = calibrateBatch(() => JSON.parse(text), 5);
    const lintBatch = calibrateBatch(() => lintWorkflow(text), 5, 1000);
    const parse: number[] = [];
    const lint: number[] = [];
    const ls: number[] = [];
    const plan = options.plan(steps);
    const rounds = await runRounds(plan, async (i) => {
      // Rotate the order so no contender always runs right after another's garbage.
      const order = [0, 1, 2].map((k) => (k + i) % 3);
      for (const which of order) {
        if (which === 0) parse.push(timeBatch(() => JSON.parse(text), parseBatch));
        else if (which === 1) lint.push(timeBatch(() => lintWorkflow(text), lintBatch));
        else ls.push(await timeAsync(() => service.validate(text)));
      }
    });
    const result: LintSizeResult = {
      steps,
      bytes: Buffer.byteLength(text),
      findings: first.findings.length,
      languageServiceDiagnostics,
      rounds,
      lintFirstMs,
      languageServiceFirstMs,
      parse: roundSummary(summarize(parse), 4),
      lint: roundSummary(summarize(lint)),
      languageService: roundSummary(summarize(ls)),
    };
    options.log(
      `lint ${steps} steps: parse ${result.parse.median} ms, lint ${result.lint.median} ms (p95 ${result.lint.p95}), ` +
        `language service ${result.languageService.median} ms, ${rounds} rounds`,
    );
    sizes.push(result);
  }
  return { sizes, phases: [] };
}

/** Where a lint's time goes at one size: tree parse, contract pass, rules (slowest listed). */
export function lintPhases(steps: number, repeats: number): PhaseBreakdown {
  const { text } = benchDocument(steps);
  lintWorkflow(text);
  const parse: number[] = [];
  const contract: number[] = [];
  const rules: number[] = [];
  const perRule = new Map<string, number[]>();
  for (let r = 0; r < repeats; r++) {
    let t = performance.now();
    const doc = parseWorkflowDocument(text);
    parse.push(performance.now() - t);
    t = performance.now();
    validateContract(doc);
    contract.push(performance.now() - t);
    t = performance.now();
    const ctx = createRuleContext(doc);
    const ctxMs = performance.now() - t;
    let total = ctxMs;
    for (const rule of RULES) {
      const s = performance.now();
      rule.check(ctx);
      const ms = performance.now() - s;
      total += ms;
      const list = perRule.get(rule.code) ?? [];
      list.push(ms);
      perRule.set(rule.code, list);
    }
    rules.push(total);
  }
  const median = (xs: number[]) => summarize(xs).median;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    steps,
    parseTreeMs: r3(median(parse)),
    contractMs: r3(median(contract)),
    rulesMs: r3(median(rules)),
    slowestRules: [...perRule]
      .map(([code, xs]) => ({ code, ms: r3(median(xs)) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 6),
  };
}
