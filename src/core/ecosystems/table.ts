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

// ---- Rule facts (issue 6) ----

/**
 * "Near ~1 megapixel" for the ecosystems without a `maxComfortableSide` (SDXL, Anima guides), as a
 * band around the native area. The guides give no number: this band is the project's reading,
 * chosen so every well-behaved size sits well inside it (the smallest, 1536×640, is 0.94×).
 */
export const NATIVE_AREA_BAND: NumericRange = { min: 0.7, max: 1.3 };

/** Contract widths and heights must be divisible by this (all three guides). */
export const DIMENSION_MULTIPLE = 16;

/**
 * AIR ecosystem tags whose resources work on a step of this ecosystem ("only SD1-tagged LoRAs
 * work on sd1", and likewise for SDXL and Anima).
 */
export const AIR_ECOSYSTEM_TAGS: Readonly<Record<EcosystemId, readonly string[]>> = {
  sd1: ['sd1'],
  sdxl: ['sdxl'],
  anima: ['anima'],
};

/**
 * Fields an ecosystem names differently from its siblings: Anima has no checkpoint `model` (it
 * ships its own); its optional override is `diffuserModel` (Anima guide, troubleshooting).
 */
export const ECOSYSTEM_FIELD_COUNTERPARTS: Readonly<Partial<Record<EcosystemId, Readonly<Record<string, string>>>>> = {
  anima: { model: 'diffuserModel' },
};

/**
 * Strength given to a LoRA that the older `additionalNetworks` shape listed without one: full
 * strength, the usual implied weight of a LoRA (a project choice, not a documented default).
 */
export const LORA_IMPLIED_STRENGTH = 1;

/** Scopes and statuses of callback event names, `<scope>:<status>` (results-and-webhooks guide). */
export const CALLBACK_EVENT_SCOPES = ['workflow', 'step', 'job'] as const;
export const CALLBACK_EVENT_STATUSES = ['*', 'unassigned', 'processing', 'succeeded', 'failed', 'expired', 'canceled'] as const;

export function isCallbackEventName(value: string): boolean {
  const [scope, status, ...rest] = value.split(':');
  return (
    rest.length === 0 &&
    (CALLBACK_EVENT_SCOPES as readonly string[]).includes(scope) &&
    (CALLBACK_EVENT_STATUSES as readonly string[]).includes(status ?? '')
  );
}

/**
 * The current name for an event name of an older payload: already-current names pass through,
 * a bare status or another separator (`workflow.succeeded`, `WORKFLOW_SUCCEEDED`) is normalised,
 * `cancelled` becomes `canceled`. Undefined when there is no sure counterpart.
 */
export function currentCallbackEventName(value: string): string | undefined {
  const lower = value.trim().toLowerCase().replace(/cancelled/g, 'canceled');
  if (isCallbackEventName(lower)) return lower;
  const parts = lower.split(/[:._\s-]+/).filter((p) => p.length > 0);
  if (parts.length === 1 && (CALLBACK_EVENT_STATUSES as readonly string[]).includes(parts[0])) return `workflow:${parts[0]}`;
  if (parts.length === 2 && isCallbackEventName(`${parts[0]}:${parts[1]}`)) return `${parts[0]}:${parts[1]}`;
  return undefined;
}

// ---- A1111 / Forge sampler names ----
// Generation-parameter blocks and older payloads name samplers the A1111 way ("DPM++ 2M Karras"):
// a sampler, optionally followed by a schedule type. Names checked against the contract's
// ComfySampler / ComfyScheduler / SdCppSchedule enums (test/unit/rules-contract-facts.test.ts).
// They are read, with every other tool's spelling, by `resolveSamplerName` in samplers.ts.

/** A1111 sampler name -> ComfySampler value. */
export const A1111_SAMPLERS: Readonly<Record<string, string>> = {
  'Euler': 'euler',
  'Euler a': 'euler_ancestral',
  'Heun': 'heun',
  'LMS': 'lms',
  'DPM2': 'dpm_2',
  'DPM2 a': 'dpm_2_ancestral',
  'DPM fast': 'dpm_fast',
  'DPM adaptive': 'dpm_adaptive',
  'DPM++ 2S a': 'dpmpp_2s_ancestral',
  'DPM++ SDE': 'dpmpp_sde',
  'DPM++ 2M': 'dpmpp_2m',
  'DPM++ 2M SDE': 'dpmpp_2m_sde',
  'DPM++ 3M SDE': 'dpmpp_3m_sde',
  'DDIM': 'ddim',
  'DDPM': 'ddpm',
  'UniPC': 'uni_pc',
  'LCM': 'lcm',
};

/** A1111 schedule type ("Schedule type: Karras", or the suffix of "DPM++ 2M Karras") per engine. */
export const A1111_SCHEDULE_TYPES: Readonly<Record<string, { comfy?: string; sdcpp?: string }>> = {
  'Karras': { comfy: 'karras', sdcpp: 'karras' },
  'Exponential': { comfy: 'exponential', sdcpp: 'exponential' },
  'SGM Uniform': { comfy: 'sgm_uniform', sdcpp: 'sgm_uniform' },
  'Simple': { comfy: 'simple', sdcpp: 'simple' },
  'Normal': { comfy: 'normal', sdcpp: 'discrete' },
  'Beta': { comfy: 'beta' },
  'KL Optimal': { sdcpp: 'kl_optimal' },
  'Align Your Steps': { sdcpp: 'ays' },
};

// ---- Upscaler cost (image upscaler recipe) ----

/**
 * The upscaler recipe's cost: `max(1, ⌈w × h / 10⁶⌉) × 2^numberOfRepeats` for the default
 * model, and `numberOfRepeats` defaults to 1. The same recipe calls the default model "4×" in
 * prose, but its formula and table use 2 per pass, as does the contract ("each repeat doubles
 * the resolution"); the formula and the contract win.
 */
export const UPSCALER_COST = {
  pixelsPerMegapixel: 1_000_000,
  minMegapixels: 1,
  scalePerRepeat: 2,
  defaultRepeats: 1,
} as const;

/** "Tell me when it's done, pass or fail" (results-and-webhooks guide, common subscriptions). */
export const CALLBACK_EVENTS_WHEN_DONE: readonly string[] = ['workflow:succeeded', 'workflow:failed', 'workflow:expired', 'workflow:canceled'];
