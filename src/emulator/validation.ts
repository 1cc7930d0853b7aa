// The emulator refuses what the contract refuses, using the same generated schema as the
// editor (`validateContract`), and answers in the service's ValidationProblemDetails key style.
import { parsePointer, parseWorkflowDocument } from '../core/workflow/document';
import { validateContract } from '../core/schema/validate';
import { serviceKey, type ValidationErrors } from './plan';

/** `/steps/0/input/width` → `steps[0].input.width` (array indices where the value is an array). */
export function pointerToServiceKey(pointer: string, value: unknown): string {
  const path: Array<string | number> = [];
  let current: unknown = value;
  for (const seg of parsePointer(pointer)) {
    const isIndex = Array.isArray(current) && /^\d+$/.test(seg);
    path.push(isIndex ? Number(seg) : seg);
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[seg] : undefined;
  }
  return serviceKey(path);
}

/** Contract errors of a request body, keyed like the service keys them; empty when valid. */
export function contractErrors(text: string): ValidationErrors {
  const doc = parseWorkflowDocument(text);
  const errors: ValidationErrors = {};
  for (const finding of validateContract(doc)) {
    if (finding.severity !== 'error') continue;
    (errors[pointerToServiceKey(finding.pointer, doc.value)] ??= []).push(finding.message);
  }
  return errors;
}
