// The rule catalog. Each rule lives in its own module; this file only lists them.
import type { Finding } from '../findings';
import type { WorkflowDocument } from '../workflow/document';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [];

export function runRules(doc: WorkflowDocument): Finding[] {
  const ctx = { doc };
  return RULES.flatMap((rule) => rule.check(ctx));
}
