// The shape of a rule in the catalog: a small named unit with a stable code.
import type { Finding, Severity } from '../findings';
import type { WorkflowDocument } from '../workflow/document';

export interface RuleContext {
  readonly doc: WorkflowDocument;
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
  check(ctx: RuleContext): Finding[];
}
