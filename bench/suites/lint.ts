// Our full lint against its floor (JSON.parse) and against what VS Code itself runs for our
// jsonValidation contribution (vscode-json-languageservice with the contributed editor schema, with
// the editor schema's earlier if/then-tree dispatch, and with the full contract schema that was
// contributed before that), side by side on the same generated text, round-robin so a busy machine
// slows them all alike.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintWorkflow } from '../../src/core/lint';
import { RULES, createRuleContext } from '../../src/core/rules';
import { validateContract } from '../../src/core/schema/validate';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { clearTokenCache } from '../../src/core/prompt/fields';
import { getNodeValue, parseTree } from 'jsonc-parser';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';
import { editorSchemaOf } from '../../src/core/schema/editor-schema';
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
  /** VS Code's validation with the schema we contribute (schemas/workflow.editor.schema.json). */
  languageService: Summary;
  /** The same with the full contract schema, the shape contributed before (side by side). */
  languageServiceContractSchema: Summary;
  /** The same with the editor schema's earlier shape: its dispatch as a balanced if/then/else tree. */
  languageServiceTreeDispatch: Summary;
}

/** Fastest of a few repeats (ms): on a busy machine the minimum is the least disturbed. */
export interface PhaseBreakdown {
  steps: number;
  repeats: number;
  /** parseWorkflowDocument: jsonc-parser tree + value + line starts. */
  parseTreeMs: number;
  contractMs: number;
  rulesMs: number;
  /**
   * The rules on a freshly parsed document with no prompt tokenized yet (the first lint of a file
   * whose prompts were never seen; `rulesMs` is the editor's usual case, where a keystroke leaves
   * all prompts but one as the last lint tokenized them).
   */
  rulesNewPromptsMs: number;
  /** The slowest rules, by code. */
  slowestRules: Array<{ code: string; ms: number }>;
  /** Floors for a linter that needs offsets: the same text through JSON.parse and jsonc-parser alone. */
  floor: { jsonParseMs: number; jsoncParseTreeMs: number; jsoncNodeValueMs: number };
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

/** The schema package.json contributes to VS Code's JSON service. */
export function loadContributedSchema(): JsonSchema {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'workflow.editor.schema.json'), 'utf8')) as JsonSchema;
}

export function loadShippedSchema(): JsonSchema {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'workflow.schema.json'), 'utf8')) as JsonSchema;
}

export async function runLintSuite(options: LintSuiteOptions): Promise<LintSuiteResult> {
  const service = createJsonValidator(loadContributedSchema());
  const contractService = createJsonValidator(buildSchemaVariant(loadShippedSchema(), 'shipped'), 'file:///bench/schemas/workflow.contract.schema.json');
  const treeService = createJsonValidator(editorSchemaOf(loadShippedSchema(), 'tree'), 'file:///bench/schemas/workflow.editor-tree.schema.json');
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
    await contractService.validate(text);
    await treeService.validate(text);
    // Fast contenders are timed in batches long enough for the clock (a 1-step JSON.parse is µs).
    const parseBatch = calibrateBatch(() => JSON.parse(text), 5);
    const lintBatch = calibrateBatch(() => lintWorkflow(text), 5, 1000);
    const parse: number[] = [];
    const lint: number[] = [];
    const ls: number[] = [];
    const lsContract: number[] = [];
    const lsTree: number[] = [];
    const plan = options.plan(steps);
    const rounds = await runRounds(plan, async (i) => {
      // Rotate the order so no contender always runs right after another's garbage.
      const order = [0, 1, 2, 3, 4].map((k) => (k + i) % 5);
      for (const which of order) {
        if (which === 0) parse.push(timeBatch(() => JSON.parse(text), parseBatch));
        else if (which === 1) lint.push(timeBatch(() => lintWorkflow(text), lintBatch));
        else if (which === 2) ls.push(await timeAsync(() => service.validate(text)));
        else if (which === 3) lsContract.push(await timeAsync(() => contractService.validate(text)));
        else lsTree.push(await timeAsync(() => treeService.validate(text)));
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
      languageServiceContractSchema: roundSummary(summarize(lsContract)),
      languageServiceTreeDispatch: roundSummary(summarize(lsTree)),
    };
    options.log(
      `lint ${steps} steps: parse ${result.parse.median} ms, lint ${result.lint.median} ms (p95 ${result.lint.p95}), ` +
        `language service ${result.languageService.median} ms (tree dispatch ${result.languageServiceTreeDispatch.median} ms, full contract schema ${result.languageServiceContractSchema.median} ms), ${rounds} rounds`,
    );
    sizes.push(result);
  }
  return { sizes, phases: [] };
}

/** Where a lint's time goes at one size: tree parse, contract pass, rules (slowest listed). */
export function lintPhases(steps: number, repeats: number): PhaseBreakdown {
  const { text } = benchDocument(steps);
  lintWorkflow(text);
  const best = new Map<string, number>();
  const keep = (key: string, ms: number) => best.set(key, Math.min(best.get(key) ?? Infinity, ms));
  const time = (key: string, fn: () => unknown): void => {
    const s = performance.now();
    fn();
    keep(key, performance.now() - s);
  };
  for (let r = 0; r < repeats; r++) {
    time('json', () => JSON.parse(text));
    let tree: ReturnType<typeof parseTree>;
    time('jsoncTree', () => (tree = parseTree(text, [], { disallowComments: true })));
    time('jsoncValue', () => tree && getNodeValue(tree));
    let t = performance.now();
    const doc = parseWorkflowDocument(text);
    keep('parse', performance.now() - t);
    time('contract', () => validateContract(doc));
    t = performance.now();
    const ctx = createRuleContext(doc);
    let total = performance.now() - t;
    for (const rule of RULES) {
      const s = performance.now();
      rule.check(ctx);
      const ms = performance.now() - s;
      total += ms;
      keep(`rule:${rule.code}`, ms);
    }
    keep('rules', total);
    const fresh = createRuleContext(parseWorkflowDocument(text));
    clearTokenCache();
    time('rulesNewPrompts', () => RULES.forEach((rule) => rule.check(fresh)));
  }
  const r3 = (x: number | undefined) => Math.round((x ?? NaN) * 1000) / 1000;
  return {
    steps,
    repeats,
    parseTreeMs: r3(best.get('parse')),
    contractMs: r3(best.get('contract')),
    rulesMs: r3(best.get('rules')),
    rulesNewPromptsMs: r3(best.get('rulesNewPrompts')),
    slowestRules: [...best]
      .filter(([k]) => k.startsWith('rule:'))
      .map(([k, ms]) => ({ code: k.slice(5), ms: r3(ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 6),
    floor: { jsonParseMs: r3(best.get('json')), jsoncParseTreeMs: r3(best.get('jsoncTree')), jsoncNodeValueMs: r3(best.get('jsoncValue')) },
  };
}
