// What a sweep is: up to three axes (X, Y, Z) over one step of a workflow. It lives beside the
// workflow in `NAME.sweep.json` (so the workflow file stays a valid request body that lint judges
// honestly), or on the CLI's command line as `FIELD=VALUES` words. Both become the same SweepSpec.
import * as z from '../zod-mini';
import { SweepSpecError } from './values';

const Values = z.union([z.string(), z.array(z.union([z.number(), z.string(), z.object({ width: z.number(), height: z.number() })]))]);
const Label = z.optional(z.string());

export const AxisSpecSchema = z.union([
  z.strictObject({ field: z.string(), values: Values, label: Label }),
  z.strictObject({ lora: z.string(), values: Values, label: Label }),
  z.strictObject({ replace: z.string(), values: Values, label: Label }),
  z.strictObject({ prompt: z.literal('variants'), count: z.optional(z.number()), label: Label }),
]);
export type AxisSpec = z.infer<typeof AxisSpecSchema>;

export const SweepSpecSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** The workflow file, relative to the sweep file (default: NAME.civitai.json beside NAME.sweep.json). */
  workflow: z.optional(z.string()),
  /** Which step to sweep: its name or index (default: the first imageGen or textToImage step). */
  step: z.optional(z.union([z.string(), z.number()])),
  axes: z.array(AxisSpecSchema),
  /** Seeds the choice of dynamic-prompt variants, so the same sweep always builds the same bodies. */
  seed: z.optional(z.number()),
  /** Cells per request body; a larger sweep is sent as several workflows. */
  maxStepsPerWorkflow: z.optional(z.number()),
});
export type SweepSpec = z.infer<typeof SweepSpecSchema>;

/** Where a workflow's sweep file is: `NAME.sweep.json` beside `NAME.civitai.json` (or `NAME.json`). */
export function sweepFileBeside(workflowPath: string): string {
  return workflowPath.replace(/(\.civitai)?\.json$/, '.sweep.json');
}

/** The workflow a sweep file expands when it names none: `NAME.civitai.json` beside `NAME.sweep.json`. */
export function workflowFileBeside(sweepPath: string): string {
  return sweepPath.replace(/\.sweep\.json$/, '.civitai.json');
}

export const MAX_AXES = 3;

/** Validates a parsed sweep file; throws a SweepSpecError that says what to change. */
export function parseSweepSpec(value: unknown): SweepSpec {
  const result = SweepSpecSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue.path.length ? issue.path.join('.') : 'the sweep';
    throw new SweepSpecError(`${at}: ${issue.message}`);
  }
  const spec = result.data;
  if (spec.axes.length === 0 || spec.axes.length > MAX_AXES) {
    throw new SweepSpecError(`a sweep has 1 to ${MAX_AXES} axes (X, Y, Z); this one has ${spec.axes.length}`);
  }
  if (spec.maxStepsPerWorkflow !== undefined && (!Number.isInteger(spec.maxStepsPerWorkflow) || spec.maxStepsPerWorkflow < 1)) {
    throw new SweepSpecError('maxStepsPerWorkflow must be a positive integer');
  }
  return spec;
}

/**
 * One axis from the command line:
 *   cfgScale=4,6,8   steps=10-30(+10)   size=832x1216,1024x1024   sampleMethod=euler,dpmpp2m
 *   lora:AIR=0.4-1.0[4]   replace:red=red,blue,"deep green"   prompt=variants   prompt=variants:8
 */
export function parseAxisWord(word: string): AxisSpec {
  const eq = word.indexOf('=');
  if (eq <= 0) throw new SweepSpecError(`"${word}" is not an axis; write FIELD=VALUES, e.g. cfgScale=4,6,8`);
  const key = word.slice(0, eq).trim();
  const values = word.slice(eq + 1);
  if (key === 'prompt' && /^variants(:\d+)?$/.test(values)) {
    const count = values.includes(':') ? Number(values.split(':')[1]) : undefined;
    return count === undefined ? { prompt: 'variants' } : { prompt: 'variants', count };
  }
  if (key.startsWith('lora:')) return { lora: key.slice(5), values };
  if (key.startsWith('replace:')) return { replace: key.slice(8), values };
  return { field: key, values };
}
