// Every body of a sweep is linted before it is priced or sent: an axis value the contract refuses
// (an unknown sampler, a size out of range) is named with its part before any money is involved.
// The CLI lists every error; the editor names the first.
import { lintWorkflow } from '../lint';
import type { Finding } from '../findings';
import type { ExpandedSweep } from './expand';

export interface SweepBodyErrors {
  /** Index into `sweep.bodies`. */
  body: number;
  errors: Finding[];
}

/** The lint errors of each body that has any, in body order; empty when every body is a valid request. */
export function sweepBodyErrors(sweep: Pick<ExpandedSweep, 'bodies'>): SweepBodyErrors[] {
  const out: SweepBodyErrors[] = [];
  for (const [body, value] of sweep.bodies.entries()) {
    const errors = lintWorkflow(JSON.stringify(value, null, 2)).findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) out.push({ body, errors });
  }
  return out;
}
