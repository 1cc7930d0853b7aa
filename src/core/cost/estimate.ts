// Buzz estimate from the recipes' published prices. One function for the editor (CodeLens,
// status bar), the CLI and the emulator, so all three always agree.
//
//   imageGen:      the recipe's formula or flat price for the input's engine (+ ecosystem / model /
//                  version / operation), from the price table `src/core/ecosystems/prices.ts`;
//                  absent fields take the contract's defaults from the generated leaves table
//   imageUpscaler: max(1, ⌈width × height / 10⁶⌉) × 2^numberOfRepeats   (image-upscaler recipe)
//   other steps:   the flat or simple formulas in `OTHER_STEP_PRICES` (their recipes)
//
// Anything no recipe gives a number for is `null` with a reason, never a guess.
import { UPSCALER_COST } from '../ecosystems/table';
import { imageGenPriceFor, IMAGE_GEN_PRICES, priceMatches, type ImageGenPrice, type ImageGenPriceEntry, type PriceAdjustment } from '../ecosystems/prices';
import { OTHER_STEP_PRICES } from '../ecosystems/step-prices';
import { VIDEO_PRICES } from '../ecosystems/video-prices';
import { pngHeaderFromImageString } from '../png/data-url';
import type { ImageGenLeaf } from '../schema/image-gen-leaves.generated';
import {
  imageGenLeafCandidates,
  imageGenNumber,
  imageGenOutputSize,
  isPlainObject,
  leafDefault,
  parseRefPath,
  resolveValue,
  stepIndexForRef,
  stepName,
  stringField,
  type ImageSize,
  type Resolved,
} from './values';

/** Where to get the exact price when the recipes publish none. */
export const PREVIEW_COST_HINT = 'Preview Cost (whatif) asks the service for the exact price.';

export interface ImageGenCostDetail {
  kind: 'imageGen';
  engine: string;
  /** The ecosystem, model, version… that picked the price, e.g. "sdcpp + sdxl", "flux2 klein 4b". */
  label: string;
  ecosystem?: string;
  /** The recipe page the price comes from, relative to `orchestration/recipes/`. */
  source: string;
  /** The published formula with this step's numbers in it. */
  formula: string;
  /** Buzz per image (before the count). */
  perImage: number;
  /** Images billed: `quantity` (or `numImages`). */
  quantity: number;
  width?: number;
  height?: number;
  steps?: number;
  /** Fields taken from the contract's defaults because the step leaves them out. */
  defaulted: string[];
  /** Fields whose value comes from the workflow's `arguments`. */
  fromArguments: string[];
}

export interface FlatCostDetail {
  kind: 'flat';
  stepType: string;
  source: string;
  formula: string;
  defaulted: string[];
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

export type StepCostDetail = ImageGenCostDetail | UpscalerCostDetail | FlatCostDetail;

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
  if (type === 'imageGen') return imageGenCost(ctx, step.input, index, name);
  if (type === 'imageUpscaler') return upscalerCost(ctx, step.input, index, name);
  if (type === 'videoGen') return videoCost(ctx, step.input, index, name);
  const other = OTHER_STEP_PRICES[type];
  if (other) return otherStepCost(ctx, step.input, index, name, type);
  return fail(`No price for ${type} steps is in the estimate's table (the recipes price some by what only the service measures, such as a media file's length). ${PREVIEW_COST_HINT}`);
}

/** Thrown inside a price computation when a value it needs is not known from the file. */
class Unknown extends Error {}

/** Reads an imageGen input's fields the way the price needs them, recording defaults and `$arguments`. */
class InputReader {
  readonly defaulted: string[] = [];
  readonly fromArguments: string[] = [];
  private readonly candidates: ImageGenLeaf[];

  constructor(private readonly input: Record<string, unknown>, private readonly args: unknown) {
    this.candidates = imageGenLeafCandidates(input, args);
  }

  /** A string field, or the contract's default for it. */
  text(field: string): string | undefined {
    const given = stringField(this.input, field, this.args);
    if (given !== undefined) return given;
    const d = this.input[field] === undefined ? leafDefault(this.candidates, field) : undefined;
    return typeof d === 'string' ? d : undefined;
  }

  number(field: string): number {
    const r = imageGenNumber(this.input, field, this.candidates, this.args);
    if (!r.ok) throw new Unknown(r.reason);
    if (r.source === 'default') this.defaulted.push(field);
    if (r.source === 'arguments') this.fromArguments.push(field);
    return r.value;
  }

  /** The image count (`quantity` or `numImages`); 1 where the engine has no such field. */
  count(field: string): number {
    if (this.input[field] === undefined && !this.candidates.some((l) => l.properties[field])) return 1;
    return this.number(field);
  }

  nonEmpty(field: string): boolean {
    const r = resolveValue(this.input[field], this.args);
    if (r.kind === 'step-ref') return true; // another step's output: images exist at run time
    if (r.kind !== 'value') return false;
    if (Array.isArray(r.value)) return r.value.length > 0;
    return isPlainObject(r.value) && Object.keys(r.value).length > 0;
  }

  isTrue(field: string): boolean {
    const r = resolveValue(this.input[field], this.args);
    if (r.kind === 'value') return r.value === true;
    return r.kind === 'absent' && leafDefault(this.candidates, field) === true;
  }

  /** How many reference images `images` holds. */
  imageCount(): number {
    const r = resolveValue(this.input.images, this.args);
    if (r.kind === 'absent') return 0;
    if (r.kind === 'step-ref') throw new Unknown(`the number of images comes from step "${r.source}" at run time`);
    if (r.kind === 'unresolved') throw new Unknown(r.reason);
    if (!Array.isArray(r.value)) throw new Unknown('images is not a list');
    return r.value.length;
  }

  /** width × height: given, defaulted, a `size` like "1024x1024", or (edits without a size) the first source image's PNG header. */
  size(): ImageSize {
    const width = imageGenNumber(this.input, 'width', this.candidates, this.args);
    const height = imageGenNumber(this.input, 'height', this.candidates, this.args);
    if (width.ok && height.ok) {
      for (const [field, r] of [['width', width], ['height', height]] as const) {
        if (r.source === 'default') this.defaulted.push(field);
        if (r.source === 'arguments') this.fromArguments.push(field);
      }
      return { width: width.value, height: height.value };
    }
    const size = this.text('size');
    const m = size === undefined ? null : /^(\d+)x(\d+)$/.exec(size);
    if (m) return { width: Number(m[1]), height: Number(m[2]) };
    const reason = !width.ok ? width.reason : !height.ok ? height.reason : 'the output size is not known';
    const images = resolveValue(this.input.images, this.args);
    const single = resolveValue(this.input.image, this.args);
    const first = images.kind === 'value' && Array.isArray(images.value) ? images.value[0] : single.kind === 'value' ? single.value : undefined;
    const header = typeof first === 'string' ? pngHeaderFromImageString(first) : undefined;
    if (header) return { width: header.width, height: header.height };
    throw new Unknown(typeof first === 'string' ? `${reason}, and the size of a source image given by URL is only known once it is fetched` : reason);
  }
}

/** "sdcpp + sdxl", "flux2 klein", "google nano-banana-2": how messages name what was priced. */
function engineLabel(read: (field: string) => string | undefined): string {
  const engine = read('engine') ?? '?';
  const ecosystem = read('ecosystem');
  const rest = ['model', 'version', 'modelVersion', 'operation'].map(read).filter((v): v is string => v !== undefined);
  return ecosystem ? `${engine} + ${ecosystem}${rest.length ? ` (${rest.join(', ')})` : ''}` : [engine, ...rest].join(' ');
}

/** The discriminators the price table keys an engine's prices on (beyond the engine). */
function engineNeeds(engine: string): string[] {
  const fields = new Set<string>();
  for (const entry of IMAGE_GEN_PRICES) {
    for (const m of Array.isArray(entry.match) ? entry.match : [entry.match]) {
      if (m.engine === engine) for (const k of Object.keys(m)) if (k !== 'engine') fields.add(k);
    }
  }
  return [...fields];
}

const n = (x: number): string => String(Number(x.toFixed(6)));

function applyAdjustments(perImage: number, adjustments: readonly PriceAdjustment[] | undefined, r: InputReader, parts: string[]): number {
  let out = perImage;
  for (const a of adjustments ?? []) {
    const field = 'nonEmpty' in a.when ? a.when.nonEmpty : a.when.isTrue;
    const applies = 'nonEmpty' in a.when ? r.nonEmpty(field) : r.isTrue(field);
    if (!applies) continue;
    if (a.times !== undefined) {
      out *= a.times;
      parts.push(`× ${n(a.times)} (${field})`);
    }
    if (a.add !== undefined) {
      out += a.add;
      parts.push(`+ ${n(a.add)} (${field})`);
    }
  }
  return out;
}

interface Priced {
  buzz: number;
  perImage: number;
  formula: string;
  width?: number;
  height?: number;
  steps?: number;
}

function byField(price: { by?: string; prices: number | Readonly<Record<string, number>> }, r: InputReader, source: string): { value: number; label: string } {
  if (typeof price.prices === 'number') return { value: price.prices, label: n(price.prices) };
  const key = price.by ? r.text(price.by) : undefined;
  if (key === undefined) throw new Unknown(`${price.by} is not set and the contract gives no default for it here`);
  const value = price.prices[key];
  if (value === undefined) throw new Unknown(`${source} publishes no price for ${price.by} "${key}"`);
  return { value, label: `${n(value)} (${price.by} ${key})` };
}

function price(p: Exclude<ImageGenPrice, { kind: 'unpublished' }>, r: InputReader, countField: string, source: string): Priced & { count: number } {
  const count = r.count(countField);
  return { ...priceWith(p, r, count, source), count };
}

function priceWith(p: Exclude<ImageGenPrice, { kind: 'unpublished' }>, r: InputReader, count: number, source: string): Priced {
  switch (p.kind) {
    case 'pixelSteps': {
      const { width, height } = r.size();
      const steps = r.number('steps');
      const images = p.perExtraImage !== undefined ? Math.max(1, r.imageCount()) : 1;
      const imageFactor = 1 + (images - 1) * (p.perExtraImage ?? 0);
      // One division of exact integer products keeps the result the nearest double to the true value.
      const perImage = (p.base * width * height * steps * imageFactor) / (p.referencePixels * p.referenceSteps);
      const extra = p.perExtraImage !== undefined ? ` × (1 + (${images} − 1) × ${n(p.perExtraImage)})` : '';
      return { buzz: (p.base * width * height * steps * imageFactor * count) / (p.referencePixels * p.referenceSteps), perImage, width, height, steps, formula: `${n(p.base)} × (${width}×${height} / ${p.referencePixels}) × (${steps} / ${p.referenceSteps})${extra} × ${count}` };
    }
    case 'perStep': {
      const steps = r.number('steps');
      const cfgScale = r.number('cfgScale');
      let stepCost: number;
      let costLabel: string;
      if (typeof p.stepCost === 'number') {
        stepCost = p.stepCost;
        costLabel = n(stepCost);
      } else {
        const version = r.text('modelVersion');
        if (version === undefined) throw new Unknown('modelVersion is not set and the contract gives no default for it here');
        const c = p.stepCost[version];
        if (c === undefined) throw new Unknown(`${source} publishes no step cost for modelVersion "${version}"`);
        stepCost = c;
        costLabel = `${n(c)} (${version})`;
      }
      const editImages = r.text('operation') === 'editImage' ? r.imageCount() : 0;
      const guidance = cfgScale === 1 ? 1 : 2;
      const perImage = stepCost * steps * (editImages + 1) * guidance;
      return { buzz: perImage * count, perImage, steps, formula: `${costLabel} × ${steps} steps × (${editImages} + 1) × ${guidance} (cfgScale ${n(cfgScale)}) × ${count}` };
    }
    case 'perMegapixel': {
      const { width, height } = r.size();
      const megapixels = Math.ceil((width * height) / 1_000_000);
      const parts: string[] = [];
      const rate = applyAdjustments(p.costPerMegapixel, p.adjustments, r, parts);
      const perImage = megapixels * rate;
      return { buzz: perImage * count, perImage, width, height, formula: `⌈${width}×${height} / 10⁶⌉ × ${n(p.costPerMegapixel)}${parts.length ? ' ' + parts.join(' ') : ''} × ${count}` };
    }
    case 'perImage': {
      const base = byField(p, r, source);
      const parts: string[] = [];
      const perImage = applyAdjustments(base.value, p.adjustments, r, parts);
      return { buzz: perImage * count, perImage, formula: `${base.label}${parts.length ? ' ' + parts.join(' ') : ''} × ${count}` };
    }
    case 'coveringSize': {
      const { width, height } = r.size();
      const covers = (row: { width: number; height: number }): boolean => (row.width >= width && row.height >= height) || (row.height >= width && row.width >= height);
      const row = p.rows.find(covers) ?? p.rows[p.rows.length - 1];
      const key = r.text(p.by);
      if (key === undefined) throw new Unknown(`${p.by} is not set and the contract gives no default for it here`);
      const perImage = row.prices[key];
      if (perImage === undefined) throw new Unknown(`${source} publishes no price for ${p.by} "${key}"`);
      return { buzz: perImage * count, perImage, width, height, formula: `${n(perImage)} (${row.width}×${row.height} tier, ${p.by} ${key}) × ${count}` };
    }
  }
}

function imageGenCost(ctx: Context, input: Record<string, unknown>, index: number, name: string): StepCostEstimate {
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const r = new InputReader(input, ctx.args);
  const engine = r.text('engine');
  if (!engine) return fail('The step has no engine.');
  const read = (field: string): string | undefined => r.text(field);
  const label = engineLabel(read);
  const entry: ImageGenPriceEntry | undefined = imageGenPriceFor(read);
  if (!entry) {
    // An engine priced by model/version whose step names none (say, flux2 without a model).
    const needs = engineNeeds(engine);
    if (needs.length > 0 && needs.every((field) => read(field) === undefined)) return fail(`The ${engine} price depends on ${needs.join(' / ')}, and the step sets no value a recipe prices. ${PREVIEW_COST_HINT}`);
    return fail(`No recipe publishes a price for ${label}. ${PREVIEW_COST_HINT}`);
  }
  if (entry.price.kind === 'unpublished') return fail(`No published price for ${label}: ${entry.price.why} (recipes/${entry.source}). ${PREVIEW_COST_HINT}`);
  const countField = entry.countField ?? 'quantity';
  let priced: Priced & { count: number };
  try {
    priced = price(entry.price, r, countField, `recipes/${entry.source}`);
  } catch (e) {
    if (e instanceof Unknown) return fail(`Cannot estimate: ${e.message}.`);
    throw e;
  }
  return {
    index,
    name,
    buzz: priced.buzz,
    detail: {
      kind: 'imageGen',
      engine,
      label,
      ecosystem: read('ecosystem'),
      source: entry.source,
      formula: priced.formula,
      perImage: priced.perImage,
      quantity: priced.count,
      width: priced.width,
      height: priced.height,
      steps: priced.steps,
      defaulted: [...new Set(r.defaulted)],
      fromArguments: [...new Set(r.fromArguments)],
    },
  };
}

function videoCost(ctx: Context, input: Record<string, unknown>, index: number, name: string): StepCostEstimate {
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const raw = (field: string): Resolved => resolveValue(input[field], ctx.args);
  const read = (field: string): string | undefined => {
    const r = raw(field);
    return r.kind === 'value' && (typeof r.value === 'string' || typeof r.value === 'number') ? String(r.value) : undefined;
  };
  const engine = read('engine');
  if (!engine) return fail('The step has no engine.');
  const label = [engine, read('version'), read('model'), read('operation')].filter(Boolean).join(' ');
  const entry = VIDEO_PRICES.find((e) => priceMatches(e.match, read));
  if (!entry) {
    const needs = [...new Set(VIDEO_PRICES.flatMap((e) => (e.match.engine === engine ? Object.keys(e.match).filter((k) => k !== 'engine') : [])))];
    if (needs.length > 0 && needs.every((f) => read(f) === undefined)) return fail(`The ${engine} price depends on ${needs.join(' / ')}, and the step sets none. ${PREVIEW_COST_HINT}`);
    return fail(`No recipe price for ${label} is in the table yet. ${PREVIEW_COST_HINT}`);
  }
  if (entry.price.kind === 'unpublished') return fail(`No published price for ${label}: ${entry.price.why} (recipes/${entry.source}). ${PREVIEW_COST_HINT}`);
  const defaulted: string[] = [];
  /** A key part: the field's value, or its default; `?field` is "yes"/"no". */
  const part = (spec: string): string | undefined => {
    const flag = spec.startsWith('?');
    const field = flag ? spec.slice(1) : spec;
    const r = raw(field);
    if (r.kind === 'step-ref') return flag ? 'yes' : undefined;
    if (r.kind === 'unresolved') return undefined;
    let value: unknown = r.kind === 'value' ? r.value : entry.defaults?.[field];
    if (r.kind === 'absent' && value !== undefined) defaulted.push(field);
    if (flag) {
      if (value === undefined) value = false;
      return value === true || (Array.isArray(value) && value.length > 0) ? 'yes' : 'no';
    }
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  let buzz = 1;
  const parts: string[] = [];
  for (const factor of entry.price.factors) {
    const keyParts = factor.by.map(part);
    const missing = factor.by.find((_, i) => keyParts[i] === undefined);
    if (missing) return fail(`Cannot estimate: ${missing.replace(/^\?/, '')} is not set and the recipe gives no default for it.`);
    const key = keyParts.join('/');
    const value = factor.values[key];
    if (value === undefined) return fail(`recipes/${entry.source} publishes no price for ${factor.by.map((b) => b.replace(/^\?/, '')).join(' / ')} "${key}". ${PREVIEW_COST_HINT}`);
    buzz *= value;
    parts.push(key ? `${n(value)} (${key})` : n(value));
  }
  if (entry.price.perSecond) {
    const d = part('duration');
    const seconds = Number(d);
    if (d === undefined || !Number.isFinite(seconds) || seconds <= 0) return fail('Cannot estimate: duration is not a positive number of seconds.');
    buzz *= seconds;
    parts.push(`${n(seconds)} s`);
  }
  return { index, name, buzz, detail: { kind: 'flat', stepType: `videoGen ${label}`, source: entry.source, formula: parts.join(' × '), defaulted: [...new Set(defaulted)] } };
}

function otherStepCost(ctx: Context, input: Record<string, unknown>, index: number, name: string, type: string): StepCostEstimate {
  const entry = OTHER_STEP_PRICES[type];
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const p = entry.price;
  const done = (buzz: number, formula: string, defaulted: string[] = []): StepCostEstimate => ({ index, name, buzz, detail: { kind: 'flat', stepType: type, source: entry.source, formula, defaulted } });
  if (p.kind === 'flat') return done(p.buzz, `${n(p.buzz)} per step`);
  if (p.kind === 'perSecond') {
    const v = resolveValue(input[p.field], ctx.args);
    if (v.kind === 'absent') return done(p.base + p.defaultSeconds * p.perSecond, `${n(p.base)} + ${p.defaultSeconds} s × ${n(p.perSecond)}`, [p.field]);
    if (v.kind === 'value' && typeof v.value === 'number' && v.value > 0) return done(p.base + v.value * p.perSecond, `${n(p.base)} + ${n(v.value)} s × ${n(p.perSecond)}`);
    return fail(`Cannot estimate: ${v.kind === 'unresolved' ? v.reason : v.kind === 'step-ref' ? `${p.field} comes from step "${v.source}" at run time` : `${p.field} is not a positive number`}.`);
  }
  if (p.kind === 'perText') {
    const text = resolveValue(input[p.field], ctx.args);
    if (text.kind === 'step-ref') return fail(`Cannot estimate: ${p.field} comes from step "${text.source}" at run time.`);
    if (text.kind !== 'value' || typeof text.value !== 'string') return fail(`Cannot estimate: ${p.field} is not set to text in the file.`);
    const speaker = resolveValue(input[p.speakerField], ctx.args);
    const withSpeaker = speaker.kind === 'value' && speaker.value !== null && speaker.value !== undefined;
    const units = Math.max(1, Math.ceil(text.value.length / p.per));
    return done(units * (withSpeaker ? p.speakerFactor : 1), `max(1, ⌈${text.value.length} / ${p.per}⌉)${withSpeaker ? ` × ${n(p.speakerFactor)} (speaker)` : ''}`);
  }
  const source = upscalerInputSize(ctx, input, index);
  if (!source.ok) return fail(`Cannot estimate: ${source.reason}.`);
  const megapixels = (source.size.width * source.size.height) / 1_000_000;
  const buzz = Math.max(1, Math.round((p.intercept + p.slope * megapixels) * p.factor));
  return done(buzz, `max(1, round((${n(p.intercept)} + ${n(p.slope)} × ${n(megapixels)} MP) × ${n(p.factor)}))`);
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
