// AIR resolution for the CLI: `lint --resolve` adds what the service says about each resource,
// and `submit` checks them before it spends. One client per run; the token never printed.
import { OrchestratorClient, type OrchestratorClientOptions } from '../core/api';
import type { Finding } from '../core/findings';
import { airReferences, resolutionOffReason, resolveBeforeSubmit, resourceFindings, ResourceResolver, distinctAirs } from '../core/resources';
import type { WorkflowDocument } from '../core/workflow/document';
import type { CliIO } from './command';
import { formatText } from './format';

/** `submit`'s exit code for an unknown or unusable resource. */
export const RESOURCE_EXIT_CODE = 8;

/**
 * Resolves every AIR of the file about to be submitted. Prints what it found (stderr) and returns
 * RESOURCE_EXIT_CODE when a resource is unknown or cannot be used, undefined when it may go on.
 */
export async function resolveBeforeSpending(document: WorkflowDocument, client: OrchestratorClient, io: CliIO, file: string, signal?: AbortSignal, command = 'submit'): Promise<number | undefined> {
  const outcome = await resolveBeforeSubmit(document, (air) => client.getResource(air, { signal }));
  if (outcome.findings.length > 0) io.stderr(formatText([{ file, findings: outcome.findings }]));
  for (const u of outcome.unchecked) io.stderr(`civitai-workflow ${command}: could not check ${u.air}: ${u.message}\n`);
  if (outcome.blocking.length === 0) return undefined;
  io.stderr(`civitai-workflow ${command}: ${file} names ${outcome.blocking.length === 1 ? 'a resource' : 'resources'} the service cannot use; not submitted (--no-resolve skips this check)\n`);
  return RESOURCE_EXIT_CODE;
}

export interface LintResolveSettings {
  baseUrl: string;
  token: string | undefined;
  client?: Partial<OrchestratorClientOptions>;
}

/**
 * The resource findings for each linted document (same order), resolved together so an AIR used
 * by several files is asked about once. Without a token, says once why resolution is off.
 */
export async function resolveForLint(documents: readonly WorkflowDocument[], settings: LintResolveSettings, io: CliIO): Promise<Finding[][]> {
  const off = resolutionOffReason(settings.token !== undefined && settings.token !== '');
  if (off) {
    io.stderr(`civitai-workflow lint: ${off}\n`);
    return documents.map(() => []);
  }
  const client = new OrchestratorClient({ ...(settings.client ?? {}), baseUrl: settings.baseUrl, token: settings.token });
  const resolver = new ResourceResolver((air) => client.getResource(air), { batchDelayMs: 0 });
  const refs = documents.map((d) => airReferences(d));
  const lookups = await resolver.resolve(refs.flatMap((r) => distinctAirs(r)));
  for (const [air, l] of lookups) if (l.status === 'error') io.stderr(`civitai-workflow lint: could not check ${air}: ${l.message}\n`);
  return refs.map((r) => resourceFindings(r, lookups));
}
