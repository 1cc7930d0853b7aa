// A1111's hires fix as a second workflow step that takes the first step's image by `$ref`:
// with a denoising strength, an img2img pass (createVariant) at the hires size, which is what
// hires fix does; without one (or on a family that has no img2img input), an imageUpscaler step.
// ADetailer's masked inpainting has no counterpart and is only reported.
import type { BaseModelFamily } from '../ecosystems/base-models';
import type { GenerationSetting } from './import-params-layout';
import { leafFor, shapeInput, type ImportedValues } from './import-params-target';

export interface SecondStep {
  readonly step: { $type: 'imageGen' | 'imageUpscaler'; name: string; input: Record<string, unknown> };
  readonly note: string;
  /** Values the second step could not take. */
  readonly dropped: ReadonlyArray<{ field: string; value: unknown }>;
}

const HIRES_KEY = /^hires[ _]/i;
export const isHiresKey = (key: string) => HIRES_KEY.test(key.trim());
export const isADetailerKey = (key: string) => /^adetailer[ _]/i.test(key.trim());

const multipleOf16 = (n: number) => Math.max(16, Math.round(n / 16) * 16);

/**
 * The second step, or undefined when the block has no hires fix. `first` is the first step's
 * name, `values` what the first step was built from.
 */
export function hiresStep(
  settings: readonly GenerationSetting[],
  family: BaseModelFamily,
  engine: string,
  first: string,
  values: ImportedValues,
): SecondStep | undefined {
  const get = (key: string) => settings.find((s) => s.key.toLowerCase() === key.toLowerCase())?.value;
  const factor = Number(get('Hires upscale'));
  const resize = /^(\d+)\s*x\s*(\d+)$/i.exec(get('Hires resize') ?? '');
  if (!settings.some((s) => isHiresKey(s.key)) || values.width === undefined || values.height === undefined) return undefined;
  let width: number;
  let height: number;
  if (resize && Number(resize[1]) > 0 && Number(resize[2]) > 0) {
    width = Number(resize[1]);
    height = Number(resize[2]);
  } else if (Number.isFinite(factor) && factor > 1) {
    width = values.width * factor;
    height = values.height * factor;
  } else return undefined;
  width = multipleOf16(width);
  height = multipleOf16(height);
  const source = { $ref: first, path: 'output.images[0].url' };
  const denoise = Number(get('Denoising strength'));
  const upscaler = get('Hires upscaler');

  const variantLeaf = leafFor(family, engine, 'createVariant');
  if (Number.isFinite(denoise) && denoise > 0 && variantLeaf) {
    // The contract caps a variant's sides: a larger hires target is scaled down to fit.
    const maxW = variantLeaf.leaf.properties.width?.maximum ?? Infinity;
    const maxH = variantLeaf.leaf.properties.height?.maximum ?? Infinity;
    const fit = Math.min(1, maxW / width, maxH / height);
    const wanted = `${width}×${height}`;
    if (fit < 1) {
      width = Math.floor((width * fit) / 16) * 16;
      height = Math.floor((height * fit) / 16) * 16;
    }
    const capped = fit < 1 ? ` (A1111 went to ${wanted}; the contract allows at most ${maxW}×${maxH} here, chain an imageUpscaler step to go further)` : '';
    const hiresSteps = Number(get('Hires steps'));
    const cfg = Number(get('Hires CFG Scale'));
    const shaped = shapeInput(family, engine, 'createVariant', {
      ...values,
      prompt: get('Hires prompt') || values.prompt,
      negativePrompt: get('Hires negative prompt') || values.negativePrompt,
      width,
      height,
      steps: Number.isInteger(hiresSteps) && hiresSteps > 0 ? hiresSteps : values.steps,
      cfgScale: Number.isFinite(cfg) && cfg > 0 ? cfg : values.cfgScale,
      quantity: undefined,
      image: source,
      strength: denoise,
    });
    return {
      step: { $type: 'imageGen', name: 'hires', input: shaped.input },
      note: `Hires fix: a second step "hires" redraws the first image at ${width}×${height} with denoising strength ${denoise}${capped}${upscaler ? `; A1111 enlarged it with ${upscaler} first, the variant step resizes it itself` : ''}.`,
      dropped: shaped.dropped,
    };
  }
  const scale = Math.max(width / values.width, height / values.height);
  const repeats = Math.min(3, Math.max(1, Math.round(Math.log2(scale))));
  return {
    step: { $type: 'imageUpscaler', name: 'hires', input: { image: source, numberOfRepeats: repeats } },
    note: `Hires fix: a second step "hires" upscales the first image ×${2 ** repeats} (imageUpscaler, ${repeats} repeat${repeats > 1 ? 's' : ''})${
      Number.isFinite(denoise) && denoise > 0 ? `: ${family.label} has no img2img input here, so the denoising strength ${denoise} is not applied` : ''
    }.`,
    dropped: [],
  };
}
