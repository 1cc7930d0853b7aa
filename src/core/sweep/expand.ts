// Expands a sweep into request bodies: the swept step becomes one step per cell (X fastest, then
// Y, then Z), each named after its cell (`gen-x1-y0`) and carrying its axis values and expanded
// prompt in the step's `metadata.sweep`, so results, history and saved PNGs know which cell they
// are. The same spec and workflow always give the same bodies (dynamic prompts use a seeded pick).
import { mulberry32 } from '../random';
import { dynamicPrompt, hasDynamicSyntax, type WildcardSource } from './dynamic-prompts';
import type { AxisSpec, SweepSpec } from './spec';
import { formatAxisValue, parseAxisValues, SweepSpecError, type AxisValue } from './values';

export const DEFAULT_MAX_STEPS_PER_WORKFLOW = 100;
/** A sweep past this many cells is refused: it is a typo more often than a plan, and a bill. */
export const MAX_SWEEP_CELLS = 2000;
const AXIS_NAMES = ['x', 'y', 'z'] as const;

export interface SweepAxis {
  /** Which of X, Y, Z. */
  readonly axis: (typeof AXIS_NAMES)[number];
  /** What the axis changes, as shown on the grid ("cfgScale", "lora 0.8", "prompt: red"). */
  readonly label: string;
  readonly values: readonly string[];
}

export interface SweepCell {
  /** Position on the grid: x column, y row, z page (0-based; absent axes are 0). */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** The step's name in the request body. */
  readonly stepName: string;
  /** Which of the bodies carries this cell. */
  readonly body: number;
  /** Axis label → value shown for this cell. */
  readonly values: Readonly<Record<string, string>>;
  /** The positive prompt this cell sends, after replacements and dynamic-prompt expansion. */
  readonly prompt?: string;
}

export interface ExpandedSweep {
  readonly bodies: Record<string, unknown>[];
  readonly axes: readonly SweepAxis[];
  readonly cells: readonly SweepCell[];
  /** Things the user should know before paying (shared seed missing, wildcards not found…). */
  readonly notes: readonly string[];
}

interface ResolvedAxis extends SweepAxis {
  apply(input: Record<string, unknown>, index: number): void;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ExpandOptions {
  wildcards?: WildcardSource;
}

export function expandSweep(workflow: unknown, spec: SweepSpec, options: ExpandOptions = {}): ExpandedSweep {
  if (!isObject(workflow) || !Array.isArray(workflow.steps)) throw new SweepSpecError('the workflow has no steps array');
  const steps = workflow.steps as unknown[];
  const target = findTargetStep(steps, spec.step);
  const step = steps[target] as Json;
  if (!isObject(step.input)) throw new SweepSpecError(`step ${target} has no input object to sweep`);
  const baseName = typeof step.name === 'string' && step.name ? step.name : `step${target}`;
  refuseReferencesTo(steps, target, baseName);

  const notes: string[] = [];
  const wildcards = options.wildcards ?? (() => undefined);
  const axes = spec.axes.map((axis, i) => resolveAxis(axis, AXIS_NAMES[i], step.input as Json, wildcards, spec.seed ?? 0));
  const counts = axes.map((a) => a.values.length);
  const total = counts.reduce((a, b) => a * b, 1);
  if (total > MAX_SWEEP_CELLS) throw new SweepSpecError(`the sweep has ${total} cells (${counts.join(' × ')}); at most ${MAX_SWEEP_CELLS}`);

  const input = step.input as Json;
  const sweepsSeed = spec.axes.some((a) => 'field' in a && a.field === 'seed');
  if (!sweepsSeed && input.seed === undefined) {
    notes.push('The step sets no seed, so every cell gets its own random seed: set "seed" to compare like with like.');
  }
  const promptAxis = spec.axes.some((a) => 'prompt' in a);
  const prompt = typeof input.prompt === 'string' ? input.prompt : undefined;
  const dynamic = prompt !== undefined && !promptAxis && hasDynamicSyntax(prompt) ? dynamicPrompt(prompt, wildcards) : undefined;
  if (dynamic && dynamic.variants > 1) {
    notes.push(`The prompt has ${dynamic.variants} dynamic-prompt variants; each cell gets one picked with seed ${spec.seed ?? 0}.`);
  }
  for (const name of dynamic?.missingWildcards ?? []) notes.push(`Wildcard __${name}__ was not found; it stays as written.`);

  const perBody = spec.maxStepsPerWorkflow ?? DEFAULT_MAX_STEPS_PER_WORKFLOW;
  const cells: SweepCell[] = [];
  const cellSteps: Json[] = [];
  const pick = mulberry32(spec.seed ?? 0);
  for (let index = 0; index < total; index++) {
    const position = [0, 0, 0];
    let rest = index;
    axes.forEach((_, i) => {
      position[i] = rest % counts[i];
      rest = Math.floor(rest / counts[i]);
    });
    const cellInput = structuredClone(input);
    const values: Record<string, string> = {};
    axes.forEach((axis, i) => {
      axis.apply(cellInput, position[i]);
      values[axis.label] = axis.values[position[i]];
    });
    if (dynamic && typeof cellInput.prompt === 'string') cellInput.prompt = dynamicPrompt(cellInput.prompt, wildcards).pick(pick);
    const stepName = `${baseName}-${axes.map((a, i) => `${a.axis}${position[i]}`).join('-')}`;
    const cellPrompt = typeof cellInput.prompt === 'string' ? cellInput.prompt : undefined;
    const metadata = isObject(step.metadata) ? { ...step.metadata } : {};
    metadata.sweep = { x: position[0], y: position[1], z: position[2], values, ...(cellPrompt !== undefined ? { prompt: cellPrompt } : {}) };
    cellSteps.push({ ...step, name: stepName, input: cellInput, metadata });
    cells.push({ x: position[0], y: position[1], z: position[2], stepName, body: Math.floor(index / perBody), values, prompt: cellPrompt });
  }

  const publicAxes: SweepAxis[] = axes.map(({ axis, label, values }) => ({ axis, label, values }));
  const others = steps.filter((_, i) => i !== target);
  const bodies: Json[] = [];
  for (let start = 0; start < cellSteps.length; start += perBody) {
    const part = bodies.length;
    const metadata = isObject(workflow.metadata) ? { ...workflow.metadata } : {};
    metadata.sweep = { axes: publicAxes, cells: total, part: part + 1, parts: Math.ceil(total / perBody) };
    bodies.push({
      ...workflow,
      metadata,
      // Steps that do not depend on the swept one run once, with the first part.
      steps: [...(part === 0 ? others : []), ...cellSteps.slice(start, start + perBody)],
    });
  }
  if (bodies.length > 1) notes.push(`${total} cells are sent as ${bodies.length} workflows of at most ${perBody} steps.`);
  return { bodies, axes: publicAxes, cells, notes };
}

function findTargetStep(steps: unknown[], wanted: string | number | undefined): number {
  if (typeof wanted === 'number') {
    if (!Number.isInteger(wanted) || wanted < 0 || wanted >= steps.length || !isObject(steps[wanted])) {
      throw new SweepSpecError(`step ${wanted} does not exist (the workflow has ${steps.length})`);
    }
    return wanted;
  }
  if (typeof wanted === 'string') {
    const index = steps.findIndex((s) => isObject(s) && s.name === wanted);
    if (index < 0) throw new SweepSpecError(`no step is named "${wanted}"`);
    return index;
  }
  const index = steps.findIndex((s) => isObject(s) && (s.$type === 'imageGen' || s.$type === 'textToImage'));
  if (index < 0) throw new SweepSpecError('the workflow has no imageGen or textToImage step; name the step to sweep with "step"');
  return index;
}

/** Cells replace the swept step, so a step reading its output would have nothing to read. */
function refuseReferencesTo(steps: unknown[], target: number, name: string): void {
  const names = new Set([name, String(target)]);
  const visit = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(visit);
    if (!isObject(value)) return false;
    if (typeof value.$ref === 'string' && names.has(value.$ref.split('.')[0])) return true;
    return Object.values(value).some(visit);
  };
  steps.forEach((s, i) => {
    if (i !== target && visit(s)) {
      throw new SweepSpecError(`step ${i} reads the output of the swept step "${name}"; sweep a workflow where nothing refers to it`);
    }
  });
}

function resolveAxis(spec: AxisSpec, axis: SweepAxis['axis'], input: Json, wildcards: WildcardSource, seed: number): ResolvedAxis {
  if ('prompt' in spec) {
    const prompt = typeof input.prompt === 'string' ? input.prompt : undefined;
    if (prompt === undefined) throw new SweepSpecError('a prompt-variants axis needs a step with a prompt');
    const dynamic = dynamicPrompt(prompt, wildcards);
    let variants: string[];
    if (spec.count !== undefined) {
      const random = mulberry32(seed);
      variants = Array.from({ length: Math.max(1, Math.floor(spec.count)) }, () => dynamic.pick(random));
    } else variants = dynamic.all();
    return {
      axis, label: spec.label ?? 'prompt', values: variants,
      apply: (target, i) => { target.prompt = variants[i]; },
    };
  }
  const values = parseAxisValues(spec.values);
  if ('lora' in spec) {
    const strengths = values.map((v) => {
      if (typeof v !== 'number') throw new SweepSpecError(`LoRA strength ${formatAxisValue(v)} is not a number`);
      return v;
    });
    return {
      axis, label: spec.label ?? `lora ${shortAir(spec.lora)}`, values: strengths.map(String),
      apply: (target, i) => {
        const loras = isObject(target.loras) ? { ...target.loras } : {};
        loras[spec.lora] = strengths[i];
        target.loras = loras;
      },
    };
  }
  if ('replace' in spec) {
    const search = spec.replace;
    if (!search) throw new SweepSpecError('a prompt replacement needs the text to search for');
    const prompts = ['prompt', 'negativePrompt'].filter((f) => typeof input[f] === 'string' && (input[f] as string).includes(search));
    if (prompts.length === 0) throw new SweepSpecError(`"${search}" is not in the step's prompt or negative prompt`);
    const replacements = values.map(formatAxisValue);
    return {
      axis, label: spec.label ?? `prompt: ${search}`, values: replacements,
      apply: (target, i) => {
        for (const field of prompts) target[field] = (target[field] as string).split(search).join(replacements[i]);
      },
    };
  }
  const field = spec.field;
  if (field === 'size') {
    const sizes = values.map((v) => {
      if (typeof v !== 'object') throw new SweepSpecError(`size ${v} is not WIDTHxHEIGHT`);
      return v;
    });
    return {
      axis, label: spec.label ?? 'size', values: sizes.map(formatAxisValue),
      apply: (target, i) => { target.width = sizes[i].width; target.height = sizes[i].height; },
    };
  }
  if (!/^[A-Za-z_$][\w$]*$/.test(field)) throw new SweepSpecError(`"${field}" is not an input field name`);
  return {
    axis, label: spec.label ?? field, values: values.map(formatAxisValue),
    apply: (target, i) => { target[field] = plain(values[i]); },
  };
}

function plain(value: AxisValue): unknown {
  return typeof value === 'object' ? { ...value } : value;
}

/** `urn:air:sdxl:lora:civitai:123@456` → `123@456`: enough to tell LoRAs apart on a grid label. */
function shortAir(air: string): string {
  const last = air.split(':').pop() ?? air;
  return last.length <= 24 ? last : `${last.slice(0, 21)}…`;
}
