// The inverse of import-params: the A1111-style "generation parameters" text for a step's input
// and the seed an image was made with, so saved images carry what made them (and other tools —
// A1111, Forge, Civitai's uploader — read it). Absent fields are written with the contract's
// defaults, since those are what the service used.
import { A1111_SAMPLERS, A1111_SCHEDULE_TYPES, SDCPP_TO_COMFY_SAMPLER } from '../ecosystems/table';
import { IMAGE_GEN_LEAVES, type ImageGenLeaf } from '../schema/image-gen-leaves.generated';
import { ECOSYSTEM_KEY, ENGINE_KEY, EXPORT_VERSION } from './import-params';
import { formatNumber } from './edits';

export interface ExportOptions {
  /** The extension version, written after its name in `Version:`. */
  readonly version?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function leafOf(input: Record<string, unknown>): ImageGenLeaf | undefined {
  const key = `${String(input.engine)}/${String(input.ecosystem)}/${String(input.operation ?? 'createImage')}`;
  return (IMAGE_GEN_LEAVES as Readonly<Record<string, ImageGenLeaf>>)[key];
}

/** A value as A1111 writes it: JSON-quoted when it holds `,` `:` or `"`. */
function quoteValue(value: string): string {
  return /[,:"]/.test(value) ? JSON.stringify(value) : value;
}

function a1111SamplerName(input: Record<string, unknown>): string | undefined {
  const comfy = typeof input.sampler === 'string' ? input.sampler : typeof input.sampleMethod === 'string' ? SDCPP_TO_COMFY_SAMPLER[input.sampleMethod] : undefined;
  if (comfy) {
    const name = Object.entries(A1111_SAMPLERS).find(([, v]) => v === comfy)?.[0];
    if (name) return name;
  }
  return typeof input.sampler === 'string' ? input.sampler : typeof input.sampleMethod === 'string' ? input.sampleMethod : undefined;
}

function a1111ScheduleType(input: Record<string, unknown>): string | undefined {
  if (typeof input.scheduler === 'string') {
    const s = input.scheduler;
    return Object.entries(A1111_SCHEDULE_TYPES).find(([, v]) => v.comfy === s)?.[0] ?? s;
  }
  if (typeof input.schedule === 'string') {
    const s = input.schedule;
    return Object.entries(A1111_SCHEDULE_TYPES).find(([, v]) => v.sdcpp === s)?.[0] ?? s;
  }
  return undefined;
}

/**
 * The parameters text for one image. `seed` is the image's actual seed (the step's `seed` is
 * often absent: random); pass undefined when unknown and the line leaves it out.
 */
export function formatGenerationParameters(input: unknown, seed: number | undefined, options: ExportOptions = {}): string {
  if (!isRecord(input)) return '';
  const leaf = leafOf(input);
  const withDefault = (field: string): unknown => input[field] ?? leaf?.properties[field]?.default ?? undefined;
  const lines: string[] = [];
  lines.push(typeof input.prompt === 'string' ? input.prompt : '');
  if (typeof input.negativePrompt === 'string' && input.negativePrompt.trim() !== '') lines.push(`Negative prompt: ${input.negativePrompt}`);

  const settings: Array<[string, string]> = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    settings.push([key, typeof value === 'number' ? formatNumber(value) : String(value)]);
  };
  add('Steps', withDefault('steps'));
  add('Sampler', a1111SamplerName(input));
  add('Schedule type', a1111ScheduleType(input));
  add('CFG scale', withDefault('cfgScale'));
  add('Seed', seed ?? (typeof input.seed === 'number' ? input.seed : undefined));
  const width = withDefault('width');
  const height = withDefault('height');
  if (typeof width === 'number' && typeof height === 'number') add('Size', `${width}x${height}`);
  const model = typeof input.model === 'string' ? input.model : typeof input.diffuserModel === 'string' ? input.diffuserModel : undefined;
  add('Model', model);
  if (input.clipSkip !== undefined) add('Clip skip', input.clipSkip);
  const strength = input.strength ?? input.denoiseStrength;
  if (input.operation === 'createVariant') add('Denoising strength', strength ?? leaf?.properties.strength?.default ?? leaf?.properties.denoiseStrength?.default);
  const quantity = input.quantity;
  if (typeof quantity === 'number' && quantity > 1) add('Batch size', quantity);
  add(ECOSYSTEM_KEY, input.ecosystem);
  add(ENGINE_KEY, input.engine);

  // Civitai's own key: every resource by AIR, which the import reads back.
  const resources: Array<Record<string, unknown>> = [];
  if (typeof input.model === 'string') resources.push({ type: 'checkpoint', air: input.model });
  if (isRecord(input.loras)) {
    for (const [air, w] of Object.entries(input.loras)) resources.push({ type: 'lora', air, weight: typeof w === 'number' ? w : 1 });
  }
  if (Array.isArray(input.embeddings)) for (const air of input.embeddings) if (typeof air === 'string') resources.push({ type: 'embed', air });
  add('Version', options.version ? `${EXPORT_VERSION} ${options.version}` : EXPORT_VERSION);

  const line = settings.map(([k, v]) => `${k}: ${quoteValue(v)}`);
  if (resources.length) line.push(`Civitai resources: ${JSON.stringify(resources)}`);
  lines.push(line.join(', '));
  return lines.join('\n');
}

/**
 * The parameters text for an image of step `stepIndex` of a workflow body (what the results
 * gallery saves next to each PNG via `withParameters`). Undefined for steps that are not imageGen
 * with an object input, since only those have parameters in this format.
 */
export function parametersTextForStep(workflow: unknown, stepIndex: number, seed: number | null | undefined, options: ExportOptions = {}): string | undefined {
  const steps = isRecord(workflow) && Array.isArray(workflow.steps) ? workflow.steps : [];
  const step = steps[stepIndex];
  if (!isRecord(step) || step.$type !== 'imageGen' || !isRecord(step.input)) return undefined;
  return formatGenerationParameters(step.input, seed ?? undefined, options);
}
