// imageGen prices: reads a step's input the way its recipe's price needs it (contract defaults,
// `$arguments`, reference-image counts, sizes from PNG data URLs) and applies the entry of the
// price table (src/core/ecosystems/prices.ts) that matches its engine / ecosystem / model.
import { imageGenPriceFor, IMAGE_GEN_PRICES, type ImageGenPrice, type ImageGenPriceEntry, type PriceAdjustment } from '../ecosystems/prices';
import { pngHeaderFromImageString } from '../png/data-url';
import type { ImageGenLeaf } from '../schema/image-gen-leaves.generated';
import { formatFactor, PREVIEW_COST_HINT, type StepCostEstimate } from './types';
import { imageGenLeafCandidates, imageGenNumber, isPlainObject, leafDefault, resolveValue, stringField, type ImageSize } from './values';

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

const n = formatFactor;

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

/** The published price of an imageGen step, or null with the reason. */
export function imageGenCost(input: Record<string, unknown>, args: unknown, index: number, name: string): StepCostEstimate {
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const r = new InputReader(input, args);
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
