// Buzz estimate from the guides' documented formulas. One function for the editor (CodeLens),
// the CLI and the emulator, so all three always agree.
//
//   imageGen:      base × (width × height / referencePixels) × (steps / referenceSteps) × quantity
//                  (base and references per engine + ecosystem from the ecosystem table; absent
//                  fields take the contract's defaults from the generated leaves table)
//   imageUpscaler: max(1, ⌈width × height / 10⁶⌉) × 2^numberOfRepeats   (upscaler recipe)
//
// Anything the guides give no formula for is `null` with a reason, never a guess.
import { costReference, UPSCALER_COST } from '../ecosystems/table';
import { pngHeaderFromImageString } from '../png/data-url';
import {
  imageGenLeafCandidates,
  imageGenNumber,
  imageGenOutputSize,
  isPlainObject,
  parseRefPath,
  resolveValue,
  stepIndexForRef,
  stepName,
  stringField,
  type ImageSize,
} from './values';

export interface ImageGenCostDetail {
  kind: 'imageGen';
  engine: string;
  ecosystem: string;
  base: number;
  referencePixels: number;
  referenceSteps: number;
  width: number;
  height: number;
  steps: number;
  quantity: number;
  /** Fields taken from the contract's defaults because the step leaves them out. */
  defaulted: string[];
  /** Fields whose value comes from the workflow's `arguments`. */
  fromArguments: string[];
}

export interface UpscalerCostDetail {
  kind: 'imageUpscaler';
  inputWidth: number;
  inputHeight: number;
  numberOfRepeats: number;
  /** Megapixels billed: ⌈w × h / 10⁶⌉, at least 1. */
  billedMegapixels: number;
  /** Total scale factor, 2^numberOfRepeats. */
  scale: number;
  defaulted: string[];
}

export type StepCostDetail = ImageGenCostDetail | UpscalerCostDetail;

export interface StepCostEstimate {
  index: number;
  /** The step's `name`, or its index as a string. */
  name: string;
  /** Exact (unrounded) Buzz, or null when it cannot be known from the file. */
  buzz: number | null;
  /** Why `buzz` is null, in plain words. */
  reason?: string;
  detail?: StepCostDetail;
}

export interface WorkflowCostEstimate {
  /** Sum of the steps; null when any step is null (or the workflow has no steps array). */
  total: number | null;
  steps: StepCostEstimate[];
  /** Why `total` is null, when it is not a step's fault. */
  reason?: string;
}

export function estimateWorkflowCost(workflow: unknown): WorkflowCostEstimate {
  if (!isPlainObject(workflow) || !Array.isArray(workflow.steps)) {
    return { total: null, steps: [], reason: 'The workflow has no steps array.' };
  }
  const ctx: Context = { steps: workflow.steps, args: workflow.arguments, visiting: new Set() };
  const steps = workflow.steps.map((step, index) => estimateStep(ctx, step, index));
  const total = steps.every((s) => s.buzz !== null) ? steps.reduce((sum, s) => sum + (s.buzz as number), 0) : null;
  return { total, steps };
}

/** Display rounding: whole numbers as is, otherwise one decimal (two below 1). Data stays exact. */
export function formatBuzz(buzz: number | null): string {
  if (buzz === null) return 'unknown';
  if (Number.isInteger(buzz)) return String(buzz);
  const digits = Math.abs(buzz) < 1 ? 2 : 1;
  return String(Number(buzz.toFixed(digits)));
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
  if (type === 'imageGen') return imageGenCost(ctx, step.input, index, name);
  if (type === 'imageUpscaler') return upscalerCost(ctx, step.input, index, name);
  return fail(`The guides give no cost formula for ${type} steps.`);
}

function imageGenCost(ctx: Context, input: Record<string, unknown>, index: number, name: string): StepCostEstimate {
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const engine = stringField(input, 'engine', ctx.args);
  const ecosystem = stringField(input, 'ecosystem', ctx.args);
  if (!engine) return fail('The step has no engine.');
  if (!ecosystem) return fail(`The step has no ecosystem; the guides give cost formulas per ${engine} ecosystem.`);
  const ref = costReference(engine, ecosystem);
  if (!ref) return fail(`The guides give no cost formula for ${engine} + ${ecosystem}.`);

  const candidates = imageGenLeafCandidates(input, ctx.args);
  const defaulted: string[] = [];
  const fromArguments: string[] = [];
  const values: Record<'width' | 'height' | 'steps' | 'quantity', number> = { width: 0, height: 0, steps: 0, quantity: 0 };
  for (const field of ['width', 'height', 'steps', 'quantity'] as const) {
    const r = imageGenNumber(input, field, candidates, ctx.args);
    if (!r.ok) return fail(`Cannot estimate: ${r.reason}.`);
    values[field] = r.value;
    if (r.source === 'default') defaulted.push(field);
    if (r.source === 'arguments') fromArguments.push(field);
  }
  const { width, height, steps, quantity } = values;
  // One division of exact integer products keeps the result the nearest double to the true value.
  const buzz = (ref.base * width * height * steps * quantity) / (ref.referencePixels * ref.referenceSteps);
  return {
    index,
    name,
    buzz,
    detail: {
      kind: 'imageGen',
      engine,
      ecosystem,
      base: ref.base,
      referencePixels: ref.referencePixels,
      referenceSteps: ref.referenceSteps,
      width,
      height,
      steps,
      quantity,
      defaulted,
      fromArguments,
    },
  };
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
