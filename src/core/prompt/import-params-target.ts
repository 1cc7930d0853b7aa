// Writing the imported values into the imageGen input the contract has for a family and engine:
// the leaf (generated from the contract) says which fields exist and what they are called, so a
// value the chosen input has no field for is reported instead of sent (the service would refuse
// it or drop it silently).
import { IMAGE_GEN_LEAVES, type ImageGenLeaf, type ImageGenLeafKey } from '../schema/image-gen-leaves.generated';
import type { BaseModelFamily } from '../ecosystems/base-models';

export type Operation = 'createImage' | 'createVariant';

/** The values import reads, in the names sdcpp and comfy share. */
export interface ImportedValues {
  model?: string;
  prompt: string;
  negativePrompt?: string;
  width?: number;
  height?: number;
  steps?: number;
  cfgScale?: number;
  seed?: number;
  quantity?: number;
  clipSkip?: number;
  loras?: Record<string, number>;
  embeddings?: string[];
  /** Engine-specific sampler fields (sampleMethod/schedule or sampler/scheduler). */
  sampler?: Record<string, string>;
  /** img2img source and strength (second pass). */
  image?: unknown;
  strength?: number;
}

/** The discriminators of the family's input on `engine` (the first one when the family has no such engine). */
export function inputDiscriminators(family: BaseModelFamily, engine: string): Readonly<Record<string, string>> {
  return family.inputs.find((i) => i.engine === engine) ?? family.inputs[0];
}

/** The contract's leaf for the family on this engine and operation, if it has one. */
export function leafFor(family: BaseModelFamily, engine: string, operation: Operation): { key: ImageGenLeafKey; leaf: ImageGenLeaf } | undefined {
  const d = inputDiscriminators(family, engine);
  const withOperation = Object.values({ ...d, operation }).join('/');
  const without = Object.values(d).join('/');
  for (const key of [withOperation, without]) {
    const leaf = (IMAGE_GEN_LEAVES as Record<string, ImageGenLeaf | undefined>)[key];
    // A leaf without an operation discriminator (Wan) only creates images.
    if (leaf && (leaf.discriminators.operation === operation || (leaf.discriminators.operation === undefined && operation === 'createImage'))) {
      return { key: key as ImageGenLeafKey, leaf };
    }
  }
  return undefined;
}

/** Wan's fixed sizes (the contract's imageSize enum), as width:height ratios. */
const WAN_SIZES: ReadonlyArray<[string, number]> = [
  ['square_hd', 1],
  ['portrait_4_3', 3 / 4],
  ['portrait_16_9', 9 / 16],
  ['landscape_4_3', 4 / 3],
  ['landscape_16_9', 16 / 9],
];

export interface ShapedInput {
  readonly input: Record<string, unknown>;
  /** Values the input has no field for: `name -> why`. */
  readonly dropped: ReadonlyArray<{ field: string; value: unknown }>;
}

/**
 * The input for the family on `engine`, with every value the leaf has a field for. Field names
 * follow the leaf: `strength` or `denoiseStrength`, Wan's `guidanceScale`, `imageSize` and LoRA list.
 */
export function shapeInput(family: BaseModelFamily, engine: string, operation: Operation, values: ImportedValues): ShapedInput {
  const found = leafFor(family, engine, operation);
  const props = found?.leaf.properties ?? {};
  const has = (name: string) => Object.prototype.hasOwnProperty.call(props, name);
  const input: Record<string, unknown> = { ...inputDiscriminators(family, engine) };
  if (has('operation')) input.operation = operation;
  const dropped: Array<{ field: string; value: unknown }> = [];
  const put = (field: string, value: unknown, as = field) => {
    if (value === undefined) return;
    if (has(as)) input[as] = value;
    else dropped.push({ field, value });
  };
  const modelField = family.modelField?.[engine];
  if (values.model !== undefined) put('model', values.model, modelField ?? 'model');
  put('prompt', values.prompt);
  put('negativePrompt', values.negativePrompt || undefined);
  if (values.width !== undefined && values.height !== undefined) {
    if (has('width')) {
      input.width = values.width;
      input.height = values.height;
    } else if (has('imageSize')) {
      const ratio = values.width / values.height;
      input.imageSize = WAN_SIZES.reduce((best, s) => (Math.abs(Math.log(s[1] / ratio)) < Math.abs(Math.log(best[1] / ratio)) ? s : best))[0];
    } else dropped.push({ field: 'size', value: `${values.width}x${values.height}` });
  }
  put('steps', values.steps, has('steps') ? 'steps' : 'numInferenceSteps');
  put('cfgScale', values.cfgScale, has('cfgScale') ? 'cfgScale' : 'guidanceScale');
  for (const [k, v] of Object.entries(values.sampler ?? {})) put(k, v);
  put('seed', values.seed);
  put('quantity', values.quantity);
  put('clipSkip', values.clipSkip);
  if (values.loras && Object.keys(values.loras).length) {
    // Wan (fal) takes a list of `{ air, strength }`; the others a map of AIR -> strength.
    const wanStyle = engine === 'wan';
    put('loras', wanStyle ? Object.entries(values.loras).map(([air, strength]) => ({ air, strength })) : values.loras);
  }
  if (values.embeddings?.length) put('embeddings', values.embeddings);
  if (values.image !== undefined) put('image', values.image);
  if (values.strength !== undefined) put('strength', values.strength, has('strength') ? 'strength' : 'denoiseStrength');
  return { input, dropped };
}
