// What the history view shows, as data: a title per entry (the file name, else what its steps are
// called; never just an id), short row text that fits a default-width side bar, the full text for
// the tooltip, and day groups. Pure; the adapter turns it into tree items.
import { describeCost, formatBuzz } from './costWording';
import type { HistoryEntry } from './entry';
import { chargedByCurrency } from './snapshot';
import { stepTitle } from './stepDetails';

function fileStem(fileUri: string): string {
  const last = decodeURIComponent(fileUri.split(/[\\/]/).pop() ?? '');
  return last.replace(/\.civitai\.json$/i, '') || last;
}

/**
 * The entry's name for people: its file (without `.civitai.json`); for a workflow opened by id
 * (label "workflow wf_…") the name of its steps, e.g. "portrait + 1 more step"; the id is shown
 * elsewhere.
 */
export function entryTitle(entry: HistoryEntry): string {
  if (entry.fileUri) return fileStem(entry.fileUri);
  const byId = entry.workflowId !== undefined && entry.label === `workflow ${entry.workflowId}`;
  if (!byId) return entry.label.replace(/\.civitai\.json$/i, '');
  const steps = entry.snapshot?.steps ?? [];
  if (steps.length === 0) return entry.label;
  const first = stepTitle(steps[0].name, steps[0].$type, 0);
  return steps.length === 1 ? first : `${first} + ${steps.length - 1} more step${steps.length > 2 ? 's' : ''}`;
}

/**
 * "just now", "5 min ago", "3 h ago", "2 days ago"; the date beyond a week. `short` gives "now",
 * "5m ago", "3h ago", "2d ago" for rows that must fit a narrow side bar.
 */
export function relativeTime(iso: string, now: Date, short = false): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  if (seconds < 45) return short ? 'now' : 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return short ? `${minutes}m ago` : `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return short ? `${hours}h ago` : `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return short ? `${days}d ago` : `${days} day${days === 1 ? '' : 's'} ago`;
  return at.toISOString().slice(0, 10);
}

/** Local calendar day key (YYYY-MM-DD) and its heading: "Today", "Yesterday", or the date. */
export function dayOf(iso: string, now: Date): { key: string; label: string } {
  const at = new Date(iso);
  // Sorts after every real day.
  if (Number.isNaN(at.getTime())) return { key: '0000-unknown', label: 'Unknown date' };
  const key = localDay(at);
  if (key === localDay(now)) return { key, label: 'Today' };
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === localDay(yesterday)) return { key, label: 'Yesterday' };
  return { key, label: at.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: at.getFullYear() === now.getFullYear() ? undefined : 'numeric' }) };
}

function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Status in plain words for the tooltip and screen readers. */
export const STATUS_WORDS: Readonly<Record<HistoryEntry['status'], string>> = {
  submitting: 'Submitting',
  rejected: 'Refused by the service',
  unassigned: 'Waiting for a worker',
  preparing: 'Preparing',
  scheduled: 'Queued',
  processing: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  expired: 'Expired',
  canceled: 'Canceled',
};

export interface HistoryRow {
  title: string;
  /** Short enough for a default-width side bar: cost · images · time. */
  description: string;
  /** Everything, one fact per line (the tooltip; markdown is added by the adapter). */
  details: string[];
  /** For screen readers: the row's full text, status first. */
  ariaLabel: string;
}

export function historyRow(entry: HistoryEntry, now: Date): HistoryRow {
  const title = entryTitle(entry);
  const when = relativeTime(entry.createdAt, now);
  const charged = chargedByCurrency(entry.snapshot?.transactions);
  const chargedTotal = Object.values(charged).reduce((a, b) => a + b, 0);
  const costShort = Object.keys(charged).length ? formatBuzz(chargedTotal) : entry.estimate !== null ? `≈ ${formatBuzz(entry.estimate)}` : null;
  const saved = entry.images.filter((i) => i.localPath).length;
  const imageCount = Math.max(saved, entry.images.length);
  // Cost and images first: a narrow side bar cuts the end, and the day heading already dates the row.
  const parts = [costShort, imageCount ? `${imageCount} img` : null, relativeTime(entry.createdAt, now, true)].filter((p): p is string => p !== null);
  const cost = describeCost({
    estimate: entry.estimate,
    whatif: entry.whatif ?? null,
    charged: Object.keys(charged).length ? { total: chargedTotal, currencies: charged } : null,
  }, entry.status !== 'submitting' && !['unassigned', 'preparing', 'scheduled', 'processing'].includes(entry.status));
  const details = [
    `${STATUS_WORDS[entry.status]}${entry.emulator ? ' on the local emulator (placeholder outputs)' : ''}`,
    `Submitted ${new Date(entry.createdAt).toLocaleString()} (${when})`,
    entry.fileUri ? `File: ${entry.label}` : null,
    entry.workflowId ? `Workflow ${entry.workflowId}` : null,
    `Cost: ${cost.summary}`,
    imageCount ? `${imageCount} image${imageCount === 1 ? '' : 's'}${saved < imageCount ? ` (${saved} saved)` : ''}` : entry.status === 'succeeded' ? 'No images' : null,
    entry.lastError ?? null,
  ].filter((l): l is string => l !== null);
  return {
    title,
    description: parts.join(' · '),
    details,
    // The visible text first (label then description), so what is read matches what is seen.
    ariaLabel: `${title} ${parts.join(' · ')}, ${STATUS_WORDS[entry.status]}`,
  };
}

/** Entries grouped by local day, newest day first, keeping the entries' order inside a day. */
export function groupByDay(entries: readonly HistoryEntry[], now: Date): Array<{ key: string; label: string; entries: HistoryEntry[] }> {
  const groups = new Map<string, { key: string; label: string; entries: HistoryEntry[] }>();
  for (const entry of entries) {
    const day = dayOf(entry.createdAt, now);
    const group = groups.get(day.key) ?? { ...day, entries: [] };
    group.entries.push(entry);
    groups.set(day.key, group);
  }
  return [...groups.values()].sort((a, b) => b.key.localeCompare(a.key));
}
