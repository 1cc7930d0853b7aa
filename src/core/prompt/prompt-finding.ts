// A finding on a span of a prompt string (decoded offsets), for the prompt rule modules added
// after rules.ts (which keeps its own copy while another change edits it).
import type { Finding, Fix, Severity } from '../findings';
import { rangeOf, type WorkflowDocument } from '../workflow/document';
import type { PromptField } from './fields';
import { toDocumentSpan } from './json-string';

export function promptFinding(
  doc: WorkflowDocument,
  rule: { code: string; severity: Severity },
  field: PromptField,
  span: { offset: number; length: number },
  message: string,
  fixes: Fix[] = [],
): Finding {
  const at = span.length > 0 ? toDocumentSpan(field.view, span.offset, span.length) : { offset: field.node.offset, length: field.node.length };
  return {
    code: rule.code,
    severity: rule.severity,
    message,
    pointer: field.pointer,
    offset: at.offset,
    length: at.length,
    range: rangeOf(doc, at.offset, at.length),
    ...(fixes.length ? { fixes } : {}),
  };
}
