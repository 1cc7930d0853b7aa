// What a result image carries on disk: a PNG gets the A1111-style `parameters` text of the step
// that made it (so A1111, Forge, Civitai's uploader and our own import read it back); any other
// bytes are kept as they came. Only what is known is written: a seed nobody reported is left out.
import { withParameters } from '../png/text-chunks';
import { parametersTextForStep, type ExportOptions } from '../prompt/export-params';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The seed an image of step `stepIndex` was made with, when it is known: the one the service
 * reported for the image, else the step's fixed seed if the step made one image. How the service
 * derives the seeds of a batch is not documented, so a batch's images have none.
 */
export function knownImageSeed(body: unknown, stepIndex: number, reported: number | null | undefined): number | undefined {
  if (typeof reported === 'number' && Number.isFinite(reported)) return reported;
  const steps = isRecord(body) && Array.isArray(body.steps) ? body.steps : [];
  const input = isRecord(steps[stepIndex]) ? (steps[stepIndex] as Record<string, unknown>).input : undefined;
  if (!isRecord(input) || typeof input.seed !== 'number') return undefined;
  const quantity = input.quantity ?? 1;
  return quantity === 1 ? input.seed : undefined;
}

/**
 * The parameters text for an image of step `stepIndex` of `body` (the workflow as submitted, or as
 * the service echoes its steps), or undefined when the step has none (not imageGen).
 */
export function imageParametersText(body: unknown, stepIndex: number, reportedSeed?: number | null, options: ExportOptions = {}): string | undefined {
  const seed = knownImageSeed(body, stepIndex, reportedSeed);
  const steps = isRecord(body) && Array.isArray(body.steps) ? body.steps : [];
  const step = steps[stepIndex];
  // A prompt supplied by $ref is not known here: no text rather than one with an empty prompt.
  if (!isRecord(step) || !isRecord(step.input) || typeof step.input.prompt !== 'string') return undefined;
  // Without a known seed the step's own `seed` must not stand in for it (a batch's images differ).
  const stepForText = seed === undefined && 'seed' in step.input
    ? { ...step, input: Object.fromEntries(Object.entries(step.input).filter(([k]) => k !== 'seed')) }
    : step;
  const bodyForText = stepForText === step ? body : { steps: steps.map((s, i) => (i === stepIndex ? stepForText : s)) };
  return parametersTextForStep(bodyForText, stepIndex, seed, options);
}

/**
 * The bytes to keep for a result image: a PNG with its step's parameters written into a `parameters`
 * text chunk (replacing any earlier one); anything else, or a step without parameters, unchanged.
 */
export function resultImageWithParameters(
  bytes: Uint8Array,
  body: unknown,
  stepIndex: number,
  reportedSeed?: number | null,
  options: ExportOptions = {},
): Uint8Array {
  const text = imageParametersText(body, stepIndex, reportedSeed, options);
  if (text === undefined) return bytes;
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = withParameters(buffer, text);
  return out === buffer ? bytes : out;
}
