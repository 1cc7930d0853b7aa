// The rule catalog. Each rule family lives in its own module; this file only lists them and runs
// them. To add a family: export its rules as an array and spread it into RULES below.
import type { Finding } from '../findings';
import { rangeOf, type WorkflowDocument } from '../workflow/document';
import { stepsOf } from '../workflow/steps';
import { DIMENSION_RULES } from './dimensions';
import { FOREIGN_FIELD_RULES } from './foreign-fields';
import { GUIDANCE_RULES } from './guidance';
import { PAYLOAD_SHAPE_RULES } from './payload-shape';
import { REFERENCE_RULES } from './references';
import { RESOURCE_RULES } from './resources';
import { SERVER_MANAGED_RULES } from './server-managed';
import type { Rule, RuleContext } from './types';
import { PROMPT_RULES } from '../prompt/rules';
import { promptDynamicSyntaxRule } from '../prompt/dynamic-rule';
import { WORKFLOW_LEVEL_RULES } from './workflow-level';

export const RULES: readonly Rule[] = [
  ...PAYLOAD_SHAPE_RULES,
  ...FOREIGN_FIELD_RULES,
  ...DIMENSION_RULES,
  ...RESOURCE_RULES,
  ...SERVER_MANAGED_RULES,
  ...GUIDANCE_RULES,
  ...REFERENCE_RULES,
  ...WORKFLOW_LEVEL_RULES,
  ...PROMPT_RULES,
  promptDynamicSyntaxRule,
];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.code === code);
}

export function createRuleContext(doc: WorkflowDocument): RuleContext {
  return { doc, steps: stepsOf(doc) };
}

/**
 * Runs every rule. A rule that throws is a bug, but must not take the editor down with it: it is
 * reported as one `internal-error` finding and the other rules still run.
 */
export function runRules(doc: WorkflowDocument, rules: readonly Rule[] = RULES): Finding[] {
  if (!doc.root) return [];
  const ctx = createRuleContext(doc);
  const findings: Finding[] = [];
  for (const rule of rules) {
    let found: Finding[];
    try {
      found = rule.check(ctx);
    } catch (e) {
      findings.push({
        code: 'internal-error',
        severity: 'error',
        message: `The check "${rule.code}" failed on this file (${e instanceof Error ? e.message : String(e)}); the other checks still ran.`,
        pointer: '',
        offset: 0,
        length: 0,
        range: rangeOf(doc, 0, 0),
      });
      continue;
    }
    if (rule.exclusive && found.length > 0) return found;
    findings.push(...found);
  }
  return findings;
}

export type { Rule, RuleContext } from './types';
