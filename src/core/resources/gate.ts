// The check before spending: resolve every AIR in the file and say whether it is safe to pay.
// Used by the CLI's `submit` (and any adapter that submits): one call, one answer.
import type { Finding } from '../findings';
import type { WorkflowDocument } from '../workflow/document';
import { BLOCKING_RESOURCE_CODES, resourceFindings } from './findings';
import { airReferences, distinctAirs } from './refs';
import { ResourceResolver, type FetchResource } from './resolver';

export interface ResolveOutcome {
  /** Every finding on the file's AIRs. */
  findings: Finding[];
  /** The findings that make a submission pointless (unknown or unusable resources). */
  blocking: Finding[];
  /** AIRs that could not be checked, with why (network, auth…). */
  unchecked: Array<{ air: string; message: string }>;
  /** Distinct AIRs in the file. */
  airs: string[];
}

export async function resolveBeforeSubmit(doc: WorkflowDocument, fetchResource: FetchResource, resolver?: ResourceResolver): Promise<ResolveOutcome> {
  const refs = airReferences(doc);
  const airs = distinctAirs(refs);
  const lookups = await (resolver ?? new ResourceResolver(fetchResource, { batchDelayMs: 0 })).resolve(airs);
  const findings = resourceFindings(refs, lookups);
  const unchecked = [...lookups].flatMap(([air, l]) => (l.status === 'error' ? [{ air, message: l.message }] : []));
  return { findings, blocking: findings.filter((f) => BLOCKING_RESOURCE_CODES.has(f.code)), unchecked, airs };
}
