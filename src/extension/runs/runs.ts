// Follows workflows from submission to their images on disk. Every step lands in the history
// first, so a window closed at any moment resumes correctly on reload:
//   1. the entry with its idempotency key and body is persisted BEFORE the POST;
//   2. the workflow id is persisted as soon as the service answers;
//   3. polling updates status and snapshot; on success the images are downloaded.
// A resumed entry without an id is POSTed again with the same key (the service answers with the
// existing workflow instead of running it twice); one with an id is polled.
import * as vscode from 'vscode';
import {
  isApiError, workflowBlobs, workflowGoneHint, workflowImages, type ApiError, type ImageBlob, type OrchestratorClient, type StepBlob, type Workflow,
} from '../../core/api';
import {
  applySnapshot, isUnfinished, newSubmissionEntry, withStatus, WorkflowSnapshotSchema,
  type HistoryEntry, type PreviewCost, type SavedFile, type SavedImage,
} from '../../core/history';
import { resultImageWithParameters } from '../../core/results/image-parameters';
import { explainError } from '../common/errors';
import type { HistoryStore } from '../history/historyStore';
import { describe, type Log } from '../common/log';
import { exists, resultsRoot, workflowFolder, writeImage, writeOutputFile } from '../results/resultsFiles';
import type { ServiceConnection } from '../connection/service';
import type { SharedRunRecords } from './runRecords';
import { readSettings } from '../common/settings';

export interface RunsHost {
  history: HistoryStore;
  service: ServiceConnection;
  log: Log;
  storageUri: vscode.Uri;
  /** The run records shared with the CLI (optional: tests may leave them out). */
  records?: SharedRunRecords;
}

export interface SubmitRequest {
  body: Record<string, unknown>;
  /** Digest of the body (see `bodyDigest`), to tell later whether a file still matches this run. */
  digest?: string;
  key: string;
  label: string;
  fileUri?: string;
  estimate: number | null;
  whatif?: PreviewCost;
}

interface ActiveRun {
  controller: AbortController;
  done: Promise<HistoryEntry | undefined>;
  cancelRequested: boolean;
}

/** Consecutive failed polls (each already retried by the client) before giving up until Refresh. */
const MAX_POLL_FAILURES = 6;
const POLL_FAILURE_PAUSE_MS = 15_000;

export class WorkflowRuns implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly notices = new Map<string, string>();
  private disposed = false;

  constructor(private readonly host: RunsHost) {}

  private get history(): HistoryStore {
    return this.host.history;
  }

  isActive(key: string): boolean {
    return this.active.has(key);
  }

  /** The run's completion, if it is being followed. */
  whenDone(key: string): Promise<HistoryEntry | undefined> | undefined {
    return this.active.get(key)?.done;
  }

  noticeFor(key: string): string | null {
    return this.notices.get(key) ?? null;
  }

  /**
   * Persists the entry (key + body) and only then starts the POST. Resolves once the entry is
   * stored; `done` settles when the run ends (or fails before the service accepted it: rejects
   * with the ApiError so the caller can map a 400 onto the file).
   */
  async submit(request: SubmitRequest): Promise<{ entry: HistoryEntry; done: Promise<HistoryEntry | undefined> }> {
    const target = this.host.service.current();
    const now = new Date().toISOString();
    const entry = await this.history.put({
      ...newSubmissionEntry({
        key: request.key,
        serviceUrl: target.baseUrl,
        emulator: target.kind === 'emulator',
        label: request.label,
        fileUri: request.fileUri,
        body: request.body,
        estimate: request.estimate,
        now,
      }),
      whatif: request.whatif,
      bodyDigest: request.digest,
    });
    if (request.digest) {
      const file = request.fileUri ? vscode.workspace.asRelativePath(vscode.Uri.parse(request.fileUri), false) : request.label;
      await this.host.records?.submitting({ key: request.key, serviceUrl: target.baseUrl, digest: request.digest, body: request.body, file });
    }
    this.host.log.info(`submit ${request.label}: idempotency key ${request.key} saved; sending to ${target.baseUrl}`);
    return { entry, done: this.follow(entry.key, true) };
  }

  /** Picks up an unfinished entry (after a reload, or on Refresh). No-op when already followed. */
  resume(key: string): Promise<HistoryEntry | undefined> {
    const running = this.active.get(key);
    if (running) return running.done;
    return this.follow(key, false).catch(() => this.history.get(key));
  }

  /** Resumes every unfinished entry this service can reach. */
  resumeUnfinished(): void {
    for (const entry of this.history.unfinished()) {
      if (this.canReach(entry)) void this.resume(entry.key);
      else this.notices.set(entry.key, this.unreachableNotice(entry));
    }
  }

  /** Whether the current service is the one that runs this entry. */
  canReach(entry: HistoryEntry): boolean {
    return this.host.service.current().baseUrl === entry.serviceUrl;
  }

  private unreachableNotice(entry: HistoryEntry): string {
    return entry.emulator
      ? 'This workflow ran on a local emulator session that has ended; its state is gone with it.'
      : `This workflow runs on ${entry.serviceUrl}, but the extension now talks to ${this.host.service.current().baseUrl}. Switch back (civitai.baseUrl) to follow it.`;
  }

  /** Fetches the current state once (and keeps following it if unfinished). */
  async refresh(key: string): Promise<HistoryEntry | undefined> {
    const entry = this.history.get(key);
    if (!entry) return undefined;
    if (!this.canReach(entry)) {
      this.notices.set(key, this.unreachableNotice(entry));
      await this.history.update(key, (e) => ({ ...e }));
      return entry;
    }
    if (isUnfinished(entry)) return this.resume(key);
    if (!entry.workflowId) return entry;
    const client = await this.host.service.client();
    const workflow = await client.getWorkflow(entry.workflowId, { hideMatureContent: readSettings().settings.hideMatureContent });
    const updated = await this.record(key, workflow);
    if (workflow.status === 'succeeded' || workflowBlobs(workflow).length > 0) await this.downloadOutputs(key, workflow, client);
    return updated;
  }

  /**
   * Cancels the run: stops following it and deletes the workflow on the service (which stops it;
   * Buzz for work already done stays charged). Works while the POST is still waiting too: the key
   * re-attaches to learn the id first.
   */
  async cancel(key: string): Promise<HistoryEntry | undefined> {
    const entry = this.history.get(key);
    if (!entry) return undefined;
    const run = this.active.get(key);
    if (run) run.cancelRequested = true;
    const client = await this.host.service.client();
    let workflowId = entry.workflowId;
    if (!workflowId && entry.submitted && entry.pendingBody !== undefined) {
      run?.controller.abort();
      const attached = await client.submitWorkflow(entry.pendingBody, { wait: 0, externalId: entry.key });
      workflowId = attached.workflow.id ?? undefined;
      await this.record(key, attached.workflow);
    }
    if (!workflowId) {
      return this.history.update(key, (e) => ({ ...withStatus(e, 'canceled', new Date().toISOString()), pendingBody: undefined }));
    }
    this.host.log.info(`cancel ${entry.label}: deleting workflow ${workflowId}`);
    await client.cancelWorkflow(workflowId);
    run?.controller.abort();
    this.notices.delete(key);
    await this.host.records?.updated(key, { workflowId, status: 'canceled' });
    return this.history.update(key, (e) => ({ ...withStatus(e, 'canceled', new Date().toISOString()), pendingBody: undefined, lastError: undefined }));
  }

  /**
   * Downloads (again) one image: refetches the workflow for fresh signed URLs (they expire), then
   * downloads, refreshing the blob's URL once more if needed.
   */
  async refreshImage(key: string, blobId: string): Promise<SavedImage | undefined> {
    const entry = this.history.get(key);
    if (!entry?.workflowId) return undefined;
    const client = await this.host.service.client();
    const workflow = await client.getWorkflow(entry.workflowId, { hideMatureContent: readSettings().settings.hideMatureContent });
    await this.record(key, workflow);
    await this.downloadOutputs(key, workflow, client, blobId);
    return this.history.get(key)?.images.find((i) => i.blobId === blobId);
  }

  // ---- the run ----

  private follow(key: string, rethrowSubmitErrors: boolean): Promise<HistoryEntry | undefined> {
    const controller = new AbortController();
    const run: ActiveRun = { controller, done: Promise.resolve(undefined), cancelRequested: false };
    run.done = this.drive(key, run, rethrowSubmitErrors).finally(() => {
      if (this.active.get(key) === run) this.active.delete(key);
    });
    this.active.set(key, run);
    return run.done;
  }

  private async drive(key: string, run: ActiveRun, rethrowSubmitErrors: boolean): Promise<HistoryEntry | undefined> {
    const signal = run.controller.signal;
    const { settings } = readSettings();
    let entry = this.history.get(key);
    if (!entry) return undefined;
    this.notices.delete(key);
    let client: OrchestratorClient;
    try {
      client = await this.host.service.client();
    } catch (error) {
      this.notices.set(key, describe(error));
      await this.history.update(key, (e) => ({ ...e, lastError: describe(error) }));
      if (rethrowSubmitErrors) throw error;
      return this.history.get(key);
    }

    let workflow: Workflow | undefined;
    if (!entry.workflowId) {
      if (!entry.submitted || entry.pendingBody === undefined) {
        return this.history.update(key, (e) => ({ ...e, lastError: 'Nothing to resume: the workflow was never accepted by the service.' }));
      }
      try {
        const result = await client.submitWorkflow(entry.pendingBody, {
          // A first submission may wait inline; a re-attach only needs the id.
          wait: rethrowSubmitErrors ? settings.wait : 0,
          hideMatureContent: settings.hideMatureContent,
          externalId: key,
          signal,
          onExternalId: (k) => {
            if (k !== key) throw new Error(`idempotency key mismatch (${k} is not the saved key)`);
          },
        });
        workflow = result.workflow;
        entry = await this.record(key, workflow);
        this.host.log.info(`submit ${entry?.label}: workflow ${workflow.id} (${workflow.status}, HTTP ${result.httpStatus})`);
      } catch (error) {
        await this.submitFailed(key, run, error);
        if (rethrowSubmitErrors && !(isApiError(error) && error.kind === 'aborted')) throw error;
        return this.history.get(key);
      }
    }

    const id = this.history.get(key)?.workflowId;
    if (!id) return this.history.get(key);
    if (!workflow || !isTerminal(workflow)) {
      workflow = await this.poll(key, id, client, run);
      if (!workflow) return this.history.get(key);
    }
    if (workflowBlobs(workflow).length > 0) await this.downloadOutputs(key, workflow, client);
    const final = this.history.get(key);
    this.host.log.info(`workflow ${id} (${final?.label}) ended ${workflow.status}; ${final?.images.filter((i) => i.localPath).length ?? 0} image(s) saved`);
    return final;
  }

  private async poll(key: string, id: string, client: OrchestratorClient, run: ActiveRun): Promise<Workflow | undefined> {
    const { settings } = readSettings();
    let failures = 0;
    for (;;) {
      try {
        return await client.pollUntilTerminal(id, {
          signal: run.controller.signal,
          hideMatureContent: settings.hideMatureContent,
          cadenceMs: this.host.service.pollCadence(),
          onProgress: (p) => {
            failures = 0;
            this.notices.delete(key);
            void this.record(key, p.workflow);
          },
        });
      } catch (error) {
        if (run.controller.signal.aborted || (isApiError(error) && error.kind === 'aborted')) return undefined;
        if (isApiError(error) && error.kind === 'not-found') {
          const why = run.cancelRequested ? undefined : workflowGoneHint(id);
          await this.history.update(key, (e) => ({ ...withStatus(e, 'canceled', new Date().toISOString()), lastError: why }));
          return undefined;
        }
        failures++;
        const entry = this.history.get(key);
        const explanation = explainError(`Following ${entry?.label ?? id}`, error, { emulator: entry?.emulator ?? false }).message;
        this.host.log.warn(`poll ${id}: ${describe(error)} (failure ${failures} of ${MAX_POLL_FAILURES})`);
        const retryable = isApiError(error) && error.retryable;
        if (!retryable || failures >= MAX_POLL_FAILURES || this.disposed) {
          this.notices.set(key, `${explanation} Use Refresh to try again.`);
          await this.history.update(key, (e) => ({ ...e, lastError: explanation }));
          return undefined;
        }
        this.notices.set(key, `${explanation} Retrying…`);
        await this.history.update(key, (e) => ({ ...e }));
        if (!(await pause(POLL_FAILURE_PAUSE_MS, run.controller.signal))) return undefined;
      }
    }
  }

  private async submitFailed(key: string, run: ActiveRun, error: unknown): Promise<void> {
    const entry = this.history.get(key);
    if (!entry) return;
    const e = isApiError(error) ? error : undefined;
    if (e?.kind === 'aborted' || run.controller.signal.aborted) {
      // Cancel (or shutdown) during the POST: cancel() takes it from here; a shutdown resumes on reload.
      return;
    }
    const explanation = explainError(`Submitting ${entry.label}`, error, { emulator: entry.emulator }).message;
    this.host.log.warn(`submit ${entry.label}: ${describe(error)}`);
    if (e && definitelyNotCreated(e)) {
      // The service refused it: nothing runs and nothing is charged; the body is no longer needed.
      await this.history.update(key, (x) => ({ ...withStatus(x, 'rejected', new Date().toISOString()), pendingBody: undefined, lastError: explanation }));
    } else {
      // The POST may or may not have arrived: keep key and body, so Refresh or a reload re-attaches.
      this.notices.set(key, `${explanation} Refresh re-attaches with the same idempotency key (no double charge).`);
      await this.history.update(key, (x) => ({ ...x, lastError: explanation }));
    }
  }

  /** Stores the service's view of the workflow on the entry. */
  private async record(key: string, workflow: Workflow): Promise<HistoryEntry | undefined> {
    const parsed = WorkflowSnapshotSchema.safeParse(workflow);
    if (!parsed.success) {
      this.host.log.warn(`workflow ${workflow.id ?? '?'}: answer kept out of history (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return this.history.get(key);
    }
    try {
      const updated = await this.history.update(key, (e) => applySnapshot(e, parsed.data, new Date().toISOString()));
      if (updated?.workflowId) await this.host.records?.updated(key, { workflowId: updated.workflowId, status: updated.status });
      return updated;
    } catch (error) {
      // Called from progress callbacks too: a failure here is logged, never an unhandled rejection.
      this.host.log.error(`workflow ${workflow.id ?? '?'}: could not record its state in history`, error);
      return this.history.get(key);
    }
  }

  // ---- images and other output files ----

  private async downloadOutputs(key: string, workflow: Workflow, client: OrchestratorClient, only?: string): Promise<void> {
    await this.downloadImages(key, workflow, client, only);
    await this.downloadFiles(key, workflow, client, only);
  }

  /** Videos, audio, 3D models and other files: saved beside the images, one at a time. */
  private async downloadFiles(key: string, workflow: Workflow, client: OrchestratorClient, only?: string): Promise<void> {
    const items = workflowBlobs(workflow, ['video', 'audio', 'model3d', 'file']).filter((b) => !only || b.blob.id === only);
    for (const item of items) await this.downloadFile(key, client, item, Boolean(only));
  }

  private async downloadFile(key: string, client: OrchestratorClient, item: StepBlob, force: boolean): Promise<void> {
    const entry = this.history.get(key);
    if (!entry?.workflowId) return;
    const { blob } = item;
    const known = entry.files?.find((f) => f.blobId === blob.id);
    if (!force && known?.localPath && (await exists(vscode.Uri.file(known.localPath)))) return;
    const base: SavedFile = { blobId: blob.id, stepIndex: item.stepIndex, stepName: item.stepName, type: typeof blob.type === 'string' && blob.type ? blob.type : item.media };
    if (blob.blockedReason || (!blob.url && blob.available === false)) {
      await this.saveFileRecord(key, { ...base, withheld: blob.blockedReason ? `Blocked by moderation: ${blob.blockedReason}` : 'The service withheld this file.' });
      return;
    }
    try {
      const bytes = await client.downloadImage({ id: blob.id, url: blob.url ?? null });
      const folder = workflowFolder(resultsRoot(readSettings().settings.resultsFolder, this.host.storageUri), entry.label, entry.workflowId);
      const file = await writeOutputFile(folder, item.stepName, item.path, bytes, item.media);
      await this.saveFileRecord(key, { ...base, localPath: file.fsPath });
    } catch (error) {
      const message = `Could not download the ${base.type} of step ${item.stepName}: ${isApiError(error) ? `${error.message}. ${error.hint}` : describe(error)}`;
      this.host.log.warn(`workflow ${entry.workflowId}: ${message}`);
      await this.history.update(key, (e) => ({ ...e, lastError: `${message} Use Download in the results panel to retry.` }));
    }
  }

  private async saveFileRecord(key: string, file: SavedFile): Promise<void> {
    await this.history.update(key, (e) => ({ ...e, files: [...(e.files ?? []).filter((f) => f.blobId !== file.blobId), file] }));
  }

  private async downloadImages(key: string, workflow: Workflow, client: OrchestratorClient, only?: string): Promise<void> {
    const perStep = new Map<number, number>();
    const items = workflowImages(workflow).map((image) => {
      const index = perStep.get(image.stepIndex) ?? 0;
      perStep.set(image.stepIndex, index + 1);
      return { ...image, index };
    });
    const queue = items.filter((i) => !only || i.blob.id === only);
    const workers = Array.from({ length: Math.min(3, queue.length) }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) await this.downloadOne(key, client, workflow, item, Boolean(only));
    });
    await Promise.all(workers);
  }

  private async downloadOne(
    key: string,
    client: OrchestratorClient,
    workflow: Workflow,
    item: { stepIndex: number; stepName: string; index: number; blob: ImageBlob },
    force: boolean,
  ): Promise<void> {
    const entry = this.history.get(key);
    if (!entry?.workflowId) return;
    const { blob, index } = item;
    const known = entry.images.find((i) => i.blobId === blob.id);
    if (!force && known?.localPath && (await exists(vscode.Uri.file(known.localPath)))) return;
    const reportedSeed = (blob as { seed?: unknown }).seed;
    const base: SavedImage = {
      blobId: blob.id,
      stepIndex: item.stepIndex,
      stepName: item.stepName,
      index,
      width: blob.width ?? undefined,
      height: blob.height ?? undefined,
      seed: typeof reportedSeed === 'number' ? reportedSeed : known?.seed,
    };
    if (blob.blockedReason || (!blob.url && blob.available === false)) {
      const withheld = blob.blockedReason ? `Blocked by moderation: ${blob.blockedReason}` : 'The service withheld this image (mature content hidden, or not available).';
      await this.saveImageRecord(key, { ...base, withheld });
      return;
    }
    try {
      // A PNG keeps what made it (A1111-style parameters), from the steps as the service ran them:
      // the submitted body is no longer kept once the workflow has an id, and a resumed or opened
      // workflow never had one here.
      const bytes = resultImageWithParameters(await client.downloadImage(blob), workflow, item.stepIndex, base.seed);
      const folder = workflowFolder(resultsRoot(readSettings().settings.resultsFolder, this.host.storageUri), entry.label, entry.workflowId);
      const file = await writeImage(folder, item.stepName, index, bytes);
      await this.saveImageRecord(key, { ...base, localPath: file.fsPath });
    } catch (error) {
      const message = `Could not download image ${index + 1} of step ${item.stepName}: ${isApiError(error) ? `${error.message}. ${error.hint}` : describe(error)}`;
      this.host.log.warn(`workflow ${entry.workflowId}: ${message}`);
      await this.history.update(key, (e) => ({ ...e, lastError: `${message} Use Download in the results panel to retry.` }));
    }
  }

  private async saveImageRecord(key: string, image: SavedImage): Promise<void> {
    await this.history.update(key, (e) => ({
      ...e,
      images: [...e.images.filter((i) => i.blobId !== image.blobId), image].sort((a, b) => a.stepIndex - b.stepIndex || a.index - b.index),
    }));
  }

  dispose(): void {
    this.disposed = true;
    // Stop following; the history keeps what is needed to resume after the reload.
    for (const run of this.active.values()) run.controller.abort();
    this.active.clear();
  }
}

function isTerminal(workflow: Workflow): boolean {
  return ['succeeded', 'failed', 'expired', 'canceled'].includes(workflow.status);
}

/** Errors after which the service has certainly not created (or charged) the workflow. */
function definitelyNotCreated(error: ApiError): boolean {
  return error.kind === 'validation' || error.kind === 'auth' || error.kind === 'forbidden';
}

function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
