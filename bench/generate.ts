// Deterministic workflow documents for the benchmark: N imageGen steps mixing SD1, SDXL and Anima
// on sdcpp and comfy, createImage and createVariant (some variants take their image from an
// earlier step through `$ref`), and, at a fixed rhythm, steps with one deliberate flaw whose
// findings are known in advance. The same seed always gives the same text, so every run of the
// bench (and its unit test) measures the same bytes.
//
// Values come from the ecosystem table (sizes, cfg and steps ranges, sampler names), so a clean
// step is clean by construction: the unit test lints each one to prove it.
import { mulberry32 } from '../src/core/random';
import {
  COMFY_TO_SDCPP_SAMPLER,
  COMFY_TO_SDCPP_SCHEDULE,
  ECOSYSTEMS,
  type EcosystemId,
  type Engine,
  type Operation,
} from '../src/core/ecosystems/table';

export interface Combination {
  ecosystem: EcosystemId;
  engine: Engine;
  operation: Operation;
}

/** Every combination the guides document (the table's engines and operations per ecosystem). */
export const COMBINATIONS: readonly Combination[] = (Object.keys(ECOSYSTEMS) as EcosystemId[]).flatMap((ecosystem) =>
  ECOSYSTEMS[ecosystem].engines.flatMap((engine) =>
    ECOSYSTEMS[ecosystem].documentedOperations.map((operation) => ({ ecosystem, engine, operation })),
  ),
);

/**
 * The deliberate flaws, each with the finding codes it must produce on its step (and nothing
 * else). One flaw per flawed step, so a step's findings are exactly its flaw's.
 */
export const FLAWS = {
  /** width not a multiple of 16 (native + 8 stays close to native). */
  'width-off-grid': ['dimension-not-multiple-of-16'],
  /** cfgScale above the documented sweet spot (still inside the contract's range). */
  'cfg-high': ['cfg-outside-sweet-spot'],
  /** steps below the documented typical range (for Anima the guide gives only a floor). */
  'steps-low': ['steps-outside-typical'],
  /** The other engine's sampler field name. */
  'other-engine-field': ['field-of-other-engine'],
  /** A field no input has. */
  'unknown-field': ['unknown-property'],
  /** The same tag twice in the prompt. */
  'duplicate-tag': ['prompt-duplicate-tag'],
  /** A sampler name the engine does not know (the other engine's spelling). */
  'sampler-other-spelling': ['invalid-enum'],
} as const satisfies Record<string, readonly string[]>;

export type Flaw = keyof typeof FLAWS;
export const FLAW_NAMES = Object.keys(FLAWS) as Flaw[];

export interface GeneratedStep extends Combination {
  index: number;
  name: string;
  flaw?: Flaw;
  /** Finding codes this step must produce (empty for a clean step). */
  intended: readonly string[];
  /** The name of the step this one's image comes from, for variants chained by `$ref`. */
  imageFrom?: string;
}

export interface GeneratedWorkflow {
  text: string;
  value: { steps: Array<Record<string, unknown>> };
  steps: GeneratedStep[];
}

export interface GenerateOptions {
  steps: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Every `findingsEvery`-th step (the last of each run) gets a flaw; 0 = a clean document. */
  findingsEvery?: number;
}

/** The seeded generator the documents are drawn from (the same on every platform). */
export const createRandom = mulberry32;

const SUBJECTS = ['1girl, solo', 'portrait of a knight', 'mountain lake', 'city street at night', 'red fox in snow', 'old lighthouse', 'space station interior', 'tea house in the rain'];
const DETAILS = ['cinematic lighting', 'soft focus', 'highly detailed', 'golden hour', 'volumetric fog', 'wide angle', 'looking at viewer', 'depth of field', 'sharp focus', 'pastel colors'];
const NEGATIVES = ['worst quality, low quality', 'worst quality, low quality, blurry', 'worst quality, low quality, bad anatomy'];
// Sampler names that exist on both engines (the table maps comfy names to sdcpp names).
const COMFY_SAMPLERS = ['euler', 'euler_ancestral', 'dpmpp_2m'].filter((s) => s in COMFY_TO_SDCPP_SAMPLER);
const COMFY_SCHEDULERS = ['normal', 'karras'].filter((s) => s in COMFY_TO_SDCPP_SCHEDULE);

export function generateWorkflow(options: GenerateOptions): GeneratedWorkflow {
  const count = Math.max(0, Math.floor(options.steps));
  const every = options.findingsEvery ?? 0;
  const random = createRandom(options.seed ?? 1);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  const steps: GeneratedStep[] = [];
  const values: Array<Record<string, unknown>> = [];
  let flawCount = 0;
  for (let index = 0; index < count; index++) {
    const combo = COMBINATIONS[index % COMBINATIONS.length];
    const facts = ECOSYSTEMS[combo.ecosystem];
    const name = `s${index}`;
    const flaw: Flaw | undefined = every > 0 && index % every === every - 1 ? FLAW_NAMES[flawCount++ % FLAW_NAMES.length] : undefined;

    const size = pick(facts.wellBehavedSizes);
    const details = shuffled(DETAILS, random).slice(0, int(1, 3));
    const tags = ['masterpiece', 'best quality', pick(SUBJECTS), ...details];
    if (flaw === 'duplicate-tag') tags.push(details[0]);
    const input: Record<string, unknown> = {
      engine: combo.engine,
      ecosystem: combo.ecosystem,
      operation: combo.operation,
    };
    // Anima's checkpoint is fixed by the service (no `model` field); SD1 and SDXL name theirs.
    if (combo.ecosystem !== 'anima') input.model = `urn:air:${combo.ecosystem}:checkpoint:civitai:${int(1000, 999999)}@${int(1000, 999999)}`;
    input.prompt = tags.join(', ');
    input.negativePrompt = pick(NEGATIVES);
    input.width = flaw === 'width-off-grid' ? facts.native.width + 8 : size.width;
    input.height = flaw === 'width-off-grid' ? facts.native.height : size.height;
    input.cfgScale = flaw === 'cfg-high' ? facts.cfgSweetSpot.max + 4 : int(facts.cfgSweetSpot.min, facts.cfgSweetSpot.max);
    input.steps = flaw === 'steps-low' ? facts.stepsTypical.min - 10 : int(facts.stepsTypical.min, facts.stepsTypical.max);
    input.seed = int(0, 2 ** 31);

    const comfySampler = pick(COMFY_SAMPLERS);
    const comfyScheduler = pick(COMFY_SCHEDULERS);
    if (combo.engine === 'comfy') {
      input.sampler = flaw === 'sampler-other-spelling' ? COMFY_TO_SDCPP_SAMPLER.euler_ancestral : comfySampler;
      input.scheduler = comfyScheduler;
    } else {
      input.sampleMethod = flaw === 'sampler-other-spelling' ? 'euler_ancestral' : COMFY_TO_SDCPP_SAMPLER[comfySampler];
      input.schedule = COMFY_TO_SDCPP_SCHEDULE[comfyScheduler];
    }
    if (flaw === 'other-engine-field') {
      if (combo.engine === 'comfy') input.sampleMethod = COMFY_TO_SDCPP_SAMPLER[comfySampler];
      else input.sampler = comfySampler;
    }
    if (flaw === 'unknown-field') input.colour = 'blue';
    if (random() < 0.25) input.loras = { [`urn:air:${combo.ecosystem}:lora:civitai:${int(1000, 999999)}@${int(1000, 999999)}`]: 0.8 };

    let imageFrom: string | undefined;
    if (combo.operation === 'createVariant') {
      // Half the variants refine an earlier createImage step's first image, the rest a URL.
      const sources = steps.filter((s) => s.operation === 'createImage');
      if (sources.length > 0 && random() < 0.5) {
        imageFrom = sources[sources.length - 1 - int(0, Math.min(3, sources.length - 1))].name;
        input.image = { $ref: imageFrom, path: 'output.images[0].url' };
      } else {
        input.image = `https://image.civitai.com/bench/${int(1, 99999)}.jpeg`;
      }
      if (combo.engine === 'comfy') input.denoiseStrength = 0.6;
      else input.strength = 0.6;
    }

    steps.push({ ...combo, index, name, flaw, intended: flaw ? FLAWS[flaw] : [], imageFrom });
    values.push({ $type: 'imageGen', name, input });
  }
  const value = { steps: values };
  return { text: JSON.stringify(value, null, 2) + '\n', value, steps };
}

/** Fisher–Yates with the given PRNG (a random comparator in sort() depends on the engine's sort). */
function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The documents the bench measures: the same generator, one size each. */
export const BENCH_SIZES = [1, 10, 100, 1000] as const;
export const BENCH_FINDINGS_EVERY = 10;

export function benchDocument(size: number): GeneratedWorkflow {
  return generateWorkflow({ steps: size, seed: 20261121, findingsEvery: BENCH_FINDINGS_EVERY });
}
