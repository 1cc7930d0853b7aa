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
