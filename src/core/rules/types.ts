// The shape of a rule in the catalog: a small named unit with a stable code.
import type { Finding, Severity } from '../findings';
import type { WorkflowDocument } from '../workflow/document';
import type { StepView } from '../workflow/steps';

export interface RuleContext {
  readonly doc: WorkflowDocument;
  /** The workflow's steps, parsed once for every rule. */
  readonly steps: readonly StepView[];
}

export interface Rule {
  /** Stable code, kebab-case; documented in docs/rules.md. */
  readonly code: string;
  readonly severity: Severity;
  /** One line: what the rule checks. */
  readonly title: string;
  /** Why it matters, where the fact comes from (contract or which guide). */
  readonly description: string;
  /** What the quick fix does, if the rule has one. */
  readonly fix?: string;
  /**
   * When this rule fires the file is not a workflow at all (e.g. a pasted response), so the
   * other rules' findings would be noise and are dropped.
   */
  readonly exclusive?: boolean;
  check(ctx: RuleContext): Finding[];
}
