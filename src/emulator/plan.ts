// From a submitted (contract-valid) workflow body to what the emulator will run: resolve
// `$arguments`, wire step-to-step `$ref`s into dependencies, build every step's output with its
// type's builder (steps/), and price the steps with the same estimate the editor shows. Problems
// the emulator cannot run come back as service-style validation errors
// (`steps[1].input.image` → messages).
import { randomBytes } from 'node:crypto';
import { estimateWorkflowCost } from '../core/cost/estimate';
import { isPlainObject, isRef, parseRefPath, resolveValue, stepIndexForRef, stepName } from '../core/cost/values';
import { pngBytesFromDataUrl, readPngHeader } from '../core/png';
import type { StepFailure } from './faults';
import type { EmuBlob, EmuJob, EmuStep, EmuWorkflow } from './model';
import { BlobSlot, STEP_BUILDERS, StepBlobRef, type BuildContext, type SourceInfo } from './steps';

export type ValidationErrors = Record<string, string[]>;

/** One of the emulator's blobs, found by its content URL. */
export interface OwnBlob {
  workflowId: string;
  step: number;
  blob: number;
  info: EmuBlob;
}

export interface PlanContext {
  owner: string;
  now: number;
  /** Most pixels of one output image; bigger outputs fail with `no_provider_available`. */
  maxImagePixels: number;
  /** Finds an emulator blob by its content URL (for files passed by URL). */
  blobByUrl: (url: string) => OwnBlob | undefined;
  stepFailure?: StepFailure;
}

export type PlanResult = { ok: true; workflow: EmuWorkflow } | { ok: false; errors: ValidationErrors };

const newId = (prefix: string): string => `${prefix}${randomBytes(9).toString('base64url')}`;

/** The step types the emulator runs: all of the contract's. */
export const EMULATED_STEP_TYPES: readonly string[] = Object.keys(STEP_BUILDERS).sort();

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

interface Built {
  input: Record<string, unknown>;
  output: unknown;
  blobs: EmuBlob[];
  jobs: number;
}

/** A stable 32-bit number for any JSON-like value (FNV-1a over its JSON). */
function stableSeed(value: unknown): number {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof StepBlobRef ? `blob:${v.info.id}` : v)) ?? '';
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** What a `$ref` path reads from a built step: a value, or one of its blobs. */
function readBuilt(built: Built, targetIndex: number, stepLabel: string, path: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const parts = parseRefPath(path);
  const root = parts[0] === 'input' ? built.input : parts[0] === 'output' ? built.output : undefined;
  if (root === undefined) return { ok: false, message: `A reference path starts with "output" or "input"; "${path}" does not.` };
  let current: unknown = root;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    if (current instanceof BlobSlot) {
      const blob = built.blobs[current.index];
      const rest = parts.slice(i);
      if (rest.length === 1 && rest[0] === 'url') return { ok: true, value: new StepBlobRef(targetIndex, current.index, blob) };
      const field = blobField(blob, String(rest[0]));
      if (rest.length === 1 && field !== undefined) return { ok: true, value: field };
      return { ok: false, message: `Step "${stepLabel}" has no ${path}.` };
    }
    const next = Array.isArray(current) && typeof part === 'number' ? current[part] : isPlainObject(current) ? current[part] : undefined;
    if (next === undefined) {
      const count = Array.isArray(current) ? current.length : undefined;
      return { ok: false, message: count !== undefined ? `Step "${stepLabel}" makes ${count} item(s) there; ${path} does not exist.` : `Step "${stepLabel}" has no ${path}.` };
    }
    current = next;
  }
  if (current instanceof BlobSlot) {
    const blob = built.blobs[current.index];
    return { ok: true, value: new StepBlobRef(targetIndex, current.index, blob) };
  }
  return { ok: true, value: withRefs(current, built, targetIndex) };
}

function blobField(blob: EmuBlob, field: string): unknown {
  if (field === 'id') return blob.id;
  if (field === 'type') return blob.type;
  if (field === 'width' || field === 'height' || field === 'duration' || field === 'format') return blob[field];
  return undefined;
}

/** A built value with its blob slots turned into references (a whole output object passed on). */
function withRefs(value: unknown, built: Built, step: number): unknown {
  if (value instanceof BlobSlot) return new StepBlobRef(step, value.index, built.blobs[value.index]);
  if (Array.isArray(value)) return value.map((v) => withRefs(v, built, step));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRefs(v, built, step)]));
  return value;
}

const isUrlLike = (v: string): boolean => /^(https?:\/\/|data:)/i.test(v);
const shortLabel = (v: string): string => (v.startsWith('data:') ? `inline ${v.slice(5, v.indexOf(';') > 0 ? v.indexOf(';') : 20)} data` : v.length > 60 ? `${v.slice(0, 57)}…` : v);

export function planWorkflow(body: Record<string, unknown>, ctx: PlanContext): PlanResult {
  const errors: ValidationErrors = {};
  const add = (path: ReadonlyArray<string | number>, message: string): void => void (errors[serviceKey(path)] ??= []).push(message);
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
    if (!STEP_BUILDERS[String(step.$type)]) {
      add(['steps', i, '$type'], `The local emulator does not know the step type ${String(step.$type)}.`);
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

  const built: Built[] = new Array(steps.length);
  for (const i of order) {
    const step = steps[i];
    const resolve = (value: unknown, path: Array<string | number>): unknown => {
      if (isRef(value)) {
        const target = stepIndexForRef(steps, value.$ref) as number;
        const read = readBuilt(built[target], target, value.$ref, value.path ?? 'output');
        if (read.ok) return read.value;
        add(path, read.message);
        return undefined;
      }
      if (Array.isArray(value)) return value.map((v, k) => resolve(v, [...path, k]));
      if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, [...path, k])]));
      return value;
    };
    const resolved = resolve(step.input, ['steps', i, 'input']);
    // imageUpload's input is the image itself (a string), not an object: builders see it as `value`.
    const input: Record<string, unknown> = isPlainObject(resolved) && !(resolved instanceof StepBlobRef) ? resolved : { value: resolved };
    const blobs: EmuBlob[] = [];
    let jobs = 1;
    const source = (value: unknown): SourceInfo | undefined => sourceInfo(value, ctx);
    const build: BuildContext = {
      type: String(step.$type),
      name: stepName(step, i),
      input,
      seed: typeof input.seed === 'number' && Number.isFinite(input.seed) ? Math.trunc(input.seed) : stableSeed(resolved),
      now: ctx.now,
      blob: (spec, as = 'blob') => {
        blobs.push({ id: newId('blob_'), job: 0, ...spec });
        return new BlobSlot(blobs.length - 1, as);
      },
      source,
      firstSource: () => firstSource(resolved, ctx),
      fail: (path, message) => add(['steps', i, 'input', ...path], message),
      setJobs: (count) => void (jobs = Math.max(1, Math.floor(count))),
    };
    const output = STEP_BUILDERS[build.type](build);
    built[i] = { input, output, blobs, jobs };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const estimate = estimateWorkflowCost({ ...body, steps });
  const failure = ctx.stepFailure;
  const failIndex = failure ? Math.min(Math.max(0, failure.step ?? 0), steps.length - 1) : -1;
  const emuSteps: EmuStep[] = steps.map((step, i) => {
    const b = built[i];
    const images = b.blobs.filter((x) => x.type === 'image' && x.width && x.height);
    const biggest = images.reduce((m, x) => Math.max(m, (x.width ?? 0) * (x.height ?? 0)), 0);
    const tooLarge = images.find((x) => (x.width ?? 0) * (x.height ?? 0) > ctx.maxImagePixels);
    const jobs: EmuJob[] = Array.from({ length: b.jobs }, () => ({ id: newId('job_'), cost: images.length ? Math.round((biggest / (1024 * 1024)) * 100) / 100 : 1 }));
    // No documented formula: 1 Buzz per job (an image of a batch is a job).
    const buzz = estimate.steps[i]?.buzz ?? b.jobs;
    return {
      index: i,
      name: stepName(step, i),
      type: String(step.$type),
      template: step,
      deps: deps[i],
      jobs,
      blobs: b.blobs,
      output: b.output,
      failure:
        i === failIndex && failure
          ? failure
          : tooLarge
            ? { reason: 'no_provider_available', blockedReason: `The output (${tooLarge.width}x${tooLarge.height}) is larger than the emulator's limit of ${ctx.maxImagePixels} pixels.` }
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
      id: newId('wf_'),
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

function recipeSeed(blob: EmuBlob): number {
  const r = blob.recipe;
  return 'seed' in r ? r.seed : stableSeed(blob.id);
}

/** What the emulator knows about one input value read as a source. */
function sourceInfo(value: unknown, ctx: PlanContext): SourceInfo | undefined {
  if (value instanceof StepBlobRef) {
    const image = value.info.type === 'image' && value.info.mime === 'image/png';
    return {
      blob: value.info,
      pixels: image ? { kind: 'step', step: value.step, blob: value.blob } : undefined,
      width: value.info.width,
      height: value.info.height,
      seed: recipeSeed(value.info),
      label: `step ${value.step + 1}`,
    };
  }
  if (typeof value !== 'string' || value === '') return undefined;
  const own = ctx.blobByUrl(value);
  if (own) {
    const image = own.info.type === 'image' && own.info.mime === 'image/png';
    return {
      blob: own.info,
      pixels: image ? { kind: 'blob', workflowId: own.workflowId, step: own.step, blob: own.blob } : undefined,
      width: own.info.width,
      height: own.info.height,
      seed: recipeSeed(own.info),
      label: `workflow ${own.workflowId}`,
    };
  }
  const bytes = pngBytesFromDataUrl(value);
  if (bytes) {
    try {
      const header = readPngHeader(bytes);
      return { pixels: { kind: 'png', bytes }, width: header.width, height: header.height, seed: stableSeed(value), label: 'an inline PNG' };
    } catch {
      // not a PNG after all: a stand-in below
    }
  }
  return { seed: stableSeed(value), label: shortLabel(value) };
}

/** The first source in a value, depth-first: a step reference, or a URL / data URL. */
function firstSource(value: unknown, ctx: PlanContext, depth = 0): SourceInfo | undefined {
  if (depth > 32) return undefined;
  if (value instanceof StepBlobRef || (typeof value === 'string' && isUrlLike(value))) return sourceInfo(value, ctx);
  const children = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  for (const child of children) {
    const found = firstSource(child, ctx, depth + 1);
    if (found) return found;
  }
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
