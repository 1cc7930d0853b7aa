// The orchestrator client and everything that comes with it.
export {
  OrchestratorClient,
  DEFAULT_BASE_URL,
  MAX_WAIT_SECONDS,
  WORKFLOW_RETENTION_DAYS,
  workflowGoneHint,
} from './client';
export { BaseUrlError, CIVITAI_BASE_URL, displayOrigin, isCivitaiHost, isLoopbackHost, isTrustedTokenHost, normalizeBaseUrl } from './base-url';
export type {
  OrchestratorClientOptions,
  CallOptions,
  SubmitOptions,
  SubmitResult,
  CostPreview,
  GetWorkflowOptions,
  QueryWorkflowsParams,
  GetBlobOptions,
  DownloadOptions,
  PollOptions,
  RetryInfo,
} from './client';
export { ApiError, isApiError, kindForStatus } from './errors';
export type { ApiErrorKind } from './errors';
export { DEFAULT_RETRY_POLICY, POLL_CADENCE_MS, backoffDelay, parseRetryAfter, pollDelay, sleep, AbortedError } from './retry';
export type { RetryPolicy, Sleep } from './retry';
export { EXTERNAL_ID_PATTERN, generateExternalId, isValidExternalId } from './external-id';
export { summarizeProgress } from './progress';
export type { WorkflowProgress, StepProgress } from './progress';
export { serverErrorsToFindings, parseServerKey, SERVER_VALIDATION_CODE } from './server-findings';
export * from './schemas';
