// One submitted (or opened) workflow as the editor remembers it, and the pure operations on the
// list: parse persisted state (dropping what doesn't validate), upsert, prune, find unfinished.
// What is stored is validated again on load because persisted state is a trust boundary.
import * as z from '../zod-mini';
import { PRE_SERVICE_STATUSES } from '../api/statuses';
import { WorkflowSnapshotSchema, WorkflowStatusSchema, compactSnapshot, isTerminalStatus, type WorkflowSnapshot } from './snapshot';

/**
 * `submitting`: the idempotency key is saved, the POST may or may not have reached the server.
 * `rejected`: the server refused the submission (400/401/403…): no workflow exists.
 */
export const EntryStatusSchema = z.union([WorkflowStatusSchema, z.enum(PRE_SERVICE_STATUSES)]);
export type EntryStatus = z.infer<typeof EntryStatusSchema>;

/** The contract's `externalId` pattern. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export const SavedImageSchema = z.object({
  blobId: z.string().check(z.minLength(1)),
  stepIndex: z.int().check(z.minimum(0)),
  stepName: z.string(),
  index: z.int().check(z.minimum(0)),
  /** Absolute path of the downloaded file, once saved. */
  localPath: z.optional(z.string()),
  width: z.optional(z.number()),
  height: z.optional(z.number()),
  seed: z.optional(z.nullable(z.number())),
  /** Set when the service withheld the image (moderation, mature content hidden). */
  withheld: z.optional(z.string()),
});
export type SavedImage = z.infer<typeof SavedImageSchema>;

/** A downloaded output file that is not a gallery image (video, audio, 3D model, archive…). */
export const SavedFileSchema = z.object({
  blobId: z.string().check(z.minLength(1)),
  stepIndex: z.int().check(z.minimum(0)),
  stepName: z.string(),
  /** The blob's `type` (video, audio, model3d…). */
  type: z.string(),
  localPath: z.optional(z.string()),
  withheld: z.optional(z.string()),
});
export type SavedFile = z.infer<typeof SavedFileSchema>;

export const PreviewCostSchema = z.object({
  total: z.number(),
  currencies: z.record(z.string(), z.number()),
  insufficientBuzz: z.optional(z.boolean()),
  at: z.string(),
});
export type PreviewCost = z.infer<typeof PreviewCostSchema>;

export const TimelineEventSchema = z.object({ status: EntryStatusSchema, at: z.string() });
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const HistoryEntrySchema = z.object({
  /** Local identity; for our own submissions also the `externalId` sent to the service. */
  key: z.string().check(z.regex(IDEMPOTENCY_KEY_PATTERN)),
  /** True when `key` was sent as `externalId` (so a re-POST with it is idempotent). */
  submitted: z.boolean(),
  workflowId: z.optional(z.string().check(z.minLength(1))),
  /** Base URL of the service that runs it (Civitai or the session's emulator). */
  serviceUrl: z.string(),
  emulator: z.boolean(),
  label: z.string(),
  fileUri: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: EntryStatusSchema,
  timeline: z._default(z.array(TimelineEventSchema), []),
  /** The body that was POSTed, kept only until the service has given the workflow an id. */
  pendingBody: z.optional(z.unknown()),
  /** A digest of that body, kept: tells whether the source file still matches this run. */
  bodyDigest: z.optional(z.string().check(z.maxLength(128))),
  estimate: z._default(z.nullable(z.number()), null),
  whatif: z.optional(PreviewCostSchema),
  images: z._default(z.array(SavedImageSchema), []),
  /** Output files other than images, once downloaded. */
  files: z.optional(z.array(SavedFileSchema)),
  /** The last workflow fetched, compacted (see `compactSnapshot`), so results show offline. */
  snapshot: z.optional(WorkflowSnapshotSchema),
  /** A plain-words explanation of the last problem (never contains the token). */
  lastError: z.optional(z.string()),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type HistoryEntryInput = z.input<typeof HistoryEntrySchema>;

export const HISTORY_LIMIT = 200;

export interface ParsedHistory {
  entries: HistoryEntry[];
  /** One line per dropped entry: index and why. */
  dropped: string[];
}

/** Reads persisted history; anything that isn't a valid entry is dropped (and reported), never thrown. */
export function parseHistory(raw: unknown): ParsedHistory {
  if (raw === undefined || raw === null) return { entries: [], dropped: [] };
  if (!Array.isArray(raw)) return { entries: [], dropped: ['history is not a list; starting empty'] };
  const entries: HistoryEntry[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const parsed = HistoryEntrySchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      dropped.push(`entry ${i}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
      return;
    }
    if (seen.has(parsed.data.key)) {
      dropped.push(`entry ${i}: duplicate key`);
      return;
    }
    seen.add(parsed.data.key);
    entries.push(parsed.data);
  });
  return { entries, dropped };
}

/** Replaces the entry with the same key (or adds it first), newest first. */
export function upsertEntry(entries: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [entry, ...entries.filter((e) => e.key !== entry.key)].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function removeEntry(entries: readonly HistoryEntry[], key: string): HistoryEntry[] {
  return entries.filter((e) => e.key !== key);
}

/** Still needs attention after a reload: being submitted, or known to the service and not terminal. */
export function isUnfinished(entry: HistoryEntry): boolean {
  if (entry.status === 'submitting') return true;
  if (entry.status === 'rejected') return false;
  return !isTerminalStatus(entry.status);
}

/** Keeps the newest `limit` entries, but never drops an unfinished one (it may still cost Buzz). */
export function pruneHistory(entries: readonly HistoryEntry[], limit = HISTORY_LIMIT): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  let finished = 0;
  for (const e of entries) {
    if (isUnfinished(e)) out.push(e);
    else if (finished < limit) {
      out.push(e);
      finished++;
    }
  }
  return out;
}

/** A fresh idempotency key (fits the contract's `externalId` pattern). */
export function newIdempotencyKey(random: () => string = () => globalThis.crypto.randomUUID()): string {
  return `vscode-${random().replace(/[^A-Za-z0-9_-]/g, '')}`.slice(0, 128);
}

/** Records a status change on the entry's timeline (no event when the status is unchanged). */
export function withStatus(entry: HistoryEntry, status: HistoryEntry['status'], at: string): HistoryEntry {
  if (entry.status === status && entry.timeline.length > 0) return { ...entry, updatedAt: at };
  return { ...entry, status, updatedAt: at, timeline: [...entry.timeline, { status, at }] };
}

/** Create the entry for a submission about to be sent. */
export function newSubmissionEntry(args: {
  key: string;
  serviceUrl: string;
  emulator: boolean;
  label: string;
  fileUri?: string;
  body: unknown;
  estimate: number | null;
  now: string;
}): HistoryEntry {
  return {
    key: args.key,
    submitted: true,
    serviceUrl: args.serviceUrl,
    emulator: args.emulator,
    label: args.label,
    fileUri: args.fileUri,
    createdAt: args.now,
    updatedAt: args.now,
    status: 'submitting',
    timeline: [{ status: 'submitting', at: args.now }],
    pendingBody: args.body,
    estimate: args.estimate,
    images: [],
  };
}

/**
 * Records what the service said about the workflow: its id, status (on the timeline) and a
 * compacted snapshot. A submission's pending body is dropped once the id is known: from then on
 * the service is the source of truth and a reload re-attaches by id.
 */
export function applySnapshot(entry: HistoryEntry, snapshot: WorkflowSnapshot, now: string): HistoryEntry {
  const withId: HistoryEntry = snapshot.id
    ? { ...entry, workflowId: entry.workflowId ?? snapshot.id, pendingBody: undefined }
    : entry;
  const next = withStatus(withId, snapshot.status, now);
  return { ...next, snapshot: compactSnapshot(snapshot), lastError: undefined };
}
