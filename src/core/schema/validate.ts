// The contract (schema) pass on its own: what the service would refuse with a 400, as findings.
// The emulator calls this to answer exactly as the contract would, so it holds contract checks
// only; advice from the guides lives in the rules.
import type { Finding } from '../findings';
import type { WorkflowDocument } from '../workflow/document';
import { getContractValidator, type ContractValidator } from './contract-validator';
import { mapAjvErrors } from './error-mapper';
import { NodeIndex } from './node-index';

/**
 * The contract's schema index (leaves by discriminators, definitions), for rules that read the
 * contract. Exported from here so the extension reaches it through the lazy contract bundle.
 */
export function contractIndex(): ContractValidator['index'] {
  return getContractValidator().index;
}

export function validateContract(doc: WorkflowDocument, validator: ContractValidator = getContractValidator()): Finding[] {
  if (doc.root === undefined || doc.value === undefined) return [];
  const errors = validator.validate(doc.value);
  if (errors.length === 0) return [];
  return mapAjvErrors(errors, doc, validator.index, new NodeIndex(doc));
}
