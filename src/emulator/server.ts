// The local orchestrator emulator: Node's http server speaking the contract's routes and shapes
// for what the extension uses (submit with wait/whatif/hideMatureContent, get, query by tag,
// delete = cancel, blobs with signed expiring URLs, resources by AIR from a catalog), with bearer auth, contract validation,
// idempotency keys, a speedable clock, bounded memory and fault injection.
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BlobSigner } from './signing';
import { createClock, type EmulatorClock } from './clock';
import { FaultController, type Fault, type RouteName } from './faults';
import { BlobStore } from './blob-store';
import { LruMap } from './lru';
import { DEFAULT_TIMING, computeStates, isTerminal, rollUp, type EmuWorkflow, type StepTiming } from './model';
import { planWorkflow, type OwnBlob, type ValidationErrors } from './plan';
import { blobJson as renderBlobJson, renderEstimate, renderWorkflow } from './render';
import { lookupResource } from './resources';
import { contractErrors } from './validation';
import { modelVersionCatalog, modelVersionReply, type SiteModelVersion } from './site-model-versions';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  /** Accept only this bearer token (default: any non-empty token; each token is its own user). */
  token?: string;
  /** Virtual milliseconds per lifecycle phase of each step. */
  timing?: Partial<StepTiming>;
  /** How much faster than real time the virtual clock runs (default 1). `wait` is virtual too. */
  speed?: number;
  /** A clock of your own (tests move time by hand); overrides `speed`. */
  clock?: EmulatorClock;
  /** Lifetime of signed blob URLs in virtual ms (default 15 minutes). */
  blobUrlTtlMs?: number;
  /** Workflows remembered (default 500); the least recently used are forgotten beyond that. */
  maxWorkflows?: number;
  /** Bytes of rendered images cached (default 256 MiB). */
  maxImageBytes?: number;
  /** Largest output image in pixels (default 4096²); larger upscales fail `no_provider_available`. */
  maxImagePixels?: number;
  /** Largest request body in bytes (default 32 MiB, for data-URL images). */
  maxBodyBytes?: number;
  /** HMAC key for blob URLs (default: random per start). */
  secret?: string;
  /** One line per request, for `npm run emulator` (never includes the token). */
  log?: (line: string) => void;
  faults?: FaultController;
  /** Model versions the site route serves besides its built-in ones (see site-model-versions.ts). */
  modelVersions?: readonly SiteModelVersion[];
}

export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  route: Exclude<RouteName, 'any'> | 'unknown';
  query: Record<string, string[]>;
  /** Whether an Authorization header came with it. */
  authorized: boolean;
  /** The body's `externalId`, for submissions. */
  externalId?: string;
  /** The answer's status; 0 when the connection was dropped. */
  status: number;
  fault?: Fault['type'];
  /** Real epoch ms. */
  at: number;
}

export interface EmulatorHandle {
  /** Base URL to point a client at, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultController;
  readonly clock: EmulatorClock;
  /** Requests received, oldest first (the last 2,000). */
  readonly requests: readonly RequestRecord[];
  clearRequests(): void;
  /** Real (non-whatif, not deleted) workflows currently remembered. */
  workflowCount(): number;
  /** Bytes of rendered images currently cached. */
  imageCacheBytes(): number;
  close(): Promise<void>;
}

const WORKFLOWS = '/v2/consumer/workflows';
const BLOBS = '/v2/consumer/blobs';
const RESOURCES = '/v2/resources';
const MAX_WAIT_SECONDS = 100;
const REQUEST_LOG_LIMIT = 2000;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ValidationErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (blob content). */
  bytes?: Uint8Array;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const timing: StepTiming = { ...DEFAULT_TIMING, ...(options.timing ?? {}) };
  for (const [k, v] of Object.entries(timing)) if (!(v >= 0)) throw new RangeError(`timing.${k} must be >= 0`);
  const clock = options.clock ?? createClock(options.speed ?? 1);
  const faults = options.faults ?? new FaultController();
  const signer = new BlobSigner(options.secret ?? randomBytes(32).toString('base64url'));
  const urlTtl = options.blobUrlTtlMs ?? 15 * 60_000;
  const maxPixels = options.maxImagePixels ?? 4096 * 4096;
  const maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const log = options.log;
  const requests: RequestRecord[] = [];
  /** owner + externalId → workflow id (real) or the whatif estimate (phantom). */
  // Bounded like the workflows: whatif estimates filed under a key would otherwise pile up.
  const keys = new LruMap<string, { workflowId?: string; estimate?: Record<string, unknown> }>(4 * (options.maxWorkflows ?? 500));

  const images: BlobStore = new BlobStore(options.maxImageBytes ?? 256 * 1024 * 1024, maxPixels, (id) => workflows.peek(id));
  const workflows: LruMap<string, EmuWorkflow> = new LruMap<string, EmuWorkflow>(options.maxWorkflows ?? 500, Infinity, () => 0, (_id, wf) => {
    images.forget(wf);
    if (wf.externalId) keys.delete(keyOf(wf.owner, wf.externalId));
  });
  let baseUrl = '';
  const siteCatalog = modelVersionCatalog(options.modelVersions);

  const keyOf = (owner: string, externalId: string): string => `${owner}\u0000${externalId}`;

  // ---- auth ----
  function ownerOf(req: http.IncomingMessage): string {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S.*)$/i.exec(header);
    if (!m) throw new HttpProblem(401, 'Unauthorized', 'A bearer token is required: send "Authorization: Bearer <token>".', undefined, { 'www-authenticate': 'Bearer' });
    const token = m[1].trim();
    if (options.token !== undefined && token !== options.token) {
      throw new HttpProblem(401, 'Unauthorized', 'The bearer token is not valid for this emulator.', undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    // Each token is its own user: ids and idempotency keys are scoped per token, as per user upstream.
    return 'u' + createHash('sha256').update(token).digest('hex').slice(0, 16);
  }

  // ---- helpers ----
  const signUrl = (blobId: string): { url: string; expiresAt: number } => {
    const expiresAt = clock.now() + urlTtl;
    return { url: `${baseUrl}${BLOBS}/content/${signer.sign({ blobId, expiresAt })}`, expiresAt };
  };

  function render(wf: EmuWorkflow, hideMatureContent: boolean): Record<string, unknown> {
    return renderWorkflow(wf, { now: clock.now(), timing, signUrl, hideMatureContent });
  }

  function statusOf(wf: EmuWorkflow): ReturnType<typeof rollUp> {
    return rollUp(computeStates(wf, timing, clock.now()));
  }

  function findOwned(owner: string, id: string): EmuWorkflow {
    const wf = workflows.get(id);
    if (!wf || wf.owner !== owner || wf.deleted) throw new HttpProblem(404, 'Not Found', `No workflow "${id}".`);
    // Ephemeral workflows leave no record once terminal (results guide).
    if (wf.ephemeral && isTerminal(statusOf(wf).status)) {
      workflows.delete(id);
      images.forget(wf);
      throw new HttpProblem(404, 'Not Found', `No workflow "${id}" (ephemeral workflows are gone once finished).`);
    }
    return wf;
  }

  function blobUrlOwner(url: string): OwnBlob | undefined {
    const prefix = `${baseUrl}${BLOBS}/content/`;
    if (!url.startsWith(prefix)) return undefined;
    const check = signer.verify(url.slice(prefix.length), clock.now());
    if (!check.ok) return undefined;
    const loc = images.locate(check.token.blobId);
    const wf = loc && workflows.peek(loc.workflowId);
    if (!loc || !wf) return undefined;
    return { ...loc, info: wf.steps[loc.step].blobs[loc.blob] };
  }

  /** Holds the request until the workflow is terminal or `waitSeconds` (virtual) pass. */
  async function waitForTerminal(wf: EmuWorkflow, waitSeconds: number, req: http.IncomingMessage): Promise<boolean> {
    const deadline = clock.now() + Math.min(MAX_WAIT_SECONDS, Math.max(0, waitSeconds)) * 1000;
    for (;;) {
      if (isTerminal(statusOf(wf).status)) return true;
      const now = clock.now();
      if (now >= deadline || req.socket.destroyed) return false;
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(25, clock.toReal(deadline - now)))));
    }
  }

  // ---- routes ----
  async function submit(req: http.IncomingMessage, url: URL, owner: string, text: string, whatif: boolean): Promise<Reply> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, { $: [`The JSON value could not be parsed: ${(err as Error).message}`] });
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, { $: ['The request body must be a workflow object.'] });
    }
    const template = body as Record<string, unknown>;
    const errors = contractErrors(text);
    if (Object.keys(errors).length > 0) throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, errors);

    const wait = Number(url.searchParams.get('wait') ?? 0) || 0;
    const hide = url.searchParams.get('hideMatureContent') === 'true';
    const externalId = typeof template.externalId === 'string' ? template.externalId : undefined;
    const key = externalId ? keyOf(owner, externalId) : undefined;

    // Idempotency (contract): an existing workflow for this key — even a whatif — is returned.
    const existing = key ? keys.get(key) : undefined;
    if (existing?.estimate) return { status: 200, body: existing.estimate };
    const existingWf = existing?.workflowId ? workflows.get(existing.workflowId) : undefined;
    if (existingWf && !existingWf.deleted) {
      if (!whatif) await waitForTerminal(existingWf, wait, req);
      return renderedReply(existingWf, hide);
    }

    if (template.ephemeral === true && !(Array.isArray(template.callbacks) && template.callbacks.length > 0) && !(wait > 0)) {
      throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, {
        ephemeral: ['An ephemeral workflow needs a callback or wait > 0: otherwise its result could never be read.'],
      });
    }

    const planned = planWorkflow(template, {
      owner,
      now: clock.now(),
      maxImagePixels: maxPixels,
      blobByUrl: blobUrlOwner,
      stepFailure: whatif ? undefined : faults.takeStepFailure(),
    });
    if (!planned.ok) throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, planned.errors);
    const wf = planned.workflow;

    if (whatif) {
      const estimate = renderEstimate(wf);
      if (key) keys.set(key, { estimate });
      return { status: 200, body: estimate };
    }
    workflows.set(wf.id, wf);
    images.register(wf);
    if (key) keys.set(key, { workflowId: wf.id });
    await waitForTerminal(wf, wait, req);
    return renderedReply(wf, hide);
  }

  /**
   * 200 when the answer shows a finished workflow, else 202: decided from the body itself, so a
   * workflow that finishes between the wait and the rendering is never "202 succeeded".
   */
  function renderedReply(wf: EmuWorkflow, hide: boolean): Reply {
    const body = render(wf, hide);
    const status = (body as { status?: unknown }).status;
    return { status: typeof status === 'string' && isTerminal(status as Parameters<typeof isTerminal>[0]) ? 200 : 202, body };
  }

  function query(url: URL, owner: string): Reply {
    const tags = url.searchParams.getAll('tags');
    const take = clampInt(url.searchParams.get('take'), 100, 1, 1000);
    const ascending = url.searchParams.get('ascending') === 'true';
    const excludeFailed = url.searchParams.get('excludeFailed') === 'true';
    const from = Date.parse(url.searchParams.get('fromDate') ?? '');
    const to = Date.parse(url.searchParams.get('toDate') ?? '');
    const text = (url.searchParams.get('query') ?? '').toLowerCase();
    const hide = url.searchParams.get('hideMatureContent') !== 'false';
    const matches = [...workflows.values()]
      .filter((wf) => wf.owner === owner && !wf.deleted)
      .filter((wf) => tags.every((t) => wf.tags.includes(t)))
      .filter((wf) => (Number.isNaN(from) || wf.createdAt >= from) && (Number.isNaN(to) || wf.createdAt <= to))
      .filter((wf) => !text || JSON.stringify(wf.template.metadata ?? {}).toLowerCase().includes(text))
      .filter((wf) => !(wf.ephemeral && isTerminal(statusOf(wf).status)))
      .filter((wf) => !excludeFailed || !['failed', 'expired', 'canceled'].includes(statusOf(wf).status))
      .sort((a, b) => (ascending ? a.createdAt - b.createdAt : b.createdAt - a.createdAt) || a.id.localeCompare(b.id));
    const offset = decodeCursor(url.searchParams.get('cursor'));
    const page = matches.slice(offset, offset + take);
    const next = offset + take < matches.length ? Buffer.from(JSON.stringify({ o: offset + take })).toString('base64url') : '';
    return { status: 200, body: { next, items: page.map((wf) => render(wf, hide)) } };
  }

  function cancel(owner: string, id: string): Reply {
    const wf = findOwned(owner, id);
    const state = statusOf(wf);
    if (!isTerminal(state.status)) {
      const now = clock.now();
      wf.canceledAt = now;
      // DeleteWorkflow refunds when no work had started.
      if (state.startedAt === undefined || state.startedAt > now) {
        const debit = wf.transactions.list.find((t) => t.type === 'debit');
        if (debit) wf.transactions.list.push({ type: 'credit', amount: debit.amount, accountType: debit.accountType, id: `tx_${randomBytes(9).toString('base64url')}` });
      }
    }
    // Soft delete (contract `deletedAt`): reads and queries treat it as gone from now on.
    wf.deleted = true;
    return { status: 204 };
  }

  function blobInfo(owner: string, blobId: string): { wf: EmuWorkflow; step: number; blob: number } {
    const loc = images.locate(blobId);
    const wf = loc && workflows.peek(loc.workflowId);
    if (!loc || !wf || wf.owner !== owner || wf.deleted) throw new HttpProblem(404, 'Not Found', `No blob "${blobId}".`);
    if (computeStates(wf, timing, clock.now())[loc.step].status !== 'succeeded') {
      throw new HttpProblem(404, 'Not Found', `Blob "${blobId}" is not available yet.`);
    }
    return { wf, step: loc.step, blob: loc.blob };
  }

  function blobJson(blobId: string, info: { wf: EmuWorkflow; step: number; blob: number }): Record<string, unknown> {
    const step = info.wf.steps[info.step];
    const blob = step.blobs[info.blob];
    return renderBlobJson(blob, step.jobs[blob.job]?.id ?? null, signUrl(blobId));
  }

  function content(token: string): Reply {
    const check = signer.verify(token, clock.now());
    if (!check.ok) {
      if (check.problem === 'expired') throw new HttpProblem(403, 'Forbidden', 'This signed URL has expired. Refetch the workflow or refresh the blob for a fresh one.');
      if (check.problem === 'bad-signature') throw new HttpProblem(403, 'Forbidden', 'This URL is not validly signed.');
      throw new HttpProblem(400, 'Bad Request', 'This is not a blob content token.');
    }
    const loc = images.locate(check.token.blobId);
    const wf = loc && workflows.peek(loc.workflowId);
    if (!loc || !wf) throw new HttpProblem(404, 'Not Found', 'The blob is no longer available.');
    return {
      status: 200,
      bytes: images.bytes(wf, loc.step, loc.blob),
      headers: { 'content-type': wf.steps[loc.step].blobs[loc.blob].mime, 'cache-control': 'private, max-age=300' },
    };
  }

  async function route(req: http.IncomingMessage, url: URL, rec: RequestRecord, text: string): Promise<Reply> {
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    const isWorkflows = path === WORKFLOWS;
    const workflowId = seg.length === 4 && path.startsWith(WORKFLOWS + '/') ? seg[3] : undefined;
    const blobContent = seg.length === 5 && path.startsWith(`${BLOBS}/content/`) ? seg[4] : undefined;
    const blobRefresh = seg.length === 5 && path.startsWith(BLOBS + '/') && seg[4] === 'refresh' ? seg[3] : undefined;
    const blobId = seg.length === 4 && path.startsWith(BLOBS + '/') && seg[3] !== 'content' ? seg[3] : undefined;
    const resourceAir = seg.length === 3 && path.startsWith(RESOURCES + '/') ? seg[2] : undefined;

    if (blobContent !== undefined && method === 'GET') return withFault('blobContent', req, rec, undefined, () => content(blobContent));
    const site = method === 'GET' ? modelVersionReply(path, siteCatalog) : undefined;
    if (site) return withFault('modelVersion', req, rec, undefined, () => site);

    const auth = (): string => ownerOf(req);
    if (isWorkflows && method === 'POST') {
      const whatif = url.searchParams.get('whatif') === 'true';
      return withFault(whatif ? 'whatif' : 'submit', req, rec, auth, (owner) => submit(req, url, owner, text, whatif));
    }
    if (isWorkflows && method === 'GET') return withFault('queryWorkflows', req, rec, auth, (owner) => query(url, owner));
    if (workflowId !== undefined && method === 'GET') {
      return withFault('getWorkflow', req, rec, auth, async (owner) => {
        const wf = findOwned(owner, workflowId);
        const wait = Number(url.searchParams.get('wait') ?? 0) || 0;
        const hide = url.searchParams.get('hideMatureContent') === 'true';
        if (wait === 0) return { status: 200, body: render(wf, hide) };
        await waitForTerminal(wf, wait, req);
        return renderedReply(wf, hide);
      });
    }
    if (workflowId !== undefined && method === 'DELETE') return withFault('deleteWorkflow', req, rec, auth, (owner) => cancel(owner, workflowId));
    if (blobId !== undefined && (method === 'GET' || method === 'HEAD')) {
      return withFault('getBlob', req, rec, auth, (owner) => {
        blobInfo(owner, blobId);
        // GetBlob redirects to a cacheable content URL (contract: 308).
        return method === 'HEAD' ? { status: 204 } : { status: 308, headers: { location: signUrl(blobId).url } };
      });
    }
    if (blobRefresh !== undefined && method === 'POST') {
      return withFault('refreshBlob', req, rec, auth, (owner) => ({ status: 200, body: blobJson(blobRefresh, blobInfo(owner, blobRefresh)) }));
    }
    if (resourceAir !== undefined && method === 'GET') {
      return withFault('getResource', req, rec, auth, () => {
        const info = lookupResource(resourceAir, clock.now());
        if (!info) throw new HttpProblem(404, 'Not Found', `No resource "${resourceAir}".`);
        return { status: 200, body: info };
      });
    }
    const known = isWorkflows || workflowId !== undefined || blobId !== undefined || blobRefresh !== undefined || blobContent !== undefined || resourceAir !== undefined;
    if (known) throw new HttpProblem(405, 'Method Not Allowed', `${method} is not supported on ${path} by the emulator.`);
    throw new HttpProblem(404, 'Not Found', `The emulator has no route ${method} ${path}.`);
  }

  /**
   * Runs a route under the fault (if any) planned for it. Authentication comes first: faults
   * model a service that accepted the caller and then misbehaved.
   */
  async function withFault(
    name: Exclude<RouteName, 'any'>,
    req: http.IncomingMessage,
    rec: RequestRecord,
    auth: (() => string) | undefined,
    handler: (owner: string) => Reply | Promise<Reply>,
  ): Promise<Reply> {
    rec.route = name;
    const owner = auth ? auth() : '';
    const fault = faults.take(name);
    if (fault) rec.fault = fault.type;
    if (fault?.type === 'status') {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
      throw new HttpProblem(fault.status, http.STATUS_CODES[fault.status] ?? 'Error', fault.detail ?? 'Injected fault.', undefined, headers);
    }
    if (fault?.type === 'drop' && fault.after === 'none') throw new DropConnection();
    if (fault?.type === 'delay' && !(await delayUnlessClosed(fault.ms, req))) throw new DropConnection();
    const reply = await handler(owner);
    if (fault?.type === 'drop') throw new DropConnection();
    if (fault?.type === 'malformed') {
      return { status: 200, bytes: Buffer.from(fault.body ?? '{"id": "wf_broken", "status": "succ'), headers: { 'content-type': fault.contentType ?? 'application/json' } };
    }
    return reply;
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', baseUrl || 'http://localhost');
    const rec: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      route: 'unknown',
      query: collectQuery(url),
      authorized: typeof req.headers.authorization === 'string',
      status: 0,
      at: started,
    };
    requests.push(rec);
    if (requests.length > REQUEST_LOG_LIMIT) requests.splice(0, requests.length - REQUEST_LOG_LIMIT);
    let reply: Reply;
    try {
      const text = await readBody(req, maxBody);
      if (req.method === 'POST' && url.pathname.replace(/\/+$/, '') === WORKFLOWS) rec.externalId = peekExternalId(text);
      reply = await route(req, url, rec, text);
    } catch (err) {
      if (err instanceof DropConnection) {
        rec.status = 0;
        log?.(`${rec.method} ${rec.path} -> dropped (fault)`);
        req.socket.destroy();
        return;
      }
      reply = problemReply(err);
    }
    rec.status = reply.status;
    const shownPath = rec.path.startsWith(`${BLOBS}/content/`) ? `${BLOBS}/content/…` : rec.path + url.search;
    log?.(`${rec.method} ${shownPath} -> ${reply.status}${rec.fault ? ` (fault: ${rec.fault})` : ''} ${Date.now() - started} ms`);
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: Uint8Array | undefined = reply.bytes;
    if (payload === undefined && reply.body !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.body));
      headers['content-type'] ??= reply.status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8';
    }
    if (payload) headers['content-length'] = String(payload.length);
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  baseUrl = `http://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl === '[::]' ? '[::1]' : hostForUrl}:${address.port}`;

  return {
    url: baseUrl,
    port: address.port,
    faults,
    clock,
    requests,
    clearRequests: () => void requests.splice(0, requests.length),
    workflowCount: () => [...workflows.values()].filter((wf) => !wf.deleted).length,
    imageCacheBytes: () => images.cachedBytes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

class DropConnection extends Error {}

/** Waits `ms` real milliseconds; false (early) if the client hangs up meanwhile. */
function delayUnlessClosed(ms: number, req: http.IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      req.socket.off('close', onClose);
      resolve(true);
    }, ms);
    req.socket.once('close', onClose);
  });
}

function problemReply(err: unknown): Reply {
  if (err instanceof HttpProblem) {
    const body: Record<string, unknown> = {
      type: err.status === 400 ? 'https://tools.ietf.org/html/rfc9110#section-15.5.1' : `https://httpstatuses.io/${err.status}`,
      title: err.title,
      status: err.status,
    };
    if (err.detail) body.detail = err.detail;
    if (err.errors) body.errors = err.errors;
    return { status: err.status, body, headers: err.headers };
  }
  return { status: 500, body: { title: 'Internal Server Error', status: 500, detail: `The emulator failed: ${(err as Error)?.message ?? String(err)}` } };
}

function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new HttpProblem(413, 'Payload Too Large', `The request body is over ${max} bytes.`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function peekExternalId(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { externalId?: unknown };
    return typeof body?.externalId === 'string' ? body.externalId : undefined;
  } catch {
    return undefined;
  }
}

function collectQuery(url: URL): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (out[k] ??= []).push(v);
  return out;
}

function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function decodeCursor(cursor: string | null): number {
  if (!cursor) return 0;
  try {
    const o = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown }).o;
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : 0;
  } catch {
    return 0;
  }
}
