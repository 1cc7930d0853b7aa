// A workflow's statuses (contract `WorkflowStatus`) and which of them are final, as plain data: the
// client's schemas, the history and the results panel's messages (bundled into the webview, which
// must not pull in the client) all read them from here.

export const WORKFLOW_STATUSES = [
  'unassigned',
  'preparing',
  'scheduled',
  'processing',
  'succeeded',
  'failed',
  'expired',
  'canceled',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** Statuses of a run of ours before the service has it: being sent, or refused at submission. */
export const PRE_SERVICE_STATUSES = ['submitting', 'rejected'] as const;

export const TERMINAL_STATUSES: ReadonlySet<WorkflowStatus> = new Set(['succeeded', 'failed', 'expired', 'canceled']);

/** Whether a status is final; takes any string, since history entries have statuses of their own ('submitting'). */
export const isTerminalStatus = (status: string): boolean => (TERMINAL_STATUSES as ReadonlySet<string>).has(status);
