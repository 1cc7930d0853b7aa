// The one home of ecosystem knowledge taken from the service's guides (not the contract:
// contract facts such as ranges and defaults live in the generated schema and
// `src/core/schema/leaves.generated.ts`). Rules, cost, completions, templates, the emulator
// and the docs all read this table; nothing else restates these numbers.

export type Engine = 'sdcpp' | 'comfy';
export type EcosystemId = 'sd1' | 'sdxl' | 'anima';
export type Operation = 'createImage' | 'createVariant';

export interface Size {
  width: number;
  height: number;
}

export interface CostReference {
  /** Buzz for one image at the reference size and steps. */
  base: number;
  referencePixels: number;
  referenceSteps: number;
}

export interface NumericRange {
  min: number;
  max: number;
}

export interface EcosystemFacts {
  id: EcosystemId;
  label: string;
  /** The size the base model was trained at. */
  native: Size;
  /** Sizes the guides call well-behaved (mirrors included). */
  wellBehavedSizes: Size[];
  /** Past this on either side the guides warn of duplicated subjects (SD1). */
  maxComfortableSide?: number;
  /** The documented cfgScale sweet spot. */
  cfgSweetSpot: NumericRange;
  /** The documented typical steps range. */
  stepsTypical: NumericRange;
  /** Engines the guides document for this ecosystem, default first. */
  engines: Engine[];
  /** Operations the guides document (the contract may allow more: see `docsVsContract`). */
  documentedOperations: Operation[];
  /** Cost references per engine; absent where the guides give no formula. */
  cost: Partial<Record<Engine, CostReference>>;
  /** Whether the ecosystem takes a `clipSkip` field. */
  clipSkip: boolean;
  /** Where the guides disagree with the contract; the contract wins, this is advice. */
  docsVsContract: string[];
}

const mirrored = (sizes: Array<[number, number]>): Size[] => {
  const out: Size[] = [];
  for (const [w, h] of sizes) {
    out.push({ width: w, height: h });
    if (w !== h) out.push({ width: h, height: w });
  }
  return out;
};

export const ECOSYSTEMS: Record<EcosystemId, EcosystemFacts> = {
  sd1: {
    id: 'sd1',
    label: 'Stable Diffusion 1.x',
    native: { width: 512, height: 512 },
    wellBehavedSizes: mirrored([
      [512, 512],
      [512, 768],
      [768, 768],
    ]),
    maxComfortableSide: 768,
    cfgSweetSpot: { min: 6, max: 8 },
    stepsTypical: { min: 20, max: 30 },
    engines: ['sdcpp', 'comfy'],
    documentedOperations: ['createImage', 'createVariant'],
    cost: {
      sdcpp: { base: 4, referencePixels: 512 * 512, referenceSteps: 20 },
      comfy: { base: 4, referencePixels: 512 * 512, referenceSteps: 30 },
    },
    clipSkip: true,
    docsVsContract: [
      'The SD1 guide says widths and heights go up to 2048 on both engines; the contract caps comfy SD1 at 1024.',
      'The SD1 guide gives clipSkip default -1 on sdcpp; the contract declares default 2.',
    ],
  },
  sdxl: {
    id: 'sdxl',
    label: 'Stable Diffusion XL',
    native: { width: 1024, height: 1024 },
    wellBehavedSizes: mirrored([
      [1024, 1024],
      [1152, 896],
      [1216, 832],
      [1344, 768],
      [1536, 640],
    ]),
    cfgSweetSpot: { min: 6, max: 8 },
    stepsTypical: { min: 20, max: 30 },
    engines: ['sdcpp', 'comfy'],
    documentedOperations: ['createImage', 'createVariant'],
    cost: {
      sdcpp: { base: 8, referencePixels: 1024 * 1024, referenceSteps: 20 },
      comfy: { base: 8, referencePixels: 1024 * 1024, referenceSteps: 30 },
    },
    clipSkip: false,
    docsVsContract: [],
  },
  anima: {
    id: 'anima',
    label: 'Anima',
    native: { width: 1024, height: 1024 },
    wellBehavedSizes: mirrored([
      [1024, 1024],
      [1152, 896],
      [1344, 768],
      [1536, 640],
    ]),
    cfgSweetSpot: { min: 3, max: 5 },
    stepsTypical: { min: 25, max: 35 },
    engines: ['sdcpp'],
    documentedOperations: ['createImage'],
    cost: {
      sdcpp: { base: 8, referencePixels: 1024 * 1024, referenceSteps: 25 },
    },
    clipSkip: false,
    docsVsContract: [
      'The Anima guide documents createImage only; the contract also defines createVariant.',
      'The Anima guide documents the sdcpp engine only; the contract also defines a comfy Anima input.',
    ],
  },
};

/** Anima outputs under-bake below this many steps (Anima guide). */
export const ANIMA_MIN_STEPS = 20;

/** Turbo / LCM checkpoints (SDXL guide): guidance and steps they want instead of the usual. */
export const FEW_STEP_CHECKPOINTS = {
  cfg: { min: 1, max: 2 } as NumericRange,
  steps: { min: 4, max: 8 } as NumericRange,
  /** How a checkpoint's name or AIR reveals it. */
  namePattern: /\b(turbo|lcm|lightning|hyper)\b/i,
};

/** LoRA strengths the guides call typical. */
export const LORA_STRENGTH_TYPICAL: NumericRange = { min: 0.6, max: 1.0 };

// ---- Sampler and scheduler names across engines ----
// comfy name -> sdcpp name, where a counterpart exists.
export const COMFY_TO_SDCPP_SAMPLER: Readonly<Record<string, string>> = {
  euler: 'euler',
  euler_ancestral: 'euler_a',
  heun: 'heun',
  dpm_2: 'dpm2',
  dpmpp_2s_ancestral: 'dpm++2s_a',
  dpmpp_2m: 'dpm++2m',
  ipndm: 'ipndm',
  ipndm_v: 'ipndm_v',
  ddim: 'ddim_trailing',
  lcm: 'lcm',
  res_multistep: 'res_multistep',
  er_sde: 'er_sde',
};

export const SDCPP_TO_COMFY_SAMPLER: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(COMFY_TO_SDCPP_SAMPLER).map(([comfy, sdcpp]) => [sdcpp, comfy]),
);

// comfy scheduler -> sdcpp schedule, where a counterpart exists.
export const COMFY_TO_SDCPP_SCHEDULE: Readonly<Record<string, string>> = {
  simple: 'simple',
  karras: 'karras',
  exponential: 'exponential',
  sgm_uniform: 'sgm_uniform',
  normal: 'discrete',
};

export const SDCPP_TO_COMFY_SCHEDULER: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(COMFY_TO_SDCPP_SCHEDULE).map(([comfy, sdcpp]) => [sdcpp, comfy]),
);

/**
 * Fields that belong to the other engine (or another ecosystem), and what to use instead.
 * Keyed by the engine the step uses; `null` means "remove it".
 */
export const FOREIGN_FIELDS: Readonly<Record<Engine, Readonly<Record<string, string | null>>>> = {
  sdcpp: { sampler: 'sampleMethod', scheduler: 'schedule', denoiseStrength: 'strength' },
  comfy: { sampleMethod: 'sampler', schedule: 'scheduler', strength: 'denoiseStrength', embeddings: null, uCache: null },
};

export function isEcosystemId(value: unknown): value is EcosystemId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ECOSYSTEMS, value);
}

/** Documented cost reference for an engine + ecosystem, or undefined when the docs give none. */
export function costReference(engine: string, ecosystem: string): CostReference | undefined {
  if (!isEcosystemId(ecosystem)) return undefined;
  return (ECOSYSTEMS[ecosystem].cost as Record<string, CostReference | undefined>)[engine];
}
