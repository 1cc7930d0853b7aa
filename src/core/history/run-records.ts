// Run records: one small JSON file per submission, `<workspace>/.civitai/runs/<key>.json`, shared
// by the CLI and the extension. The record (idempotency key + body digest, and the body itself
// until the service gives an id) is written BEFORE the POST, so whatever happens next — Ctrl+C, a
// kill, a lost answer — re-running the same unchanged body finds it and re-attaches with the same
// key instead of paying again. Records are validated on read: the folder is a trust boundary.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as z from '../zod-mini';
import { WORKFLOW_RETENTION_DAYS } from '../api/client';
import { EntryStatusSchema, IDEMPOTENCY_KEY_PATTERN } from './entry';

/** Where records live, relative to the workspace (or the CLI's working directory). */
export const RUNS_FOLDER = path.join('.civitai', 'runs');

const MAX_RECORD_BYTES = 4 * 1024 * 1024;
let writeCounter = 0;
/** Enough for months of runs; older files beyond it are not read (a bounded scan). */
const MAX_RECORDS_SCANNED = 2000;

export const RunRecordSchema = z.object({
  version: z.literal(1),
  /** The idempotency key sent as `externalId`; also the file name. */
  key: z.string().check(z.regex(IDEMPOTENCY_KEY_PATTERN)),
  /** Normalised base URL of the service it was sent to. */
  serviceUrl: z.string(),
  /** `bodyDigest` of the body as written in the file (key order and `externalId` ignored). */
  bodyDigest: z.string().check(z.maxLength(128)),
  /** The workflow file, as the user named it. */
  file: z.optional(z.string()),
  by: z.enum(['cli', 'extension']),
  workflowId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  status: EntryStatusSchema,
  /** The body POSTed, kept only until the service has given an id (a re-attach re-sends it). */
  pendingBody: z.optional(z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** Statuses after which a re-run of the same body means "run it again", not "show me that one". */
const CLOSED: ReadonlySet<string> = new Set(['failed', 'expired', 'canceled', 'rejected']);

export class RunRecordStore {
  constructor(readonly dir: string) {}

  static forWorkspace(root: string): RunRecordStore {
    return new RunRecordStore(path.join(root, RUNS_FOLDER));
  }

  fileFor(key: string): string {
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw new TypeError('not an idempotency key');
    return path.join(this.dir, `${key}.json`);
  }

  /** Writes the record and resolves once it is on disk (write to a temporary file, then rename). */
  async write(record: RunRecord): Promise<RunRecord> {
    const valid = RunRecordSchema.parse(record);
    await mkdir(this.dir, { recursive: true });
    const file = this.fileFor(valid.key);
    // Unique per write: two updates in flight never share (and rename away) one temporary file.
    const tmp = `${file}.${process.pid}-${++writeCounter}.tmp`;
    await writeFile(tmp, JSON.stringify(valid, null, 2) + '\n', { encoding: 'utf8', flush: true });
    await rename(tmp, file);
    return valid;
  }

  async update(key: string, change: (record: RunRecord) => RunRecord): Promise<RunRecord | undefined> {
    const current = await this.read(key);
    return current ? this.write({ ...change(current), updatedAt: new Date().toISOString() }) : undefined;
  }

  async remove(key: string): Promise<void> {
    await rm(this.fileFor(key), { force: true });
  }

  async read(key: string): Promise<RunRecord | undefined> {
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) return undefined;
    return readRecord(this.fileFor(key));
  }

  /** Every readable record, newest first (unreadable or foreign files are skipped). */
  async list(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const records: RunRecord[] = [];
    for (const name of names.slice(0, MAX_RECORDS_SCANNED)) {
      const record = await readRecord(path.join(this.dir, name));
      if (record && `${record.key}.json` === name) records.push(record);
    }
    return records.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /**
   * The run a re-submission of this body should re-attach to: same body, same service, not
   * closed (failed, canceled…), and young enough that the service still has it.
   */
  async findReattachable(bodyDigest: string, serviceUrl: string, now = Date.now()): Promise<RunRecord | undefined> {
    const oldest = now - WORKFLOW_RETENTION_DAYS * 86_400_000;
    return (await this.list()).find(
      (r) => r.bodyDigest === bodyDigest && r.serviceUrl === serviceUrl && !CLOSED.has(r.status) && Date.parse(r.createdAt) >= oldest,
    );
  }

  /** A record by its key, or by the workflow id it got. */
  async find(idOrKey: string): Promise<RunRecord | undefined> {
    return (await this.read(idOrKey)) ?? (await this.list()).find((r) => r.workflowId === idOrKey);
  }
}

async function readRecord(file: string): Promise<RunRecord | undefined> {
  try {
    if ((await stat(file)).size > MAX_RECORD_BYTES) return undefined;
    const parsed = RunRecordSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function newRunRecord(args: {
  key: string;
  serviceUrl: string;
  bodyDigest: string;
  body: unknown;
  file?: string;
  by: RunRecord['by'];
  now?: string;
}): RunRecord {
  const now = args.now ?? new Date().toISOString();
  return {
    version: 1,
    key: args.key,
    serviceUrl: args.serviceUrl,
    bodyDigest: args.bodyDigest,
    file: args.file,
    by: args.by,
    status: 'submitting',
    pendingBody: args.body,
    createdAt: now,
    updatedAt: now,
  };
}
