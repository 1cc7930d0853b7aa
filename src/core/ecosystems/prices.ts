// The published imageGen prices: every formula and flat per-image price in the "Cost" section of
// Civitai's recipe pages (`orchestration/recipes/*.md`), keyed by the input's discriminators
// (engine, and ecosystem / model / version / operation / provider where the engine has them).
// Part of the one table of engine knowledge (with table.ts): cost reads it, nothing restates it.
// Each entry names the recipe page it comes from; where a page describes a price without a
// number, the entry says so (`unpublished`) and the estimate points at Preview Cost instead.
import { ECOSYSTEMS, type EcosystemId } from './table';

/** Input discriminators an entry can match on; a list means "any of these". */
export type PriceMatch = Partial<Record<'engine' | 'ecosystem' | 'model' | 'version' | 'operation' | 'provider' | 'modelVersion', string | readonly string[]>>;

/** A condition on the input that changes a per-image price. */
export type PriceCondition =
  | { nonEmpty: string } // the field is a non-empty object or array (loras, images, style references)
  | { isTrue: string }; // the boolean field is true

export interface PriceAdjustment {
  when: PriceCondition;
  /** Buzz added per image. */
  add?: number;
  /** Factor the per-image price is multiplied by. */
  times?: number;
}

export type ImageGenPrice =
  /** base × (w × h / referencePixels) × (steps / referenceSteps) × [1 + (images − 1) × perExtraImage] × count */
  | { kind: 'pixelSteps'; base: number; referencePixels: number; referenceSteps: number; perExtraImage?: number }
  /** stepCost × steps × (editImages + 1) × (cfgScale = 1 ? 1 : 2) × count; stepCost by `modelVersion` when a map. */
  | { kind: 'perStep'; stepCost: number | Readonly<Record<string, number>> }
  /** ⌈w × h / 10⁶⌉ × costPerMegapixel (adjusted) × count */
  | { kind: 'perMegapixel'; costPerMegapixel: number; adjustments?: readonly PriceAdjustment[] }
  /** A flat price per image, by the value of `by` when a map (`default` when the field is absent and the contract gives no default), adjusted. */
  | { kind: 'perImage'; by?: string; prices: number | Readonly<Record<string, number>>; adjustments?: readonly PriceAdjustment[] }
  /** First row (in order, either orientation) whose size covers the request; past the last row, the last; price by `by`. */
  | { kind: 'coveringSize'; by: string; rows: ReadonlyArray<{ width: number; height: number; prices: Readonly<Record<string, number>> }> }
  /** The page describes the price but publishes no number for this case. */
  | { kind: 'unpublished'; why: string };

export interface ImageGenPriceEntry {
  /** One set of discriminator values, or alternatives (the same model on two engines). */
  match: PriceMatch | readonly PriceMatch[];
  /** The recipe page, relative to `orchestration/recipes/`. */
  source: string;
  price: ImageGenPrice;
  /** The field that counts images (default `quantity`). */
  countField?: 'quantity' | 'numImages';
  /** How the entry reads the page where that takes judgement. */
  note?: string;
}

const MEGA = 1024 * 1024;

const fromEcosystem = (id: EcosystemId, engine: 'sdcpp' | 'comfy'): ImageGenPrice => {
  const ref = ECOSYSTEMS[id].cost[engine];
  if (!ref) throw new Error(`no cost reference for ${engine} + ${id}`);
  return { kind: 'pixelSteps', ...ref };
};

/** In order: the first entry whose every match key agrees with the input wins. */
export const IMAGE_GEN_PRICES: readonly ImageGenPriceEntry[] = [
  // ---- per-pixel × per-step shapes ----
  { match: { engine: 'sdcpp', ecosystem: 'sd1' }, source: 'sd1.md', price: fromEcosystem('sd1', 'sdcpp') },
  { match: { engine: 'comfy', ecosystem: 'sd1' }, source: 'sd1.md', price: fromEcosystem('sd1', 'comfy') },
  { match: { engine: 'sdcpp', ecosystem: 'sdxl' }, source: 'sdxl.md', price: fromEcosystem('sdxl', 'sdcpp') },
  { match: { engine: 'comfy', ecosystem: 'sdxl' }, source: 'sdxl.md', price: fromEcosystem('sdxl', 'comfy') },
  { match: { engine: 'sdcpp', ecosystem: 'anima' }, source: 'anima.md', price: fromEcosystem('anima', 'sdcpp') },
  { match: { engine: 'sdcpp', ecosystem: 'zImage', model: 'turbo' }, source: 'zimage.md', price: { kind: 'pixelSteps', base: 8, referencePixels: MEGA, referenceSteps: 9 } },
  { match: { engine: 'sdcpp', ecosystem: 'zImage', model: 'base' }, source: 'zimage.md', price: { kind: 'pixelSteps', base: 20, referencePixels: MEGA, referenceSteps: 20 } },
  { match: { engine: 'comfy', ecosystem: 'ernie', model: 'ernie' }, source: 'ernie.md', price: { kind: 'pixelSteps', base: 20, referencePixels: MEGA, referenceSteps: 20 }, note: 'The page calls the `ernie` model "Standard".' },
  { match: { engine: 'comfy', ecosystem: 'ernie', model: 'turbo' }, source: 'ernie.md', price: { kind: 'pixelSteps', base: 8, referencePixels: MEGA, referenceSteps: 8 } },
  { match: { engine: 'comfy', ecosystem: 'flux1' }, source: 'flux1.md', price: { kind: 'pixelSteps', base: 8, referencePixels: MEGA, referenceSteps: 20 } },
  {
    match: { engine: 'sdcpp', ecosystem: 'qwen', model: '20b', operation: 'editImage' },
    source: 'qwen.md',
    price: { kind: 'pixelSteps', base: 40, referencePixels: MEGA, referenceSteps: 20, perExtraImage: 0.1 },
  },
  { match: { engine: 'sdcpp', ecosystem: 'qwen', model: '20b' }, source: 'qwen.md', price: { kind: 'pixelSteps', base: 30, referencePixels: 1328 * 1328, referenceSteps: 20 } },

  // ---- per-step shapes (steps × edit images × guidance) ----
  { match: { engine: 'sdcpp', ecosystem: 'flux1' }, source: 'flux1.md', price: { kind: 'perStep', stepCost: 0.5 } },
  {
    match: [{ engine: 'flux2', model: 'klein' }, { engine: 'sdcpp', ecosystem: 'flux2Klein' }],
    source: 'flux2.md',
    price: { kind: 'perStep', stepCost: { '4b': 0.3, '4b-base': 0.3, '9b': 0.5, '9b-base': 0.5 } },
  },

  // ---- per-megapixel ----
  {
    match: [{ engine: 'flux2', model: 'dev' }, { engine: 'sdcpp', ecosystem: 'flux2Dev' }],
    source: 'flux2.md',
    price: { kind: 'perMegapixel', costPerMegapixel: 20, adjustments: [{ when: { nonEmpty: 'loras' }, times: 2 }] },
    note: 'The page gives the shape ⌈w × h / 10⁶⌉ × costPerMegapixel × quantity, doubled with LoRAs on dev, and "~40 Buzz" for a default 1024² dev image: ⌈1.048576⌉ = 2, so 20 per megapixel. The sdcpp flux2Dev path runs the same model (same page).',
  },
  {
    match: { engine: 'flux2', model: ['flex', 'pro', 'max'] },
    source: 'flux2.md',
    price: { kind: 'unpublished', why: 'the flux2 page gives the per-megapixel shape for flex/pro/max but no rate ("materially higher" than dev)' },
  },

  // ---- flat per image ----
  { match: { engine: 'flux1-kontext' }, source: 'flux1.md', price: { kind: 'perImage', by: 'model', prices: { dev: 35, pro: 45, max: 90 } } },
  { match: { engine: 'gemini' }, source: 'gemini.md', price: { kind: 'perImage', prices: 60 } },
  { match: { engine: 'fal', model: 'maiImage' }, source: 'mai-image.md', price: { kind: 'perImage', prices: 65 } },
  {
    match: { engine: 'fal', model: 'krea2' },
    source: 'krea.md',
    price: { kind: 'perImage', by: 'size', prices: { medium: 39, large: 78 }, adjustments: [{ when: { nonEmpty: 'imageStyleReferences' }, add: 6.5 }] },
  },
  {
    match: { engine: 'fal', model: 'qwen2' },
    source: 'qwen.md',
    price: { kind: 'unpublished', why: 'the qwen page says FAL Qwen2 is fixed per operation but publishes no number' },
  },
  {
    match: { engine: 'grok' },
    source: 'grok.md',
    price: { kind: 'perImage', by: 'operation', prices: { createImage: 26, editImage: 29 } },
    note: 'The page prices by operation only; it names no version, so both versions read the same table.',
  },
  { match: { engine: 'seedream' }, source: 'seedream.md', price: { kind: 'perImage', by: 'version', prices: { 'v4.5': 60, 'v5.0-lite': 52, v4: 40, v3: 40 } } },
  {
    match: { engine: 'qwen' },
    source: 'qwen.md',
    price: { kind: 'perImage', by: 'model', prices: { '2.0': 45.5, 'edit-plus': 39, plus: 39, edit: 58.5, '3.0-pro': 97.5, '2.0-pro': 97.5, max: 97.5, 'edit-max': 97.5 } },
  },
  {
    match: { engine: 'wan', version: 'v2.2' },
    source: 'wan-image.md',
    price: { kind: 'perImage', prices: 150, adjustments: [{ when: { nonEmpty: 'loras' }, times: 2 }] },
  },
  { match: { engine: 'wan', version: 'v2.2-5b' }, source: 'wan-image.md', price: { kind: 'perImage', prices: 100 } },
  { match: { engine: 'wan', version: 'v2.5' }, source: 'wan-image.md', price: { kind: 'perImage', prices: 32.5 } },
  {
    match: { engine: 'wan', version: 'v2.7' },
    source: 'wan-image.md',
    price: { kind: 'perImage', prices: 39 },
    note: 'The page lists ~39 standard and ~97.5 pro for v2.7; the contract has no field that selects pro, so the standard price applies.',
  },
  {
    match: { engine: 'google', model: 'nano-banana-2' },
    source: 'google.md',
    countField: 'numImages',
    price: {
      kind: 'perImage',
      by: 'resolution',
      prices: { '1K': 104, '2K': 156, '4K': 208 },
      adjustments: [
        { when: { isTrue: 'enableWebSearch' }, add: 20 },
        { when: { isTrue: 'enableGoogleSearch' }, add: 20 },
      ],
    },
  },
  {
    match: { engine: 'google', model: 'nano-banana-pro' },
    source: 'google.md',
    countField: 'numImages',
    price: { kind: 'perImage', by: 'resolution', prices: { '1K': 160, '2K': 230, '4K': 320 }, adjustments: [{ when: { nonEmpty: 'images' }, add: 20 }] },
  },
  { match: { engine: 'google', model: 'nano-banana-2-lite' }, source: 'google.md', countField: 'numImages', price: { kind: 'perImage', prices: 44 } },
  { match: { engine: 'google', model: 'imagen4' }, source: 'google.md', countField: 'numImages', price: { kind: 'perImage', prices: 40 } },
  {
    match: { engine: 'openai', model: 'gpt-image-2' },
    source: 'openai.md',
    price: {
      kind: 'coveringSize',
      by: 'quality',
      rows: [
        { width: 1024, height: 768, prices: { low: 13, medium: 52, high: 195 } },
        { width: 1024, height: 1024, prices: { low: 13, medium: 78, high: 286 } },
        { width: 1024, height: 1536, prices: { low: 13, medium: 65, high: 221 } },
        { width: 1920, height: 1080, prices: { low: 13, medium: 52, high: 208 } },
        { width: 2560, height: 1440, prices: { low: 13, medium: 78, high: 299 } },
        { width: 3840, height: 2160, prices: { low: 26, medium: 143, high: 533 } },
      ],
    },
    note: 'The page\'s "cheapest tier that covers" is the first row in its order: its own example bills 1024² high at 286, not the 1920×1080 row\'s 208.',
  },
  { match: { engine: 'openai', model: ['gpt-image-1.5'] }, source: 'openai.md', price: { kind: 'perImage', by: 'quality', prices: { low: 25, medium: 100, high: 375 } } },
  { match: { engine: 'openai', model: 'gpt-image-1' }, source: 'openai.md', price: { kind: 'perImage', by: 'quality', prices: { low: 25, medium: 100, high: 375, auto: 300 } } },
  { match: { engine: 'openai', model: ['dall-e-3', 'dall-e-2'] }, source: 'openai.md', price: { kind: 'perImage', prices: 300 } },
];

function isMatchList(match: PriceMatch | readonly PriceMatch[]): match is readonly PriceMatch[] {
  return Array.isArray(match);
}

function valueMatches(expected: string | readonly string[], actual: string | undefined): boolean {
  return actual !== undefined && (typeof expected === 'string' ? expected === actual : expected.includes(actual));
}

/**
 * The price entry for an imageGen input, given a reader of its discriminator values (input or
 * contract default). Entries whose `match` is a list match when any alternative does.
 */
export function imageGenPriceFor(read: (field: string) => string | undefined): ImageGenPriceEntry | undefined {
  return IMAGE_GEN_PRICES.find((entry) => priceMatches(entry.match, read));
}

/** Whether an input (read through `read`) has every discriminator value of `match` (or of one alternative). */
export function priceMatches(match: PriceMatch | readonly PriceMatch[], read: (field: string) => string | undefined): boolean {
  const alternatives: readonly PriceMatch[] = isMatchList(match) ? match : [match];
  return alternatives.some((m) => Object.entries(m).every(([field, expected]) => valueMatches(expected as string | readonly string[], read(field))));
}
