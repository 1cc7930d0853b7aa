// Shared by the rules-*.test.ts files: building workflow texts, running one rule, applying a fix
// and re-linting the result.
import assert from 'node:assert/strict';
import type { Finding, Fix } from '../../src/core/findings';
import { applyFix, applyFixes } from '../../src/core/fixes';
import { lintWorkflow } from '../../src/core/lint';
import { createRuleContext } from '../../src/core/rules/index';
import type { Rule } from '../../src/core/rules/types';
import { parseWorkflowDocument } from '../../src/core/workflow/document';

export const SDXL_MODEL = 'urn:air:sdxl:checkpoint:civitai:101055@128078';
export const SD1_MODEL = 'urn:air:sd1:checkpoint:civitai:4384@128713';

export type Json = Record<string, unknown>;

/** One imageGen step (defaults: sdcpp + sdxl + createImage with a model and prompt). */
export function imageStep(input: Json = {}, step: Json = {}): Json {
  const defaults: Json = { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: SDXL_MODEL, prompt: 'a lighthouse at dusk' };
  if (input.ecosystem === 'anima') delete defaults.model;
  if (input.ecosystem === 'sd1') defaults.model = SD1_MODEL;
  return { $type: 'imageGen', ...step, input: { ...defaults, ...input } };
}

export function workflowText(steps: Json[], top: Json = {}): string {
  return JSON.stringify({ ...top, steps }, null, 2);
}

export function oneStep(input: Json = {}, top: Json = {}): string {
  return workflowText([imageStep(input)], top);
}

/** Findings of one rule on a text, as the catalog runs it. */
export function check(rule: Rule, text: string): Finding[] {
  return rule.check(createRuleContext(parseWorkflowDocument(text)));
}

/** Everything the linter reports on a text: syntax, the contract pass and the rule catalog. */
export function relint(text: string): Finding[] {
  return lintWorkflow(text).findings;
}

export function codesOf(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

/** The fix titled (or starting with) `title`, asserting it is there. */
export function fixTitled(finding: Finding, title: string): Fix {
  const fix = finding.fixes?.find((f) => f.title.startsWith(title));
  assert.ok(fix, `no fix "${title}" on ${finding.code}; have ${JSON.stringify(finding.fixes?.map((f) => f.title))}`);
  return fix;
}

export function onlyFinding(findings: readonly Finding[], code?: string): Finding {
  const matching = code ? findings.filter((f) => f.code === code) : findings;
  assert.equal(matching.length, 1, `expected one ${code ?? ''} finding, got ${JSON.stringify(matching.map((f) => f.message))}`);
  return matching[0];
}

/**
 * Applies `fix` and re-lints: returns the new text after asserting that no finding of `code`
 * remains and that the text is still JSON.
 */
export function applyAndRelint(text: string, fix: Fix, code: string): { text: string; findings: Finding[]; value: Json } {
  // Through applyFixes, the path `lint --fix` and "Fix all" take.
  const zero = { line: 0, character: 0 };
  const carrier: Finding = { code, severity: 'error', message: fix.title, pointer: '', offset: 0, length: 0, range: { start: zero, end: zero }, fixes: [fix] };
  const result = applyFixes(text, [carrier], () => fix);
  assert.equal(result.applied.length, 1, `"${fix.title}" was not applied`);
  const fixed = result.text;
  const findings = relint(fixed);
  assert.deepEqual(
    findings.filter((f) => f.code === code).map((f) => f.message),
    [],
    `after "${fix.title}" the ${code} finding remains`,
  );
  return { text: fixed, findings, value: JSON.parse(fixed) as Json };
}

export function inputOf(value: Json, index = 0): Json {
  return (value.steps as Json[])[index].input as Json;
}

export function errorsOf(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** Applies `fix` without judging the result (for intermediate steps of a multi-fix test). */
export function applied(text: string, fix: Fix): { text: string; value: Json } {
  const fixed = applyFix(text, fix);
  return { text: fixed, value: JSON.parse(fixed) as Json };
}
