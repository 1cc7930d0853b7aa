// The orchestrator client: typed calls for the endpoints the extension, CLI and emulator tests
// use, with the guide's retry policy, idempotent submissions, polling, and errors that explain
// themselves. The token lives in a private field and never reaches a message, log or error.
import type * as z from '../zod-mini';
import { BaseUrlError, CIVITAI_BASE_URL, displayOrigin, isLoopbackHost, normalizeBaseUrl } from './base-url';
import { ApiError, describeHttpError, kindForStatus, redact, redactValue } from './errors';
import { withExternalId, withoutExternalId } from './external-id';
import { summarizeProgress, type WorkflowProgress } from './progress';
import {
  AbortedError,
  backoffDelay,
  parseRetryAfter,
  pollDelay,
  POLL_CADENCE_MS,
  resolveRetryPolicy,
  sleep as defaultSleep,
  type RetryPolicy,
  type Sleep,
} from './retry';
import {
  BlobSchema,
  describeZodError,
  isTerminalStatus,
  ProblemDetailsSchema,
  ResourceInfoSchema,
  WorkflowPageSchema,
  WorkflowSchema,
  type Blob,
  type ImageBlob,
  type ProblemDetails,
  type ResourceInfo,
  type Workflow,
  type WorkflowPage,
} from './schemas';

export const DEFAULT_BASE_URL = CIVITAI_BASE_URL;
/** How long the service keeps a workflow after it ends (results guide). */
export const WORKFLOW_RETENTION_DAYS = 30;
/** Same-origin redirects followed for one authenticated request. */
const MAX_REDIRECTS = 5;
/** The service closes requests after 100 s, so `wait` is capped there. */
export const MAX_WAIT_SECONDS = 100;

const EXPIRED_URL_HINT = 'The signed URL has expired or is not valid: refresh it (refreshBlobUrl / GetBlob) or refetch the workflow.';

export interface OrchestratorClientOptions {
  baseUrl?: string;
  token?: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Injectable for tests: waits between retries and polls. Must honour the signal. */
  sleep?: Sleep;
  /** Injectable for tests: the jitter source, [0, 1). */
  random?: () => number;
  /** Injectable for tests: the clock used to read HTTP-date `Retry-After` values. */
  now?: () => number;
  userAgent?: string;
  /** Per-attempt limit for an answer, beyond any `wait` (default 30 s). */
  requestTimeoutMs?: number;
  /**
   * Plain `http://` to a non-loopback host would send the token in clear text; it is refused
   * unless this is set.
   */
  allowInsecureHttp?: boolean;
  /** Called before each retry wait (for logs; the error never holds the token). */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  operation: string;
  /** The attempt that just failed (1-based). */
  attempt: number;
  delayMs: number;
  error: ApiError;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface SubmitOptions extends CallOptions {
  /** Seconds the service may hold the request until the workflow ends (0–100). */
  wait?: number;
  hideMatureContent?: boolean;
  /** Idempotency key to use; default: the body's own `externalId`, else a new one. */
  externalId?: string;
  /**
   * Receives the idempotency key before anything is sent (awaited), so a caller can persist it
   * and re-attach after a crash by submitting again with the same key.
   */
  onExternalId?: (externalId: string) => void | Promise<void>;
}

export interface SubmitResult {
  workflow: Workflow;
  externalId: string;
  /** 200: finished within `wait`; 202: still running. */
  httpStatus: 200 | 202;
}

export interface CostPreview {
  workflow: Workflow;
  /** `cost.total` in Buzz, when the service gave one. */
  total: number | null;
  insufficientBuzz: boolean | null;
}

export interface GetWorkflowOptions extends CallOptions {
  hideMatureContent?: boolean;
}

export interface QueryWorkflowsParams {
  tags?: string[];
  take?: number;
  cursor?: string;
  /** Free-text match on metadata. */
  query?: string;
  ascending?: boolean;
  hideMatureContent?: boolean;
  fromDate?: string | Date;
  toDate?: string | Date;
  excludeFailed?: boolean;
}

export interface GetBlobOptions extends CallOptions {
  workflowId?: string;
  nsfwLevel?: string;
}

export interface DownloadOptions extends CallOptions {
  /** Refuse bodies larger than this (default 256 MiB). */
  maxBytes?: number;
}

export interface PollOptions extends GetWorkflowOptions {
  onProgress?: (progress: WorkflowProgress) => void;
  /** Waits between polls (default: the guide's 2, 5, 10, 15, then 30 s). */
  cadenceMs?: readonly number[];
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, or an absolute URL (blob content). */
  path: string;
  query?: Query;
  body?: unknown;
  /** Statuses that count as success. */
  accept: readonly number[];
  /** Parse the success body as JSON with this schema. */
  schema?: z.ZodMiniType<T>;
  /** Send the bearer token (only ever to the base URL's origin). */
  auth: boolean;
  retry: boolean;
  redirect?: 'manual' | 'follow';
  read?: 'json' | 'bytes' | 'none';
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  /** DELETE: a 404 after a failed first attempt means that attempt already did the work. */
  acceptNotFoundAfterRetry?: boolean;
  /** What a 403 means for this call, when it is not the generic "not allowed". */
  forbiddenHint?: string;
  /** What a 404 means for this call, when it is not the generic "no such thing". */
  notFoundHint?: string;
}

interface RawResult {
  status: number;
  headers: Headers;
  text?: string;
  bytes?: Uint8Array;
}

interface HttpResult<T> {
  status: number;
  headers: Headers;
  data: T;
  bytes?: Uint8Array;
}

export class OrchestratorClient {
  readonly baseUrl: string;
  readonly #origin: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #policy: RetryPolicy;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #userAgent: string;
  readonly #timeoutMs: number;
  readonly #onRetry?: (info: RetryInfo) => void;

  constructor(options: OrchestratorClientOptions = {}) {
    // Normalised (case, dot segments) so the origin check below never mistakes our own service
    // for another; a URL with credentials in it is refused without being echoed.
    const base = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    const parsed = new URL(base);
    if (parsed.protocol === 'http:' && options.token && !isLoopbackHost(parsed.hostname) && !options.allowInsecureHttp) {
      throw new BaseUrlError(`Refusing to send the API token over plain http to ${parsed.host}; use https (or a loopback emulator).`);
    }
    this.baseUrl = base;
    this.#origin = parsed.origin;
    this.#token = options.token || undefined;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#policy = resolveRetryPolicy(options.retry);
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#userAgent = options.userAgent ?? 'civitai-workflows/0.1';
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#onRetry = options.onRetry;
  }

  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  /** Keeps the token out of `console.log(client)` and JSON. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, hasToken: this.hasToken };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OrchestratorClient { baseUrl: '${this.baseUrl}', hasToken: ${this.hasToken} }`;
  }

  // ---- Workflows ----

  /**
   * SubmitWorkflow. Every submission carries an idempotency key, handed to `onExternalId`
   * before the request goes out; retries reuse it, so a lost answer never runs (or charges)
   * the workflow twice.
   */
  async submitWorkflow(body: unknown, options: SubmitOptions = {}): Promise<SubmitResult> {
    const prepared = withExternalId(prepareBody(body), options.externalId);
    await options.onExternalId?.(prepared.externalId);
    throwIfAborted(options.signal);
    const wait = clampWait(options.wait);
    const result = await this.#send({
      method: 'POST',
      path: '/v2/consumer/workflows',
      query: { wait, hideMatureContent: options.hideMatureContent || undefined },
      body: prepared.body,
      accept: [200, 202],
      schema: WorkflowSchema,
      auth: true,
      retry: true,
      signal: options.signal,
      timeoutMs: wait * 1000 + this.#timeoutMs,
    });
    if (!result.data.id) {
      throw new ApiError({
        kind: 'bad-response',
        status: result.status,
        operation: 'POST /v2/consumer/workflows',
        message: 'The service answered the submission with a workflow that has no id (an estimate, not a run).',
        hint: 'Submit again with a new idempotency key; if it keeps happening, report it.',
      });
    }
    return { workflow: result.data, externalId: prepared.externalId, httpStatus: result.status === 200 ? 200 : 202 };
  }

  /**
   * SubmitWorkflow with `whatif=true`: the cost without running anything. The body is sent
   * without `externalId`: the service would remember a whatif under that key and hand the
   * estimate back to the real submission instead of running it.
   */
  async previewCost(body: unknown, options: CallOptions = {}): Promise<CostPreview> {
    const result = await this.#send({
      method: 'POST',
      path: '/v2/consumer/workflows',
      query: { whatif: true },
      body: withoutExternalId(prepareBody(body)),
      accept: [200, 202],
      schema: WorkflowSchema,
      auth: true,
      retry: true,
      signal: options.signal,
    });
    const workflow = result.data;
    return {
      workflow,
      total: typeof workflow.cost?.total === 'number' ? workflow.cost.total : null,
      insufficientBuzz: workflow.transactions?.insufficientBuzz ?? null,
    };
  }

  async getWorkflow(workflowId: string, options: GetWorkflowOptions = {}): Promise<Workflow> {
    const result = await this.#send({
      method: 'GET',
      path: `/v2/consumer/workflows/${encodeURIComponent(requireId(workflowId, 'workflowId'))}`,
      query: { hideMatureContent: options.hideMatureContent || undefined },
      accept: [200, 202],
      schema: WorkflowSchema,
      auth: true,
      retry: true,
      signal: options.signal,
      notFoundHint: workflowGoneHint(workflowId),
    });
    return result.data;
  }

  async queryWorkflows(params: QueryWorkflowsParams = {}, options: CallOptions = {}): Promise<WorkflowPage> {
    const date = (d: string | Date | undefined): string | undefined => (d instanceof Date ? d.toISOString() : d);
    const result = await this.#send({
      method: 'GET',
      path: '/v2/consumer/workflows',
      query: {
        tags: params.tags,
        take: params.take,
        cursor: params.cursor,
        query: params.query,
        ascending: params.ascending,
        hideMatureContent: params.hideMatureContent,
        fromDate: date(params.fromDate),
        toDate: date(params.toDate),
        excludeFailed: params.excludeFailed,
      },
      accept: [200],
      schema: WorkflowPageSchema,
      auth: true,
      retry: true,
      signal: options.signal,
    });
    return result.data;
  }

  /**
   * DeleteWorkflow: cancels the workflow (refunded if no work had started) and removes it; the
   * service answers 204 and afterwards reports the workflow as not found. A 404 on a retry
   * means an earlier attempt already did it, and counts as success.
   */
  async cancelWorkflow(workflowId: string, options: CallOptions = {}): Promise<void> {
    const path = `/v2/consumer/workflows/${encodeURIComponent(requireId(workflowId, 'workflowId'))}`;
    await this.#send({
      method: 'DELETE',
      path,
      accept: [200, 202, 204],
      auth: true,
      retry: true,
      read: 'none',
      signal: options.signal,
      acceptNotFoundAfterRetry: true,
    });
  }

  /** Polls GetWorkflow at the documented cadence until a terminal status; returns that workflow. */
  async pollUntilTerminal(workflowId: string, options: PollOptions = {}): Promise<Workflow> {
    const cadence = options.cadenceMs && options.cadenceMs.length > 0 ? options.cadenceMs : POLL_CADENCE_MS;
    for (let n = 0; ; n++) {
      const workflow = await this.getWorkflow(workflowId, options);
      options.onProgress?.(summarizeProgress(workflow));
      if (isTerminalStatus(workflow.status)) return workflow;
      await this.#wait(pollDelay(n, cadence), options.signal, `GET /v2/consumer/workflows/${workflowId}`);
    }
  }

  // ---- Resources ----

  /**
   * GetResource: what an AIR names, whether it can generate, its fees and availability; null
   * when the service knows no such resource (404), because then a submission would silently
   * run the default model instead.
   */
  async getResource(air: string, options: CallOptions = {}): Promise<ResourceInfo | null> {
    try {
      const result = await this.#send({
        method: 'GET',
        path: `/v2/resources/${encodeURIComponent(requireId(air, 'air'))}`,
        accept: [200],
        schema: ResourceInfoSchema,
        auth: true,
        retry: true,
        signal: options.signal,
      });
      return result.data;
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'not-found') return null;
      throw err;
    }
  }

  // ---- Blobs ----

  /** GetBlob: the service redirects to a fresh signed content URL; returns that URL. */
  async getBlob(blobId: string, options: GetBlobOptions = {}): Promise<{ url: string }> {
    const result = await this.#send({
      method: 'GET',
      path: `/v2/consumer/blobs/${encodeURIComponent(requireId(blobId, 'blobId'))}`,
      query: { workflowId: options.workflowId, nsfwLevel: options.nsfwLevel },
      accept: [301, 302, 303, 307, 308],
      auth: true,
      retry: true,
      redirect: 'manual',
      read: 'none',
      signal: options.signal,
    });
    const location = result.headers.get('location');
    if (!location) {
      throw new ApiError({ kind: 'bad-response', status: result.status, operation: `GET /v2/consumer/blobs/${blobId}`, message: 'The blob redirect has no Location header.' });
    }
    return { url: new URL(location, this.baseUrl + '/').toString() };
  }

  /** RefreshBlob: a fresh signed URL (and a reset retention) for a blob. */
  async refreshBlobUrl(blobId: string, options: CallOptions = {}): Promise<Blob> {
    const result = await this.#send({
      method: 'POST',
      path: `/v2/consumer/blobs/${encodeURIComponent(requireId(blobId, 'blobId'))}/refresh`,
      accept: [200],
      schema: BlobSchema,
      auth: true,
      retry: true,
      signal: options.signal,
    });
    return result.data;
  }

  /**
   * The bytes behind a signed blob URL. Never sends the token: content URLs are signed and may
   * live on another host. An expired URL is a `forbidden` error; see `downloadImage`.
   */
  async downloadBlob(url: string, options: DownloadOptions = {}): Promise<Uint8Array> {
    if (!isHttpUrl(url)) {
      throw new ApiError({ kind: 'bad-response', operation: 'GET (blob URL)', message: `The service gave an image URL that is not http(s) (${safeScheme(url)}); it was not opened.` });
    }
    const result = await this.#send({
      method: 'GET',
      path: url,
      accept: [200],
      auth: false,
      retry: true,
      read: 'bytes',
      signal: options.signal,
      forbiddenHint: EXPIRED_URL_HINT,
      maxBytes: options.maxBytes ?? 256 * 1024 * 1024,
    });
    return result.bytes ?? new Uint8Array(0);
  }

  /** Downloads a result image, refreshing its signed URL once if it has expired or is missing. */
  async downloadImage(blob: Pick<ImageBlob, 'id' | 'url'>, options: DownloadOptions = {}): Promise<Uint8Array> {
    if (blob.url) {
      try {
        return await this.downloadBlob(blob.url, options);
      } catch (err) {
        if (!(err instanceof ApiError) || (err.kind !== 'forbidden' && err.kind !== 'not-found')) throw err;
      }
    }
    const fresh = await this.refreshBlobUrl(blob.id, options);
    if (!fresh.url) {
      throw new ApiError({ kind: 'forbidden', operation: `POST /v2/consumer/blobs/${blob.id}/refresh`, message: `Blob ${blob.id} has no URL (it may be blocked or hidden as mature content).` });
    }
    return this.downloadBlob(fresh.url, options);
  }

  // ---- Transport ----

  async #send<T>(spec: RequestSpec<T>): Promise<HttpResult<T>> {
    const operation = `${spec.method} ${operationPath(spec.path)}`;
    for (let attempt = 1; ; attempt++) {
      let error: ApiError;
      try {
        const raw = await this.#attempt(spec, operation);
        if (spec.accept.includes(raw.status)) return this.#parse(spec, raw, operation);
        if (raw.status === 404 && attempt > 1 && spec.acceptNotFoundAfterRetry) {
          return { status: raw.status, headers: raw.headers, data: undefined as T };
        }
        error = this.#httpError(raw, operation, spec);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        error = err;
      }
      // A malformed answer to a GET is worth another try: reading changes nothing upstream.
      const retryable = error.retryable || (spec.method === 'GET' && spec.schema !== undefined && error.kind === 'bad-response');
      if (error.kind === 'aborted' || !spec.retry || !retryable || attempt >= this.#policy.maxAttempts) {
        throw error.withAttempts(attempt);
      }
      let delayMs = backoffDelay(attempt, this.#policy, this.#random);
      if (error.retryAfterMs !== undefined) {
        if (error.retryAfterMs > this.#policy.maxRetryAfterMs) throw retryLater(error, this.#now()).withAttempts(attempt);
        delayMs = error.retryAfterMs;
      }
      this.#onRetry?.({ operation, attempt, delayMs, error });
      await this.#wait(delayMs, spec.signal, operation);
    }
  }

  async #wait(ms: number, signal: AbortSignal | undefined, operation: string): Promise<void> {
    try {
      await raceAbort(this.#sleep(ms, signal), signal);
    } catch (err) {
      if (signal?.aborted || err instanceof AbortedError) throw abortedError(operation);
      throw err;
    }
  }

  async #attempt<T>(spec: RequestSpec<T>, operation: string): Promise<RawResult> {
    throwIfAborted(spec.signal, operation);
    let url = this.#url(spec.path, spec.query);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.#userAgent };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    // The token goes to the base URL's origin and nowhere else, whatever the path says.
    const authorized = spec.auth && this.#token !== undefined && new URL(url).origin === this.#origin;
    if (authorized) headers.authorization = `Bearer ${this.#token}`;
    // Redirects of authorized requests are followed here, not by fetch: only within the origin.
    const manual = authorized || spec.redirect === 'manual';

    const controller = new AbortController();
    let timedOut = false;
    const timeoutMs = spec.timeoutMs ?? this.#timeoutMs;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const exchange = (async (): Promise<RawResult> => {
        let response: Response;
        for (let hops = 0; ; hops++) {
          response = await this.#fetch(url, {
            method: spec.method,
            headers,
            body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
            redirect: manual ? 'manual' : 'follow',
            signal: controller.signal,
          });
          if (!manual || !isRedirect(response.status) || spec.accept.includes(response.status)) break;
          await response.body?.cancel().catch(() => undefined);
          const target = redirectTarget(response.headers.get('location'), url);
          if (!target || target.origin !== this.#origin || hops >= MAX_REDIRECTS) {
            throw new ApiError({
              kind: 'http',
              status: response.status,
              operation,
              message: `${operation}: HTTP ${response.status} redirect to ${target ? displayOrigin(target.href) : 'nowhere'} not followed`,
              hint: target && target.origin !== this.#origin
                ? `The service at ${this.#origin} redirected to another origin; the request (and the API token) stays with ${this.#origin}. Check the base URL.`
                : 'The service redirected too often or without a usable Location. Check the base URL.',
            });
          }
          url = target.href;
        }
        const ok = spec.accept.includes(response.status);
        if (ok && spec.read === 'none') {
          await response.body?.cancel().catch(() => undefined);
          return { status: response.status, headers: response.headers };
        }
        if (ok && spec.read === 'bytes') {
          const declared = Number(response.headers.get('content-length') ?? NaN);
          if (spec.maxBytes !== undefined && declared > spec.maxBytes) {
            await response.body?.cancel().catch(() => undefined);
            throw new ApiError({ kind: 'bad-response', status: response.status, operation, message: `The download is ${declared} bytes, over the ${spec.maxBytes}-byte limit.` });
          }
          const bytes = new Uint8Array(await response.arrayBuffer());
          if (spec.maxBytes !== undefined && bytes.length > spec.maxBytes) {
            throw new ApiError({ kind: 'bad-response', status: response.status, operation, message: `The download is over the ${spec.maxBytes}-byte limit.` });
          }
          return { status: response.status, headers: response.headers, bytes };
        }
        return { status: response.status, headers: response.headers, text: await response.text() };
      })();
      return await raceAbort(exchange, controller.signal);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (spec.signal?.aborted) throw abortedError(operation);
      if (timedOut) {
        throw new ApiError({ kind: 'timeout', operation, message: `${operation}: no answer within ${Math.round(timeoutMs / 1000)} s` });
      }
      throw new ApiError({ kind: 'network', operation, message: `${operation}: ${redact(networkMessage(err), this.#token)}` });
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
    }
  }

  #parse<T>(spec: RequestSpec<T>, raw: RawResult, operation: string): HttpResult<T> {
    if (!spec.schema) return { status: raw.status, headers: raw.headers, data: undefined as T, bytes: raw.bytes };
    let json: unknown;
    try {
      json = JSON.parse(raw.text ?? '');
    } catch {
      throw new ApiError({
        kind: 'bad-response',
        status: raw.status,
        operation,
        message: `${operation}: the answer (HTTP ${raw.status}) is not JSON: ${redact(snippet(raw.text ?? ''), this.#token)}`,
      });
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError({
        kind: 'bad-response',
        status: raw.status,
        operation,
        message: `${operation}: the answer (HTTP ${raw.status}) does not have the expected shape: ${redact(describeZodError(parsed.error), this.#token)}`,
      });
    }
    return { status: raw.status, headers: raw.headers, data: parsed.data };
  }

  #httpError(raw: RawResult, operation: string, spec: Pick<RequestSpec<unknown>, 'forbiddenHint' | 'notFoundHint'>): ApiError {
    const text = raw.text ?? '';
    let problem: ProblemDetails | undefined;
    try {
      const parsed = ProblemDetailsSchema.safeParse(JSON.parse(text));
      if (parsed.success) problem = redactValue(parsed.data, this.#token);
    } catch {
      // Not JSON (e.g. the contract's plain-string 403): the text goes into the message instead.
    }
    const retryAfterMs = raw.status === 429 || raw.status === 503 ? parseRetryAfter(raw.headers.get('retry-after'), this.#now()) : undefined;
    const kind = kindForStatus(raw.status);
    return new ApiError({
      kind,
      status: raw.status,
      problem,
      retryAfterMs,
      operation,
      message: `${operation}: ${redact(describeHttpError(raw.status, problem, text), this.#token)}`,
      hint: raw.status === 403 ? spec.forbiddenHint : raw.status === 404 || raw.status === 410 ? spec.notFoundHint : undefined,
    });
  }

  #url(path: string, query: Query | undefined): string {
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

// ---- helpers ----

/** What a 404 on a workflow id we know means. */
export function workflowGoneHint(workflowId: string): string {
  return `The service no longer has workflow ${workflowId}: it was deleted (cancelling deletes it), or it ended more than ${WORKFLOW_RETENTION_DAYS} days ago and expired. It cannot be followed any more.`;
}

/** The error for a `Retry-After` longer than we wait: says how long, and until when. */
function retryLater(error: ApiError, nowMs: number): ApiError {
  const ms = error.retryAfterMs ?? 0;
  const at = new Date(nowMs + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return new ApiError({
    kind: error.kind,
    status: error.status,
    problem: error.problem,
    retryAfterMs: ms,
    operation: error.operation,
    message: `${error.message} (the service asks to wait ${Math.ceil(ms / 1000)} s)`,
    hint: `The service asks for a pause of ${Math.ceil(ms / 1000)} s, longer than this tool waits: try again after ${at}.`,
  });
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function redirectTarget(location: string | null, from: string): URL | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, from);
  } catch {
    return undefined;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const protocol = new URL(text).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The scheme of a URL, for messages (never the rest, which may hold anything). */
function safeScheme(text: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]{0,20}):/.exec(text);
  return m ? `${m[1].toLowerCase()}:` : 'not a URL';
}

/** The JSON object to send: a plain object, minus the editor-only top-level `$schema` key. */
function prepareBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new TypeError('A workflow body must be a JSON object');
  const { $schema: _editorOnly, ...rest } = body as Record<string, unknown>;
  return rest;
}

function clampWait(wait: number | undefined): number {
  if (wait === undefined || !Number.isFinite(wait)) return 0;
  return Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.floor(wait)));
}

function requireId(id: string, what: string): string {
  if (typeof id !== 'string' || id.trim() === '') throw new TypeError(`${what} must be a non-empty string`);
  return id;
}

function operationPath(path: string): string {
  if (!/^https?:\/\//i.test(path)) return path;
  // Signed content URLs carry their signature in the path: show only where they point.
  try {
    const u = new URL(path);
    return `${u.origin}${u.pathname.replace(/\/content\/[^/]+$/, '/content/…')}`;
  } catch {
    return '(blob URL)';
  }
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 120 ? `${t.slice(0, 120)}…` : t || '(empty body)';
}

function networkMessage(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e?.message ?? 'network error'} (${cause})` : e?.message ?? 'network error';
}

function abortedError(operation?: string): ApiError {
  return new ApiError({ kind: 'aborted', operation, message: operation ? `${operation}: cancelled` : 'Cancelled' });
}

function throwIfAborted(signal: AbortSignal | undefined, operation?: string): void {
  if (signal?.aborted) throw abortedError(operation);
}

/** Settles with `promise`, or rejects the moment `signal` aborts (whatever `promise` does). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new AbortedError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
