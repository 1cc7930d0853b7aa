// Civitai: Open Results — the results panel of a workflow in the history.
import type { CivitaiContext } from '../context';
import { entryFromArg, pickEntry } from '../history/pickEntry';

export function openResults(ctx: CivitaiContext) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const entry = entryFromArg(ctx, arg) ?? (await pickEntry(ctx, 'Open the results of…'));
    if (!entry) return undefined;
    ctx.panels.show(entry.key);
    return entry.key;
  };
}
