// Builds workflow bodies for the templates and for the results panel's "re-run with this seed" and
// "use as source" actions. Pure data in, pure data out; numbers come from the ecosystem table.
import { ECOSYSTEMS, FOREIGN_FIELDS, type EcosystemId, type Engine, type Operation } from '../ecosystems/table';

export type JsonObject = Record<string, unknown>;

export interface TemplateOptions {
  ecosystem: EcosystemId;
  engine: Engine;
  operation: Operation;
  prompt?: string;
  negativePrompt?: string;
  /** For createVariant: a URL, data URL or base64 string. */
  image?: string;
  width?: number;
  height?: number;
  seed?: number;
}

/** Example checkpoints the guides use; Anima ships its own diffuser and takes no `model`. */
const EXAMPLE_CHECKPOINTS: Partial<Record<EcosystemId, string>> = {
  sd1: 'urn:air:sd1:checkpoint:civitai:4384@128713',
  sdxl: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
};

const EXAMPLE_PROMPTS: Record<EcosystemId, { prompt: string; negativePrompt: string }> = {
  sd1: {
    prompt: 'a lighthouse on a rocky cliff at sunset, dramatic clouds, detailed, soft light',
    negativePrompt: 'worst quality, low quality, blurry, watermark',
  },
  sdxl: {
    prompt: 'a lighthouse on a rocky cliff at sunset, dramatic clouds, highly detailed, cinematic lighting',
    negativePrompt: 'worst quality, low quality, blurry, watermark',
  },
  anima: {
    prompt: 'masterpiece, best quality, 1girl, solo, reading a book in a sunlit library, detailed background',
    negativePrompt: 'worst quality, low quality, blurry, bad anatomy',
  },
};

/** Placeholder source for image-to-image templates: the user replaces it. */
export const PLACEHOLDER_SOURCE_IMAGE = 'https://example.com/your-source-image.png';

/** How much of the source an image-to-image step re-imagines (the guides' sweet spot is 0.6–0.8). */
const VARIANT_STRENGTH = 0.7;

/** The engine's name for the image-to-image strength field (sdcpp `strength`, comfy `denoiseStrength`). */
export function strengthField(engine: Engine): string {
  // FOREIGN_FIELDS maps a field of the other engine to this engine's name for it.
  return FOREIGN_FIELDS[engine].strength ?? FOREIGN_FIELDS[engine].denoiseStrength ?? 'strength';
}

function midpoint(range: { min: number; max: number }, integer: boolean): number {
  const mid = (range.min + range.max) / 2;
  return integer ? Math.round(mid) : mid;
}

/** One imageGen step input for the given combination, with values inside the guides' sweet spots. */
export function buildImageGenInput(options: TemplateOptions): JsonObject {
  const facts = ECOSYSTEMS[options.ecosystem];
  const prompts = EXAMPLE_PROMPTS[options.ecosystem];
  const input: JsonObject = {
    engine: options.engine,
    ecosystem: options.ecosystem,
    operation: options.operation,
  };
  const model = EXAMPLE_CHECKPOINTS[options.ecosystem];
  if (model) input.model = model;
  input.prompt = options.prompt ?? prompts.prompt;
  input.negativePrompt = options.negativePrompt ?? prompts.negativePrompt;
  input.width = options.width ?? facts.native.width;
  input.height = options.height ?? facts.native.height;
  input.steps = midpoint(facts.stepsTypical, true);
  input.cfgScale = midpoint(facts.cfgSweetSpot, false);
  input.quantity = 1;
  if (options.seed !== undefined) input.seed = options.seed;
  if (options.operation === 'createVariant') {
    input.image = options.image ?? PLACEHOLDER_SOURCE_IMAGE;
    input[strengthField(options.engine)] = VARIANT_STRENGTH;
  }
  return input;
}

export function buildWorkflowBody(options: TemplateOptions): JsonObject {
  return { steps: [{ $type: 'imageGen', input: buildImageGenInput(options) }] };
}

/** The file text for a new workflow (2-space JSON, trailing newline). */
export function renderWorkflowTemplate(options: TemplateOptions): string {
  return JSON.stringify(buildWorkflowBody(options), null, 2) + '\n';
}

// ---- Derived workflows (results panel actions) ----

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stepsOf(body: unknown): unknown[] | undefined {
  return isObject(body) && Array.isArray(body.steps) ? body.steps : undefined;
}

/**
 * A copy of `body` that re-runs one step with a fixed seed and a single image. Other steps are
 * kept (a later step may `$ref` this one). Returns undefined when the step has no `input` object.
 */
export function withSeed(body: unknown, stepIndex: number, seed: number): JsonObject | undefined {
  const steps = stepsOf(body);
  const step = steps?.[stepIndex];
  if (!isObject(body) || !steps || !isObject(step) || !isObject(step.input)) return undefined;
  const copy = structuredClone(body) as JsonObject;
  const input = ((copy.steps as JsonObject[])[stepIndex].input) as JsonObject;
  input.seed = seed;
  if ('quantity' in input) input.quantity = 1;
  delete copy.externalId;
  return copy;
}

/**
 * An image-to-image workflow that starts from a result: same ecosystem, engine, model, prompt and
 * LoRAs as the step that produced it, `operation: createVariant`, the image as its source.
 * Returns undefined when the step is not an sdcpp/comfy imageGen step of a known ecosystem.
 */
export function variantFromStep(
  stepInput: unknown,
  image: string,
  size?: { width: number; height: number },
): JsonObject | undefined {
  if (!isObject(stepInput)) return undefined;
  const { engine, ecosystem } = stepInput;
  if ((engine !== 'sdcpp' && engine !== 'comfy') || typeof ecosystem !== 'string' || !(ecosystem in ECOSYSTEMS)) {
    return undefined;
  }
  const base = buildImageGenInput({
    ecosystem: ecosystem as EcosystemId,
    engine,
    operation: 'createVariant',
    image,
    width: size?.width,
    height: size?.height,
  });
  // Keep what the user chose for the original (model, prompts, sampler, LoRAs…), drop what a
  // variant must not carry over: the seed (a new image wants a new seed) and the batch size.
  const carried = ['model', 'diffuserModel', 'vaeModel', 'prompt', 'negativePrompt', 'steps', 'cfgScale', 'loras',
    'embeddings', 'clipSkip', 'sampleMethod', 'schedule', 'sampler', 'scheduler'];
  for (const key of carried) {
    if (key in stepInput && stepInput[key] !== undefined) base[key] = structuredClone(stepInput[key]);
  }
  if (!size) {
    if (typeof stepInput.width === 'number') base.width = stepInput.width;
    if (typeof stepInput.height === 'number') base.height = stepInput.height;
  }
  return { steps: [{ $type: 'imageGen', input: base }] };
}
