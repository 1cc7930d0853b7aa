// A sweep's results laid out as its grid: the axes from the workflow's `metadata.sweep` and each
// cell's place from its step's `metadata.sweep` (both written by core/sweep/expand and echoed by
// the service). Anything missing or out of range means "not a sweep": the panel falls back to its
// ordinary gallery, never to a wrong grid.
import * as z from '../zod-mini';
import type { SweepGrid } from '../messages/results';
import type { WorkflowSnapshot } from './snapshot';

const AxesSchema = z.array(z.object({ axis: z.enum(['x', 'y', 'z']), label: z.string(), values: z.array(z.string()) }));
const CellSchema = z.object({ x: z.int(), y: z.int(), z: z.int() });
const MAX_CELLS = 2000;

function sweepOf(value: unknown): unknown {
  const metadata = value && typeof value === 'object' ? (value as { metadata?: unknown }).metadata : undefined;
  return metadata && typeof metadata === 'object' ? (metadata as { sweep?: unknown }).sweep : undefined;
}

export function buildSweepGrid(snapshot: WorkflowSnapshot | undefined): SweepGrid | null {
  const axesParsed = AxesSchema.safeParse((sweepOf(snapshot) as { axes?: unknown } | undefined)?.axes);
  if (!snapshot || !axesParsed.success || axesParsed.data.length === 0 || axesParsed.data.length > 3) return null;
  const axes = axesParsed.data;
  const size = [0, 1, 2].map((i) => axes[i]?.values.length ?? 1);
  const cells: SweepGrid['cells'] = [];
  const taken = new Set<string>();
  snapshot.steps.forEach((step, stepIndex) => {
    const place = CellSchema.safeParse(sweepOf(step));
    if (!place.success || cells.length >= MAX_CELLS) return;
    const { x, y, z: page } = place.data;
    if (x < 0 || y < 0 || page < 0 || x >= size[0] || y >= size[1] || page >= size[2]) return;
    const id = `${x},${y},${page}`;
    if (taken.has(id)) return;
    taken.add(id);
    cells.push({ x, y, z: page, stepIndex });
  });
  return cells.length > 0 ? { axes, cells } : null;
}

export interface SweepExportCell {
  x: number;
  y: number;
  z: number;
  step: string;
  /** Axis label → value, as the cell's step metadata records them. */
  parameters: Record<string, string>;
  /** The prompt the cell sent (after replacements and dynamic-prompt expansion), when recorded. */
  prompt?: string;
  /** Saved image files of the cell, in order. */
  files: string[];
}

/** What an exported sweep holds: its axes and, per cell, its parameters and saved files. */
export function sweepExport(entry: { snapshot?: WorkflowSnapshot; images: ReadonlyArray<{ stepIndex: number; localPath?: string }> }): { axes: SweepGrid['axes']; cells: SweepExportCell[] } | null {
  const grid = buildSweepGrid(entry.snapshot);
  if (!grid || !entry.snapshot) return null;
  const cells = grid.cells.map((cell) => {
    const step = entry.snapshot!.steps[cell.stepIndex];
    const recorded = sweepOf(step) as { values?: unknown; prompt?: unknown } | undefined;
    const values = recorded?.values && typeof recorded.values === 'object' ? recorded.values as Record<string, unknown> : {};
    return {
      x: cell.x, y: cell.y, z: cell.z, step: step.name,
      parameters: Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
      ...(typeof recorded?.prompt === 'string' ? { prompt: recorded.prompt } : {}),
      files: entry.images.filter((i) => i.stepIndex === cell.stepIndex && i.localPath).map((i) => i.localPath as string),
    };
  });
  return { axes: grid.axes, cells };
}
