// What the commands that talk to the orchestrator share (submit, follow, status, cancel): the
// client from the environment, output that never shows a credential, a heartbeat while waiting,
// following a workflow to its end, saving its images inside --out, and the exact command that
// picks a run up again after any interruption.
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  ApiError,
  BaseUrlError,
  DEFAULT_BASE_URL,
  failureReasons,
  isTerminalStatus,
  normalizeBaseUrl,
  OrchestratorClient,
  workflowBlobs,
  workflowImages,
  type OrchestratorClientOptions,
  type RetryInfo,
  type StepImage,
  type Workflow,
  type WorkflowProgress,
} from '../core/api';
import { RunRecordStore, type RunRecord } from '../core/history/run-records';
import { Redactor } from '../core/redact';
import { imageExtension, outputExtension, pathInside, safeName } from '../core/results/file-names';
import { outputTexts, type OutputMedia } from '../core/results/step-outputs';
import { parseArgs, PROGRAM, UsageError, type CliIO } from './command';

export { PROGRAM } from './command';

export const EXIT = {
  ok: 0,
  usage: 2,
  validation: 3,
  auth: 4,
  service: 5,
  workflowFailed: 6,
  overBudget: 7,
  /** An AIR the service does not know or cannot use: nothing was sent (`resolveBeforeSpending`). */
  resource: 8,
  interrupted: 130,
} as const;

/** What the commands need from their surroundings; tests pass their own. */
export interface SessionDeps {
  env: Record<string, string | undefined>;
  client?: Partial<OrchestratorClientOptions>;
  /** Ends the run early (default: Ctrl+C or SIGTERM). */
  signal?: AbortSignal;
  /** Whether stdin is a terminal (the spending guard); default process.stdin.isTTY. */
  stdinIsTTY?: boolean;
  /** How often a line is printed while waiting (default 10 s). */
  heartbeatMs?: number;
}

/** stdout/stderr with anything shaped like a credential, and the token itself, replaced. */
export function redactingIO(io: CliIO, token: string | undefined): CliIO {
  const redactor = new Redactor();
  redactor.add(token);
  return { ...io, stdout: (t) => io.stdout(redactor.redact(t)), stderr: (t) => io.stderr(redactor.redact(t)) };
}

/** The base URL from --base-url, else CIVITAI_BASE_URL, else Civitai; normalised. */
export function resolveBaseUrl(option: string | true | undefined, env: SessionDeps['env']): string {
  return normalizeBaseUrl(String(option ?? env.CIVITAI_BASE_URL ?? DEFAULT_BASE_URL));
}

export function runStore(io: CliIO): RunRecordStore {
  return RunRecordStore.forWorkspace(io.cwd);
}

/** A client, or the exit code after saying why there is none. */
export function makeClient(command: string, baseUrl: string, io: CliIO, deps: SessionDeps): OrchestratorClient | number {
  const token = deps.env.CIVITAI_API_TOKEN?.trim();
  if (!token) {
    io.stderr(`${PROGRAM} ${command}: set CIVITAI_API_TOKEN to your Civitai API token (or any token for a local emulator)\n`);
    return EXIT.auth;
  }
  try {
    return new OrchestratorClient({
      onRetry: (info: RetryInfo) =>
        io.stderr(`  ${info.operation}: ${info.error.kind}${info.error.status ? ` ${info.error.status}` : ''}; retrying in ${Math.max(1, Math.round(info.delayMs / 1000))} s\n`),
      ...(deps.client ?? {}),
      baseUrl,
      token,
    });
  } catch (e) {
    if (!(e instanceof BaseUrlError)) throw e;
    io.stderr(`${PROGRAM} ${command}: ${e.message}\n`);
    return EXIT.usage;
  }
}

export function exitFor(err: ApiError): number {
  switch (err.kind) {
    case 'validation':
      return EXIT.validation;
    case 'auth':
    case 'forbidden':
      return EXIT.auth;
    case 'aborted':
      return EXIT.interrupted;
    case 'not-found':
      return EXIT.workflowFailed;
    default:
      return EXIT.service;
  }
}

/** A shell word: quoted only when needed. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that follows a run again (with the same service and --out). */
export function followCommand(idOrKey: string, baseUrl: string, outDir?: string, cwd?: string): string {
  const words = [PROGRAM, 'follow', idOrKey];
  if (baseUrl !== DEFAULT_BASE_URL) words.push('--base-url', baseUrl);
  if (outDir) words.push('--out', cwd ? path.relative(cwd, outDir) || '.' : outDir);
  return words.map(shellWord).join(' ');
}

export function cancelCommand(id: string, baseUrl: string): string {
  const words = [PROGRAM, 'cancel', id];
  if (baseUrl !== DEFAULT_BASE_URL) words.push('--base-url', baseUrl);
  return words.map(shellWord).join(' ');
}

/** Prints a line every `everyMs` while something is awaited, saying what. */
export class Heartbeat {
  #timer: ReturnType<typeof setInterval> | undefined;
  #since = Date.now();
  constructor(private readonly io: CliIO, private readonly everyMs: number, private what: string) {}

  start(what?: string): void {
    if (what) this.what = what;
    this.stop();
    this.#since = Date.now();
    this.#timer = setInterval(() => this.io.stderr(`… ${this.what} (${Math.round((Date.now() - this.#since) / 1000)} s)\n`), this.everyMs);
    this.#timer.unref?.();
  }

  set(what: string): void {
    this.what = what;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Output files other than images (videos, audio, 3D models, archives…), listed and saved too. */
const OTHER_FILES: readonly OutputMedia[] = ['video', 'audio', 'model3d', 'file'];

export function summary(workflow: Workflow): string[] {
  const lines = [`workflow ${workflow.id ?? '(none)'}: ${workflow.status}`];
  if (workflow.cost) lines.push(`cost: ${workflow.cost.total} Buzz`);
  for (const tx of workflow.transactions?.list ?? []) lines.push(`  ${tx.type} ${tx.amount} ${tx.accountType}`);
  for (const f of failureReasons(workflow)) {
    lines.push(`step ${f.stepName}: ${f.reason}${f.blockedReason ? ` (${f.blockedReason})` : ''}`);
  }
  for (const img of workflowImages(workflow)) {
    const size = img.blob.width && img.blob.height ? ` ${img.blob.width}x${img.blob.height}` : '';
    lines.push(`image ${img.stepName}/${img.blob.id}${size}: ${img.blob.url ?? '(no URL: hidden or blocked)'}`);
  }
  for (const file of workflowBlobs(workflow, OTHER_FILES)) {
    lines.push(`${file.media} ${file.stepName}/${file.path}: ${file.blob.url ?? '(no URL: hidden or blocked)'}`);
  }
  for (const step of workflow.steps) {
    for (const text of outputTexts(step.$type, step.output)) lines.push(`${text.label.toLowerCase()} ${step.name}: ${text.text.split('\n')[0].slice(0, 200)}`);
  }
  return lines;
}

export interface PollWindow {
  /** Absolute ms time to stop polling at (undefined: until the workflow ends). */
  deadline?: number;
  /** Ctrl+C: rejects with an `aborted` ApiError (the deadline does not). */
  signal?: AbortSignal;
  onProgress?: (progress: WorkflowProgress) => void;
}

/**
 * Polls a workflow until it ends or the deadline passes. At the deadline it keeps running on the
 * service, which is not an error: the last state seen is returned (undefined when none was seen
 * yet). Used by follow/submit and by the sweep for each of its workflows.
 */
export async function pollUntilEndOrDeadline(client: OrchestratorClient, id: string, window: PollWindow): Promise<Workflow | undefined> {
  const stop = new AbortController();
  const timer = window.deadline === undefined ? undefined : setTimeout(() => stop.abort(), Math.max(0, window.deadline - Date.now()));
  const onOuterAbort = (): void => stop.abort();
  window.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let latest: Workflow | undefined;
  try {
    return await client.pollUntilTerminal(id, {
      signal: stop.signal,
      onProgress: (p) => {
        latest = p.workflow;
        window.onProgress?.(p);
      },
    });
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'aborted' && !window.signal?.aborted) return latest;
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    window.signal?.removeEventListener('abort', onOuterAbort);
  }
}

export interface FollowArgs {
  command: string;
  client: OrchestratorClient;
  workflow: Workflow;
  /** Absolute ms time to stop waiting at (undefined: until it ends). */
  deadline?: number;
  waitSeconds?: number;
  outDir?: string;
  store?: RunRecordStore;
  record?: RunRecord;
  heartbeat: Heartbeat;
}

/**
 * Polls until the workflow ends, the deadline passes or the signal fires; prints the summary,
 * saves the images, and returns the exit code. Every way out that leaves the workflow running
 * says how to pick it up again.
 */
export async function followToEnd(args: FollowArgs, io: CliIO, deps: SessionDeps): Promise<number> {
  const { client, heartbeat } = args;
  let workflow = args.workflow;
  const id = workflow.id as string;
  const again = (): string => followCommand(id, client.baseUrl, args.outDir, io.cwd);
  if (!isTerminalStatus(workflow.status) && (args.deadline === undefined || Date.now() < args.deadline)) {
    let last = workflow.status as string;
    heartbeat.start(`workflow ${id}: ${last}`);
    try {
      workflow = await pollUntilEndOrDeadline(client, id, {
        deadline: args.deadline,
        signal: deps.signal,
        onProgress: (p) => {
          if (p.status !== last) io.stderr(`workflow ${p.workflowId}: ${p.status}\n`);
          last = p.status;
          heartbeat.set(`workflow ${id}: ${p.status}`);
        },
      }) ?? workflow;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.kind === 'aborted' && deps.signal?.aborted) {
        io.stderr(`interrupted: workflow ${id} keeps running on the service (it was not cancelled).\n  follow it: ${again()}\n  cancel it: ${cancelCommand(id, client.baseUrl)}\n`);
        return EXIT.interrupted;
      }
      io.stderr(`${PROGRAM} ${args.command}: ${e.message}\n  ${e.hint}\n`);
      if (e.kind !== 'not-found') io.stderr(`  workflow ${id} may still be running; follow it: ${again()}\n`);
      else if (args.store && args.record) await args.store.update(args.record.key, (r) => ({ ...r, status: 'canceled' })).catch(() => undefined);
      return exitFor(e);
    } finally {
      heartbeat.stop();
    }
  }
  if (args.store && args.record) {
    const status = workflow.status;
    await args.store.update(args.record.key, (r) => ({ ...r, workflowId: id, status, pendingBody: undefined })).catch(() => undefined);
  }

  io.stdout(summary(workflow).join('\n') + '\n');
  if (!isTerminalStatus(workflow.status)) {
    io.stdout(`still ${workflow.status} after ${args.waitSeconds ?? 0} s; it keeps running on the service.\n  follow it: ${again()}\n`);
    return EXIT.ok;
  }
  if (args.outDir && workflow.status === 'succeeded') {
    heartbeat.start(`downloading the images of workflow ${id}`);
    try {
      await saveImages(client, workflow, args.outDir, io, deps.signal);
    } finally {
      heartbeat.stop();
    }
  }
  return workflow.status === 'succeeded' ? EXIT.ok : EXIT.workflowFailed;
}

/** Where one image of a workflow stands: among all the workflow's images, and among its step's. */
export interface ImagePlace {
  index: number;
  indexInStep: number;
}

export interface SavedImage extends ImagePlace {
  image: StepImage;
  /** The file name inside the folder, and the full path. */
  name: string;
  file: string;
  /** The bytes written. */
  bytes: Uint8Array;
}

export interface ImageSaving {
  signal?: AbortSignal;
  /** Which images to save (default: all of them). */
  select?: (image: StepImage) => boolean;
  /** The file name of an image, from its place and the bytes to be written. */
  fileName: (image: StepImage, place: ImagePlace, bytes: Uint8Array) => string;
  /** The bytes to write instead of those downloaded (the sweep embeds each cell's parameters). */
  prepare?: (image: StepImage, bytes: Uint8Array) => Uint8Array;
  /** Told of each file as soon as it is written (so a later failure does not hide it). */
  onSaved?: (saved: SavedImage) => void;
}

/**
 * Downloads a workflow's images into `outDir` (which must exist): one home for the download, the
 * http(s)-only guard and the check that a name stays inside the folder, for submit/follow and the
 * sweep. An image without a URL is downloaded through a fresh one (the client asks for it).
 */
export async function saveWorkflowImages(client: OrchestratorClient, workflow: Workflow, outDir: string, io: CliIO, saving: ImageSaving): Promise<SavedImage[]> {
  const saved: SavedImage[] = [];
  const seenInStep = new Map<string, number>();
  for (const [index, image] of workflowImages(workflow).entries()) {
    const indexInStep = seenInStep.get(image.stepName) ?? 0;
    seenInStep.set(image.stepName, indexInStep + 1);
    if (saving.select && !saving.select(image)) continue;
    if (image.blob.url && !/^https?:\/\//i.test(image.blob.url)) {
      io.stderr(`warning: image ${image.stepName}/${image.blob.id} skipped: its URL is not http(s)\n`);
      continue;
    }
    const downloaded = await client.downloadImage(image.blob, { signal: saving.signal });
    const bytes = saving.prepare ? saving.prepare(image, downloaded) : downloaded;
    const place = { index, indexInStep };
    const name = saving.fileName(image, place, bytes);
    const file = pathInside(outDir, name);
    await writeFile(file, bytes);
    const entry = { ...place, image, name, file, bytes };
    saved.push(entry);
    saving.onSaved?.(entry);
  }
  return saved;
}

/** Saves every image and other output file into `outDir` under names made safe; skips URLs that are not http(s). */
async function saveImages(client: OrchestratorClient, workflow: Workflow, outDir: string, io: CliIO, signal?: AbortSignal): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await saveWorkflowImages(client, workflow, outDir, io, {
    signal,
    fileName: (image, { index }, bytes) => `${safeName(workflow.id ?? 'workflow', 80)}-${safeName(image.stepName, 40)}-${index}.${imageExtension(bytes)}`,
    onSaved: ({ file }) => io.stdout(`saved ${file}\n`),
  });
  for (const output of workflowBlobs(workflow, OTHER_FILES)) {
    if (!output.blob.url || !/^https?:\/\//i.test(output.blob.url)) {
      io.stderr(`warning: ${output.media} ${output.stepName}/${output.path} skipped: ${output.blob.url ? 'its URL is not http(s)' : 'it has no URL'}\n`);
      continue;
    }
    const bytes = await client.downloadImage({ id: output.blob.id, url: output.blob.url }, { signal });
    const name = `${safeName(workflow.id ?? 'workflow', 80)}-${safeName(output.stepName, 40)}-${safeName(output.path, 60)}.${outputExtension(bytes, output.media)}`;
    const file = pathInside(outDir, name);
    await writeFile(file, bytes);
    io.stdout(`saved ${file}\n`);
  }
}

/** Runs `body` with Ctrl+C and SIGTERM turned into an abort of `deps.signal`. */
export async function withInterrupts<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(interrupt.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export interface TargetArgs {
  target: string;
  options: Map<string, string | true>;
}

/** `COMMAND ID|KEY [options]`: the target and options, or the exit code after help or a usage error. */
function parseTargetArgs(command: string, args: readonly string[], io: CliIO, help: string, valued: readonly string[] = []): TargetArgs | number {
  try {
    const parsed = parseArgs(args, { valued: ['base-url', ...valued], flags: ['help', 'h'] });
    if (parsed.options.has('help') || parsed.options.has('h')) {
      io.stdout(help);
      return EXIT.ok;
    }
    if (parsed.positionals.length !== 1) throw new UsageError('give one workflow id or idempotency key');
    return { target: parsed.positionals[0], options: parsed.options };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`${PROGRAM} ${command}: ${e.message}\n\n${help}`);
    return EXIT.usage;
  }
}

/**
 * The run behind `ID|KEY` and the service it ran on: --base-url, else the run record's service,
 * else CIVITAI_BASE_URL, else Civitai. Returns the exit code after saying why when it cannot.
 */
async function resolveTargetService(
  command: string,
  { target, options }: TargetArgs,
  io: CliIO,
  env: SessionDeps['env'],
): Promise<{ id?: string; record?: RunRecord; store: RunRecordStore; baseUrl: string } | number> {
  const store = runStore(io);
  const record = await store.find(target);
  try {
    const baseUrl = resolveBaseUrl(options.get('base-url') ?? record?.serviceUrl, env);
    return { id: record ? record.workflowId : target, record, store, baseUrl };
  } catch (e) {
    if (!(e instanceof BaseUrlError)) throw e;
    io.stderr(`${PROGRAM} ${command}: ${e.message}\n`);
    return EXIT.usage;
  }
}

export interface TargetRun extends TargetArgs {
  /** stdout/stderr that never show the token. */
  io: CliIO;
  /** The workflow id: the target itself, or the one its run record has learnt (none yet: undefined). */
  id?: string;
  /** The run record when the target is an idempotency key (or a workflow id) found in .civitai/runs/. */
  record?: RunRecord;
  store: RunRecordStore;
  baseUrl: string;
}

/**
 * What the commands that take `ID|KEY` (status, cancel, follow) do first: output that hides the
 * token, the target and options read (help and usage errors answered), and the run and service
 * behind the target. The exit code when the command ends there.
 */
export async function openTargetRun(command: string, args: readonly string[], rawIO: CliIO, deps: SessionDeps, help: string, valued: readonly string[] = []): Promise<TargetRun | number> {
  const io = redactingIO(rawIO, deps.env.CIVITAI_API_TOKEN?.trim());
  const parsed = parseTargetArgs(command, args, io, help, valued);
  if (typeof parsed === 'number') return parsed;
  const run = await resolveTargetService(command, parsed, io, deps.env);
  if (typeof run === 'number') return run;
  return { ...parsed, ...run, io };
}

/** Records what the service said of a run in its record, when it has one (best effort: a record is a cache). */
export async function updateRunRecord(run: TargetRun, change: (record: RunRecord) => RunRecord): Promise<void> {
  if (run.record) await run.store.update(run.record.key, change).catch(() => undefined);
}

/** The usual ending of a command that talked to the service and got an ApiError. */
export function reportApiError(command: string, e: unknown, io: CliIO): number {
  if (!(e instanceof ApiError)) throw e;
  io.stderr(`${PROGRAM} ${command}: ${e.message}\n  ${e.hint}\n`);
  return exitFor(e);
}
