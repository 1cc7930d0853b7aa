// From a submitted (contract-valid) workflow body to what the emulator will run: resolve
// `$arguments`, wire step-to-step `$ref`s into dependencies, size every output image, and
// price the steps with the same estimate the editor shows. Problems the emulator cannot run
// come back as service-style validation errors (`steps[1].input.image` → messages).
import { randomBytes, randomInt } from 'node:crypto';
import { estimateWorkflowCost } from '../core/cost/estimate';
import {
  imageGenOutputSize,
  isPlainObject,
  isRef,
  parseRefPath,
  readPath,
  resolveValue,
  stepIndexForRef,
  stepName,
  type ImageSize,
} from '../core/cost/values';
import { UPSCALER_COST } from '../core/ecosystems/table';
import { pngBytesFromDataUrl, readPngHeader } from '../core/png';
import type { StepFailure } from './faults';
import type { EmuStep, EmuWorkflow, ImageSource, StepPlan } from './model';

export type ValidationErrors = Record<string, string[]>;

export interface PlanContext {
  owner: string;
  now: number;
  /** Most pixels of one output image; bigger upscales fail with `no_provider_available`. */
  maxImagePixels: number;
  /** Finds an emulator blob by its content URL (for images passed by URL). */
  blobByUrl: (url: string) => { workflowId: string; step: number; image: number; width: number; height: number } | undefined;
  stepFailure?: StepFailure;
}

export type PlanResult = { ok: true; workflow: EmuWorkflow } | { ok: false; errors: ValidationErrors };

const SUPPORTED_TYPES = new Set(['imageGen', 'imageUpscaler']);
const newId = (prefix: string): string => `${prefix}${randomBytes(9).toString('base64url')}`;

/** `steps[0].input.width`: the service's key style for a path. */
export function serviceKey(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Deep copy with every `{ "$ref": "$arguments", … }` replaced by its value. */
function resolveArguments(value: unknown, args: unknown, errors: ValidationErrors, path: Array<string | number>): unknown {
  if (isRef(value)) {
    if (value.$ref !== '$arguments') return value;
    const r = resolveValue(value, args);
    if (r.kind === 'value') return r.value;
    (errors[serviceKey(path)] ??= []).push(r.kind === 'unresolved' ? `${r.reason}.` : 'The reference could not be resolved.');
    return undefined;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveArguments(v, args, errors, [...path, i]));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveArguments(v, args, errors, [...path, k])]));
  }
  return value;
}

/** Every step-output `$ref` inside a step input, with where it sits. */
function stepRefs(value: unknown, path: Array<string | number>): Array<{ source: string; refPath: string; at: Array<string | number> }> {
  if (isRef(value)) return value.$ref === '$arguments' ? [] : [{ source: value.$ref, refPath: value.path ?? '', at: path }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stepRefs(v, [...path, i]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => stepRefs(v, [...path, k]));
  return [];
}

function aspectSize(ratio: unknown): ImageSize | undefined {
  if (typeof ratio !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(ratio);
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (!(a > 0 && b > 0)) return undefined;
  // Keep about a megapixel, in multiples of 16.
  const width = Math.round(Math.sqrt((1024 * 1024 * a) / b) / 16) * 16;
  return { width, height: Math.round((width * b) / a / 16) * 16 };
}

export function planWorkflow(body: Record<string, unknown>, ctx: PlanContext): PlanResult {
  const errors: ValidationErrors = {};
  const add = (path: Array<string | number>, message: string): void => void (errors[serviceKey(path)] ??= []).push(message);
  const rawSteps = Array.isArray(body.steps) ? body.steps : [];
  const args = body.arguments;
  const steps = rawSteps.map((s, i) => resolveArguments(s, args, errors, ['steps', i])) as Array<Record<string, unknown>>;

  // Names must be unique for `$ref` to mean anything.
  const seen = new Map<string, number>();
  steps.forEach((s, i) => {
    const name = stepName(s, i);
    if (seen.has(name)) add(['steps', i, 'name'], `Another step (steps[${seen.get(name)}]) is already named "${name}".`);
    seen.set(name, i);
  });

  const deps: number[][] = steps.map(() => []);
  steps.forEach((step, i) => {
    if (!SUPPORTED_TYPES.has(String(step.$type))) {
      add(['steps', i, '$type'], `The local emulator runs imageGen and imageUpscaler steps only, not ${String(step.$type)}.`);
      return;
    }
    for (const ref of stepRefs(step.input, ['steps', i, 'input'])) {
      const target = stepIndexForRef(steps, ref.source);
      if (target === undefined) add(ref.at, `"${ref.source}" is not the name of a step in this workflow.`);
      else if (target === i) add(ref.at, 'A step cannot refer to its own output.');
      else if (!deps[i].includes(target)) deps[i].push(target);
    }
  });
  const order = topologicalOrder(deps);
  if (!order) add(['steps'], 'The steps refer to each other in a cycle.');
  if (Object.keys(errors).length > 0 || !order) return { ok: false, errors };

  const sizes: ImageSize[] = new Array(steps.length);
  const plans: StepPlan[] = new Array(steps.length);
  const workflowId = newId('wf_');
  for (const i of order) {
    const step = steps[i];
    const input = step.input as Record<string, unknown>;
    if (step.$type === 'imageGen') {
      const known = imageGenOutputSize(input, undefined);
      const size = known.ok ? known.size : aspectSize(input.aspectRatio) ?? { width: 1024, height: 1024 };
      const quantity = typeof input.quantity === 'number' && input.quantity >= 1 ? Math.floor(input.quantity) : 1;
      const seed = typeof input.seed === 'number' && Number.isFinite(input.seed) ? Math.trunc(input.seed) : randomInt(0, 2 ** 32);
      sizes[i] = size;
      plans[i] = { kind: 'imageGen', ...size, seeds: Array.from({ length: quantity }, (_, k) => seed + k) };
    } else {
      const source = upscalerSource(input.image, steps, sizes, ctx, (message) => add(['steps', i, 'input', 'image'], message));
      if (!source) continue;
      const repeats = typeof input.numberOfRepeats === 'number' ? input.numberOfRepeats : UPSCALER_COST.defaultRepeats;
      const factor = UPSCALER_COST.scalePerRepeat ** repeats;
      sizes[i] = { width: source.size.width * factor, height: source.size.height * factor };
      plans[i] = { kind: 'imageUpscaler', factor, ...sizes[i], source: source.source };
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const estimate = estimateWorkflowCost({ ...body, steps });
  const failure = ctx.stepFailure;
  const failIndex = failure ? Math.min(Math.max(0, failure.step ?? 0), steps.length - 1) : -1;
  const emuSteps: EmuStep[] = steps.map((step, i) => {
    const plan = plans[i];
    const count = plan.kind === 'imageGen' ? plan.seeds.length : 1;
    const pixels = plan.width * plan.height;
    const tooLarge = pixels > ctx.maxImagePixels;
    const buzz = estimate.steps[i]?.buzz ?? count; // no documented formula: 1 Buzz per image
    return {
      index: i,
      name: stepName(step, i),
      type: step.$type as EmuStep['type'],
      template: step,
      deps: deps[i],
      jobs: Array.from({ length: count }, () => ({ id: newId('job_'), cost: Math.round((pixels / (1024 * 1024)) * 100) / 100 })),
      plan,
      blobIds: Array.from({ length: count }, () => newId('blob_')),
      failure:
        i === failIndex && failure
          ? failure
          : tooLarge
            ? { reason: 'no_provider_available', blockedReason: `The output (${plan.width}x${plan.height}) is larger than the emulator's limit of ${ctx.maxImagePixels} pixels.` }
            : undefined,
      buzz,
    };
  });

  const base = Math.ceil(emuSteps.reduce((n, s) => n + s.buzz, 0) - 1e-9);
  const tipRates = isPlainObject(body.tips) ? body.tips : {};
  const tip = (rate: unknown): number => (typeof rate === 'number' && rate > 0 ? Math.ceil(base * rate) : 0);
  const tips = { civitai: tip(tipRates.civitai), creators: tip(tipRates.creators) };
  const total = base + tips.civitai + tips.creators;
  const accountType = chooseAccount(body);
  return {
    ok: true,
    workflow: {
      id: workflowId,
      owner: ctx.owner,
      createdAt: ctx.now,
      template: body,
      steps: emuSteps,
      order: order as number[],
      tags: Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string') : [],
      externalId: typeof body.externalId === 'string' ? body.externalId : undefined,
      ephemeral: body.ephemeral === true,
      deleted: false,
      cost: { base, total, tips, factors: Object.fromEntries(emuSteps.map((s) => [s.name, s.buzz])) },
      transactions: { list: [{ type: 'debit', amount: total, accountType, id: newId('tx_') }] },
    },
  };
}

/** The payments guide: mature content pays yellow; otherwise blue, then green, then yellow. */
function chooseAccount(body: Record<string, unknown>): string {
  if (body.allowMatureContent === true) return 'yellow';
  const allowed = Array.isArray(body.currencies) && body.currencies.length > 0 ? body.currencies : ['blue', 'green', 'yellow'];
  return ['blue', 'green', 'yellow'].find((c) => allowed.includes(c)) ?? String(allowed[0]);
}

function upscalerSource(
  image: unknown,
  steps: Array<Record<string, unknown>>,
  sizes: ImageSize[],
  ctx: PlanContext,
  fail: (message: string) => void,
): { source: ImageSource; size: ImageSize } | undefined {
  if (isRef(image)) {
    const target = stepIndexForRef(steps, image.$ref) as number;
    const parts = parseRefPath(image.path);
    const type = steps[target].$type;
    if (type === 'imageGen' && parts[0] === 'output' && parts[1] === 'images' && typeof parts[2] === 'number' && parts[3] === 'url') {
      const plan = readPath(steps[target], ['input', 'quantity']);
      const count = typeof plan === 'number' ? plan : 1;
      if (parts[2] >= count) {
        fail(`Step "${image.$ref}" makes ${count} image(s); output.images[${parts[2]}] does not exist.`);
        return undefined;
      }
      return { source: { kind: 'step', step: target, image: parts[2] }, size: sizes[target] };
    }
    if (type === 'imageUpscaler' && parts.join('.') === 'output.blob.url') {
      return { source: { kind: 'step', step: target, image: 0 }, size: sizes[target] };
    }
    fail(`The emulator reads output.images[n].url of imageGen steps and output.blob.url of imageUpscaler steps; "${image.path ?? ''}" is neither.`);
    return undefined;
  }
  if (typeof image !== 'string') {
    fail('The image must be a URL, a data URL or Base64 PNG data.');
    return undefined;
  }
  const own = ctx.blobByUrl(image);
  if (own) return { source: { kind: 'blob', workflowId: own.workflowId, step: own.step, image: own.image }, size: { width: own.width, height: own.height } };
  const bytes = pngBytesFromDataUrl(image);
  if (bytes) {
    try {
      const header = readPngHeader(bytes);
      return { source: { kind: 'png', bytes }, size: { width: header.width, height: header.height } };
    } catch {
      // fall through to the error below
    }
  }
  fail('The image could not be loaded: the emulator is offline and reads PNG data URLs and its own blob URLs only.');
  return undefined;
}

/** Kahn's algorithm; undefined on a cycle. */
function topologicalOrder(deps: number[][]): number[] | undefined {
  const remaining = deps.map((d) => d.length);
  const dependents: number[][] = deps.map(() => []);
  deps.forEach((ds, i) => ds.forEach((d) => dependents[d].push(i)));
  const ready = remaining.flatMap((n, i) => (n === 0 ? [i] : []));
  const order: number[] = [];
  while (ready.length) {
    const i = ready.shift() as number;
    order.push(i);
    for (const j of dependents[i]) if (--remaining[j] === 0) ready.push(j);
  }
  return order.length === deps.length ? order : undefined;
}
