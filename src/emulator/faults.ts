// Fault injection: tests (and curious users) make the emulator misbehave the ways the real
// service can — rate limits, server errors, slow or lost answers, unreadable bodies — and make
// steps fail the ways the errors guide lists.

/** The emulator's routes, as fault targets. `any` matches every request. */
export type RouteName =
  | 'submit' // POST /v2/consumer/workflows (not whatif)
  | 'whatif' // POST /v2/consumer/workflows?whatif=true
  | 'getWorkflow'
  | 'queryWorkflows'
  | 'deleteWorkflow'
  | 'getBlob'
  | 'refreshBlob'
  | 'blobContent'
  | 'modelVersion' // GET /api/v1/model-versions/{id} (Civitai's site API)
  | 'getResource' // GET /v2/resources/{air}
  | 'any';

export type Fault =
  /** Answer with this status (ProblemDetails body) before doing any work. */
  | { type: 'status'; status: number; retryAfter?: string; detail?: string }
  /** Wait this many real milliseconds, then handle the request normally. */
  | { type: 'delay'; ms: number }
  /**
   * Destroy the connection without answering. `after: 'work'` (the default) does the work first
   * — for a submission the workflow exists, only the answer is lost; `'none'` drops it unread.
   */
  | { type: 'drop'; after?: 'work' | 'none' }
  /** Do the work, then answer 200 with this body (default: truncated JSON). */
  | { type: 'malformed'; body?: string; contentType?: string };

export interface StepFailure {
  /** `no_provider_available`, `blocked`, `timeout`, … (errors guide). */
  reason: string;
  blockedReason?: string;
  /** Index of the step that fails (default 0); later steps that depend on it are canceled. */
  step?: number;
}

interface Rule {
  route: RouteName;
  fault: Fault;
  remaining: number;
}

export class FaultController {
  #rules: Rule[] = [];
  #stepFailures: Array<{ failure: StepFailure; remaining: number }> = [];

  /** Applies `fault` to the next `times` requests to `route`. */
  inject(route: RouteName, fault: Fault, times = 1): this {
    if (!(times >= 1)) throw new RangeError('times must be at least 1');
    this.#rules.push({ route, fault, remaining: Math.floor(times) });
    return this;
  }

  /** Makes the next `times` submitted workflows fail at the given step, with this job reason. */
  failNextWorkflow(failure: StepFailure, times = 1): this {
    this.#stepFailures.push({ failure, remaining: Math.floor(times) });
    return this;
  }

  clear(): void {
    this.#rules = [];
    this.#stepFailures = [];
  }

  /** Faults not yet used up. */
  get pending(): number {
    return this.#rules.reduce((n, r) => n + r.remaining, 0) + this.#stepFailures.reduce((n, f) => n + f.remaining, 0);
  }

  /** @internal The fault for this request, consuming one use. */
  take(route: Exclude<RouteName, 'any'>): Fault | undefined {
    const rule = this.#rules.find((r) => r.route === route || r.route === 'any');
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
    return rule.fault;
  }

  /** @internal The step failure planned for a new workflow, consuming one use. */
  takeStepFailure(): StepFailure | undefined {
    const next = this.#stepFailures[0];
    if (!next) return undefined;
    next.remaining--;
    if (next.remaining <= 0) this.#stepFailures.shift();
    return next.failure;
  }
}
