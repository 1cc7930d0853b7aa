// Buzz estimate from the recipes' published prices. One function for the editor (CodeLens,
// status bar), the CLI and the emulator, so all three always agree.
//
//   imageGen:      (image-gen.ts) the recipe's formula or flat price for the input's engine (+ ecosystem / model /
//                  version / operation), from the price table `src/core/ecosystems/prices.ts`;
//                  absent fields take the contract's defaults from the generated leaves table
//   imageUpscaler: max(1, ⌈width × height / 10⁶⌉) × 2^numberOfRepeats   (image-upscaler recipe)
//   videoGen:      the video recipes' tables (video.ts, src/core/ecosystems/video-prices.ts)
//   other steps:   the flat or simple formulas in `OTHER_STEP_PRICES` (their recipes)
//
// Anything no recipe gives a number for is `null` with a reason, never a guess.
import { OTHER_STEP_PRICES } from '../ecosystems/step-prices';
import { UPSCALER_COST } from '../ecosystems/table';
import { pngHeaderFromImageString } from '../png/data-url';
import { imageGenCost } from './image-gen';
import { formatFactor, PREVIEW_COST_HINT, type StepCostEstimate } from './types';
import { imageGenOutputSize, isPlainObject, parseRefPath, resolveValue, stepIndexForRef, stepName, type ImageSize } from './values';
import { videoCost } from './video';

export * from './types';

export interface WorkflowCostEstimate {
  /** Sum of the steps; null when any step is null (or the workflow has no steps array). */
  total: number | null;
  /** Sum of the steps whose cost is known (equals `total` when every step is known). */
  known: number;
  /** Names of the steps whose cost is unknown, in order. */
  unknownSteps: string[];
  steps: StepCostEstimate[];
  /** Why `total` is null, when it is not a step's fault. */
  reason?: string;
}

export function estimateWorkflowCost(workflow: unknown): WorkflowCostEstimate {
  if (!isPlainObject(workflow) || !Array.isArray(workflow.steps)) {
    return { total: null, known: 0, unknownSteps: [], steps: [], reason: 'The workflow has no steps array.' };
  }
  const ctx: Context = { steps: workflow.steps, args: workflow.arguments, visiting: new Set() };
  const steps = workflow.steps.map((step, index) => estimateStep(ctx, step, index));
  const known = steps.reduce((sum, s) => sum + (s.buzz ?? 0), 0);
  const unknownSteps = steps.filter((s) => s.buzz === null).map((s) => s.name);
  return { total: unknownSteps.length === 0 ? known : null, known, unknownSteps, steps };
}

/** Display rounding: whole numbers as is, otherwise one decimal (two below 1). Data stays exact. */
export function formatBuzz(buzz: number | null): string {
  if (buzz === null) return 'unknown';
  if (Number.isInteger(buzz)) return String(buzz);
  const digits = Math.abs(buzz) < 1 ? 2 : 1;
  return String(Number(buzz.toFixed(digits)));
}

/**
 * The file's total for display: "≈ 9.6 Buzz", or with unknown steps the known part and their
 * names ("≈ 26 Buzz known + unknown steps \"pro\", \"2\""). CLI, CodeLens and status bar share it.
 */
export function formatTotal(estimate: { total: number | null; known?: number; unknownSteps?: readonly string[] }): string {
  if (estimate.total !== null) return `≈ ${formatBuzz(estimate.total)} Buzz`;
  const unknown = estimate.unknownSteps ?? [];
  if (unknown.length === 0) return 'unknown';
  const names = `${unknown.length === 1 ? 'step' : 'steps'} ${unknown.map((n) => `"${n}"`).join(', ')}`;
  return estimate.known ? `≈ ${formatBuzz(estimate.known)} Buzz known + unknown ${names}` : `unknown (${names})`;
}

interface Context {
  steps: unknown[];
  args: unknown;
  /** Steps whose output size is being worked out (guards `$ref` cycles). */
  visiting: Set<number>;
}

function estimateStep(ctx: Context, step: unknown, index: number): StepCostEstimate {
  const name = stepName(step, index);
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  if (!isPlainObject(step)) return fail('The step is not an object.');
  const type = step.$type;
  if (typeof type !== 'string') return fail('The step has no $type.');
  if (!isPlainObject(step.input)) return fail('The step has no input object.');
  if (type === 'imageGen') return imageGenCost(step.input, ctx.args, index, name);
  if (type === 'imageUpscaler') return upscalerCost(ctx, step.input, index, name);
  if (type === 'videoGen') return videoCost(step.input, ctx.args, index, name);
  const other = OTHER_STEP_PRICES[type];
  if (other) return otherStepCost(ctx, step.input, index, name, type);
  return fail(`No price for ${type} steps is in the estimate's table (the recipes price some by what only the service measures, such as a media file's length). ${PREVIEW_COST_HINT}`);
}

function otherStepCost(ctx: Context, input: Record<string, unknown>, index: number, name: string, type: string): StepCostEstimate {
  const entry = OTHER_STEP_PRICES[type];
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const p = entry.price;
  const done = (buzz: number, formula: string, defaulted: string[] = []): StepCostEstimate => ({ index, name, buzz, detail: { kind: 'flat', stepType: type, source: entry.source, formula, defaulted } });
  if (p.kind === 'flat') return done(p.buzz, `${formatFactor(p.buzz)} per step`);
  if (p.kind === 'perSecond') {
    const v = resolveValue(input[p.field], ctx.args);
    if (v.kind === 'absent') return done(p.base + p.defaultSeconds * p.perSecond, `${formatFactor(p.base)} + ${p.defaultSeconds} s × ${formatFactor(p.perSecond)}`, [p.field]);
    if (v.kind === 'value' && typeof v.value === 'number' && v.value > 0) return done(p.base + v.value * p.perSecond, `${formatFactor(p.base)} + ${formatFactor(v.value)} s × ${formatFactor(p.perSecond)}`);
    return fail(`Cannot estimate: ${v.kind === 'unresolved' ? v.reason : v.kind === 'step-ref' ? `${p.field} comes from step "${v.source}" at run time` : `${p.field} is not a positive number`}.`);
  }
  if (p.kind === 'perText') {
    const text = resolveValue(input[p.field], ctx.args);
    if (text.kind === 'step-ref') return fail(`Cannot estimate: ${p.field} comes from step "${text.source}" at run time.`);
    if (text.kind !== 'value' || typeof text.value !== 'string') return fail(`Cannot estimate: ${p.field} is not set to text in the file.`);
    const speaker = resolveValue(input[p.speakerField], ctx.args);
    const withSpeaker = speaker.kind === 'value' && speaker.value !== null && speaker.value !== undefined;
    const units = Math.max(1, Math.ceil(text.value.length / p.per));
    return done(units * (withSpeaker ? p.speakerFactor : 1), `max(1, ⌈${text.value.length} / ${p.per}⌉)${withSpeaker ? ` × ${formatFactor(p.speakerFactor)} (speaker)` : ''}`);
  }
  const source = upscalerInputSize(ctx, input, index);
  if (!source.ok) return fail(`Cannot estimate: ${source.reason}.`);
  const megapixels = (source.size.width * source.size.height) / 1_000_000;
  const buzz = Math.max(1, Math.round((p.intercept + p.slope * megapixels) * p.factor));
  return done(buzz, `max(1, round((${formatFactor(p.intercept)} + ${formatFactor(p.slope)} × ${formatFactor(megapixels)} MP) × ${formatFactor(p.factor)}))`);
}

function upscalerCost(ctx: Context, input: Record<string, unknown>, index: number, name: string): StepCostEstimate {
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const repeats = resolveValue(input.numberOfRepeats, ctx.args);
  let numberOfRepeats: number = UPSCALER_COST.defaultRepeats;
  const defaulted: string[] = [];
  if (repeats.kind === 'absent') defaulted.push('numberOfRepeats');
  else if (repeats.kind === 'value' && typeof repeats.value === 'number' && Number.isInteger(repeats.value) && repeats.value >= 1) numberOfRepeats = repeats.value;
  else if (repeats.kind === 'step-ref') return fail(`Cannot estimate: numberOfRepeats comes from step "${repeats.source}" and is only known at run time.`);
  else if (repeats.kind === 'unresolved') return fail(`Cannot estimate: ${repeats.reason}.`);
  else return fail('Cannot estimate: numberOfRepeats is not a positive whole number.');

  const source = upscalerInputSize(ctx, input, index);
  if (!source.ok) return fail(`Cannot estimate: ${source.reason}.`);
  const { width, height } = source.size;
  const billedMegapixels = Math.max(UPSCALER_COST.minMegapixels, Math.ceil((width * height) / UPSCALER_COST.pixelsPerMegapixel));
  const scale = UPSCALER_COST.scalePerRepeat ** numberOfRepeats;
  return {
    index,
    name,
    buzz: billedMegapixels * scale,
    detail: { kind: 'imageUpscaler', inputWidth: width, inputHeight: height, numberOfRepeats, billedMegapixels, scale, defaulted },
  };
}

type SizeResult = { ok: true; size: ImageSize } | { ok: false; reason: string };

/** Size of the image an upscaler step receives. */
function upscalerInputSize(ctx: Context, input: Record<string, unknown>, index: number): SizeResult {
  const image = resolveValue(input.image, ctx.args);
  if (image.kind === 'absent') return { ok: false, reason: 'the step has no image' };
  if (image.kind === 'unresolved') return { ok: false, reason: image.reason };
  if (image.kind === 'step-ref') return refOutputSize(ctx, image.source, image.path, index);
  if (typeof image.value !== 'string') return { ok: false, reason: 'image is not a string' };
  const header = pngHeaderFromImageString(image.value);
  if (header) return { ok: true, size: { width: header.width, height: header.height } };
  return { ok: false, reason: 'the size of an image given by URL is only known once it is fetched' };
}

/** Size of the image a `$ref` into another step's output points at. */
function refOutputSize(ctx: Context, source: string, path: string, fromIndex: number): SizeResult {
  const target = stepIndexForRef(ctx.steps, source);
  if (target === undefined) return { ok: false, reason: `image refers to "${source}", which is not a step of this workflow` };
  if (target === fromIndex || ctx.visiting.has(target)) return { ok: false, reason: 'image refers to itself through a $ref cycle' };
  const step = ctx.steps[target];
  if (!isPlainObject(step) || !isPlainObject(step.input)) return { ok: false, reason: `step "${source}" has no input` };
  const parts = parseRefPath(path);
  ctx.visiting.add(target);
  try {
    if (step.$type === 'imageGen' && parts[0] === 'output' && parts[1] === 'images') {
      const size = imageGenOutputSize(step.input, ctx.args);
      return size.ok ? size : { ok: false, reason: `the size of step "${source}"'s images is not known: ${size.reason}` };
    }
    if (step.$type === 'imageUpscaler' && parts[0] === 'output' && parts[1] === 'blob') {
      const inner = upscalerInputSize(ctx, step.input, target);
      if (!inner.ok) return inner;
      const repeats = resolveValue(step.input.numberOfRepeats, ctx.args);
      const n = repeats.kind === 'value' && typeof repeats.value === 'number' ? repeats.value : repeats.kind === 'absent' ? UPSCALER_COST.defaultRepeats : NaN;
      if (!Number.isInteger(n) || n < 1) return { ok: false, reason: `the upscale factor of step "${source}" is not known` };
      const f = UPSCALER_COST.scalePerRepeat ** n;
      return { ok: true, size: { width: inner.size.width * f, height: inner.size.height * f } };
    }
    return { ok: false, reason: `image comes from step "${source}" (${String(step.$type)}), whose output size is not known before it runs` };
  } finally {
    ctx.visiting.delete(target);
  }
}
