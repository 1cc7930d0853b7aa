// The price of a whole sweep before paying: the local estimate of every body (as the editor shows
// it as you type), and the service's whatif quote summed by the caller when it has one.
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
