// The price of a whole sweep before paying: the local estimate of every body (as the editor shows
// it as you type), and the service's whatif quote of every body, summed. The CLI and the editor
// both quote through `quoteSweep`, so a body the service will not price stops both the same way.
import type { CostPreview } from '../api/client';
import { ApiError } from '../api/errors';
import { estimateWorkflowCost } from '../cost/estimate';
import type { ExpandedSweep } from './expand';

export interface SweepCostEstimate {
  /** Buzz of the steps whose price is known. */
  known: number;
  /** Step names whose price the published formulas do not give (Preview Cost quotes them). */
  unknownSteps: string[];
  /** `known` when every step is priced, otherwise null. */
  total: number | null;
}

export function estimateSweepCost(sweep: ExpandedSweep): SweepCostEstimate {
  let known = 0;
  const unknownSteps: string[] = [];
  for (const body of sweep.bodies) {
    for (const step of estimateWorkflowCost(body).steps) {
      if (step.buzz === null) unknownSteps.push(step.name);
      else known += step.buzz;
    }
  }
  return { known, unknownSteps, total: unknownSteps.length === 0 ? known : null };
}

/** What quoting needs of the orchestrator client: its whatif call. */
export interface SweepQuoter {
  previewCost(body: unknown, options?: { signal?: AbortSignal }): Promise<Pick<CostPreview, 'total'>>;
}

/**
 * The service's price for every body of the sweep (one whatif each, in order), summed. A body the
 * service answers without a price stops the quote with an ApiError: counting it as 0 would show a
 * sweep cheaper than it is, and let it under a confirmation threshold or --max-cost.
 */
export async function quoteSweep(bodies: readonly unknown[], client: SweepQuoter, signal?: AbortSignal): Promise<number> {
  let quote = 0;
  for (const body of bodies) {
    const preview = await client.previewCost(body, { signal });
    if (preview.total === null) {
      throw new ApiError({ kind: 'bad-response', status: 200, operation: 'whatif', message: 'The service returned no price for the sweep.', hint: 'Try again; if it keeps happening, report it.' });
    }
    quote += preview.total;
  }
  return quote;
}
