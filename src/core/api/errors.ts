// One error type for everything the orchestrator client can hit, with a `kind` the UI can
// explain and a plain-words `hint`. Nothing here ever holds the API token: messages are built
// from the status and the server's problem text, and the client redacts its token from those too.
import type { ProblemDetails } from './schemas';

export type ApiErrorKind =
  | 'validation' // 400: the body was refused; `problem.errors` says where
  | 'auth' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // 409
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'http' // any other unexpected status
  | 'network' // no HTTP answer (DNS, refused, reset)
  | 'timeout' // no answer in time
  | 'bad-response' // an answer we cannot read
  | 'aborted'; // the caller cancelled

const HINTS: Record<ApiErrorKind, string> = {
  validation: 'The service refused the workflow. Fix the fields it lists, then submit again.',
  auth: 'The API token is missing, expired or wrong. Set a valid token (Civitai: Set API Token, or CIVITAI_API_TOKEN).',
  forbidden: 'The token is valid but not allowed to do this (tier, resource or mature-content policy). Do not retry as-is.',
  'not-found': 'No such workflow or blob, or this token cannot see it. A workflow is gone once deleted (cancelling deletes it) or 30 days after it ended.',
  conflict: 'The workflow is in a state that does not allow this change. Refresh it and try again.',
  'rate-limited': 'Too many requests. Wait a little and try again.',
  server: 'The orchestration service had a problem. Try again in a minute.',
  http: 'The service answered with an unexpected status.',
  network: 'Could not reach the orchestration service. Check the connection and the base URL (civitai.baseUrl, or --base-url).',
  timeout: 'The service did not answer in time. Try again; a submission will not run twice (it carries an idempotency key).',
  'bad-response': 'The service sent an answer that could not be read. Try again; if it keeps happening, the service may have changed: report it.',
  aborted: 'Cancelled.',
};

export function kindForStatus(status: number): ApiErrorKind {
  if (status === 400 || status === 422) return 'validation';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'http';
}

export interface ApiErrorInit {
  kind: ApiErrorKind;
  message: string;
  status?: number;
  problem?: ProblemDetails;
  retryAfterMs?: number;
  hint?: string;
  /** e.g. `POST /v2/consumer/workflows` (no query string, no host). */
  operation?: string;
  attempts?: number;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly status?: number;
  readonly problem?: ProblemDetails;
  readonly retryAfterMs?: number;
  readonly hint: string;
  readonly operation?: string;
  /** How many HTTP attempts were made before giving up. */
  readonly attempts?: number;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.problem = init.problem;
    this.retryAfterMs = init.retryAfterMs;
    this.hint = init.hint ?? HINTS[init.kind];
    this.operation = init.operation;
    this.attempts = init.attempts;
  }

  /** The `errors` map of a 400 ValidationProblemDetails, if the service sent one. */
  get validationErrors(): Record<string, string[]> | undefined {
    return this.problem?.errors;
  }

  /** Whether the policy allows trying the same request again. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      hint: this.hint,
      operation: this.operation,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
      problem: this.problem,
    };
  }

  /** Returns a copy with the attempt count set (the retry loop knows it, the request does not). */
  withAttempts(attempts: number): ApiError {
    return new ApiError({ ...this.toInit(), attempts });
  }

  private toInit(): ApiErrorInit {
    return {
      kind: this.kind,
      message: this.message,
      status: this.status,
      problem: this.problem,
      retryAfterMs: this.retryAfterMs,
      hint: this.hint,
      operation: this.operation,
      attempts: this.attempts,
    };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** The message for an error status: the service's own words when it gave any. */
export function describeHttpError(status: number, problem: ProblemDetails | undefined, rawText: string): string {
  const parts: string[] = [`HTTP ${status}`];
  if (problem?.title) parts.push(problem.title);
  if (problem?.detail) parts.push(problem.detail);
  if (!problem && rawText.trim()) parts.push(rawText.trim().slice(0, 300));
  if (problem?.errors) {
    const first = Object.entries(problem.errors).slice(0, 3).map(([key, msgs]) => `${key || '(body)'}: ${msgs.join(' ')}`);
    if (first.length) parts.push(first.join('; '));
  }
  return parts.join(': ');
}

/** Replaces every occurrence of `secret` in `text` (no-op for an empty secret). */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]');
}

/** Deep copy of a JSON-ish value with `secret` removed from every string in it. */
export function redactValue<T>(value: T, secret: string | undefined): T {
  if (!secret) return value;
  if (typeof value === 'string') return redact(value, secret) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secret)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secret), redactValue(v, secret)])) as T;
  }
  return value;
}
