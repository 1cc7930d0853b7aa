// A workflow's progress in the few numbers a progress bar or status line needs.
import { isTerminalStatus, type Workflow, type WorkflowStatus } from './schemas';

export interface StepProgress {
  name: string;
  type: string;
  status: WorkflowStatus;
  estimatedProgressRate: number | null;
}

export interface WorkflowProgress {
  workflowId: string;
  status: WorkflowStatus;
  terminal: boolean;
  /**
   * 0–1 over all steps (a finished step counts 1, a step without an estimate 0); null while no
   * step has started and none has finished.
   */
  estimatedProgressRate: number | null;
  /** Jobs ahead of the first still-queued job, when the service says. */
  queuePosition: number | null;
  steps: StepProgress[];
  workflow: Workflow;
}

const QUEUED: ReadonlySet<WorkflowStatus> = new Set(['unassigned', 'preparing', 'scheduled']);

export function summarizeProgress(workflow: Workflow): WorkflowProgress {
  const steps: StepProgress[] = workflow.steps.map((s) => ({
    name: s.name,
    type: s.$type,
    status: s.status,
    estimatedProgressRate: typeof s.estimatedProgressRate === 'number' ? s.estimatedProgressRate : null,
  }));
  let known = false;
  let sum = 0;
  for (const s of steps) {
    if (isTerminalStatus(s.status)) {
      known = true;
      sum += 1;
    } else if (s.estimatedProgressRate !== null) {
      known = true;
      sum += Math.min(1, Math.max(0, s.estimatedProgressRate));
    }
  }
  let queuePosition: number | null = null;
  outer: for (const step of workflow.steps) {
    for (const job of step.jobs ?? []) {
      if (QUEUED.has(job.status) && typeof job.queuePosition?.precedingJobs === 'number') {
        queuePosition = job.queuePosition.precedingJobs;
        break outer;
      }
    }
  }
  return {
    workflowId: workflow.id ?? '',
    status: workflow.status,
    terminal: isTerminalStatus(workflow.status),
    estimatedProgressRate: known && steps.length > 0 ? sum / steps.length : null,
    queuePosition,
    steps,
    workflow,
  };
}
