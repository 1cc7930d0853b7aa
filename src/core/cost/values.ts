// Reading step inputs the way the service will: `{ "$ref": …, "path": … }` reference objects,
// workflow `arguments`, implicit step names, and contract defaults from the generated imageGen
// leaves table. Shared by the cost estimate and the emulator, so both read a workflow alike.
import { IMAGE_GEN_LEAVES, type ImageGenLeaf } from '../schema/image-gen-leaves.generated';

export type PathPart = string | number;

export interface RefObject {
  $ref: string;
  path?: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRef(value: unknown): value is RefObject {
  return isPlainObject(value) && typeof value.$ref === 'string';
}

/** `output.images[0].url` → ['output', 'images', 0, 'url']. */
export function parseRefPath(path: string | undefined): PathPart[] {
  if (!path) return [];
  const out: PathPart[] = [];
  const re = /\[(\d+)\]|([^.[\]]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]);
  return out;
}

export function readPath(value: unknown, path: readonly PathPart[]): unknown {
  let current = value;
  for (const part of path) {
    if (Array.isArray(current) && typeof part === 'number') current = current[part];
    else if (isPlainObject(current) && typeof part === 'string' && Object.prototype.hasOwnProperty.call(current, part)) current = current[part];
    else return undefined;
  }
  return current;
}

/** The name `$ref` uses for step `index`: its explicit name, else its position as a string. */
export function stepName(step: unknown, index: number): string {
  return isPlainObject(step) && typeof step.name === 'string' && step.name !== '' ? step.name : String(index);
}

/** Index of the step a `$ref` source names: an explicit name, or the positional `$0`, `$1`, … */
export function stepIndexForRef(steps: readonly unknown[], source: string): number | undefined {
  const named = steps.findIndex((s) => isPlainObject(s) && s.name === source);
  if (named >= 0) return named;
  const positional = /^\$(\d+)$/.exec(source);
  if (positional && Number(positional[1]) < steps.length) {
    const i = Number(positional[1]);
    // `$N` is the implicit name of an unnamed step only.
    return stepName(steps[i], i) === String(i) ? i : undefined;
  }
  const unnamed = /^\d+$/.test(source) ? Number(source) : -1;
  return unnamed >= 0 && unnamed < steps.length && stepName(steps[unnamed], unnamed) === source ? unnamed : undefined;
}

export type Resolved =
  | { kind: 'value'; value: unknown; fromArguments?: string }
  | { kind: 'absent' }
  | { kind: 'step-ref'; source: string; path: string }
  | { kind: 'unresolved'; reason: string };

/**
 * A field value with `$arguments` references followed (those are in the file). References to
 * other steps' outputs stay references: they only exist at run time.
 */
export function resolveValue(value: unknown, args: unknown, depth = 0): Resolved {
  if (value === undefined) return { kind: 'absent' };
  if (!isRef(value)) return { kind: 'value', value };
  if (value.$ref === '$arguments') {
    const path = value.path ?? '';
    const found = readPath(args, parseRefPath(path));
    if (found === undefined) return { kind: 'unresolved', reason: `$arguments.${path} is not set in the workflow's arguments` };
    if (depth < 8 && isRef(found)) return resolveValue(found, args, depth + 1);
    return { kind: 'value', value: found, fromArguments: path };
  }
  return { kind: 'step-ref', source: value.$ref, path: value.path ?? '' };
}

// ---- imageGen leaves ----

// Computed on first use, not at load: the leaves table is a separate bundle the extension only
// loads with the first lint (scripts/lazy-modules.mjs).
let leafIndex: { keys: readonly string[]; leaves: ReadonlyArray<{ leaf: ImageGenLeaf; entries: ReadonlyArray<[string, string]> }> } | undefined;
function leavesByDiscriminator(): NonNullable<typeof leafIndex> {
  if (!leafIndex) {
    const leaves = Object.values(IMAGE_GEN_LEAVES as Record<string, ImageGenLeaf>).map((leaf) => ({ leaf, entries: Object.entries(leaf.discriminators) }));
    leafIndex = { keys: [...new Set(leaves.flatMap((l) => l.entries.map(([k]) => k)))], leaves };
  }
  return leafIndex;
}

/**
 * The contract leaf for an imageGen input (matched on its discriminator values), or, when the
 * input is incomplete, every leaf it could still be. Runs per step on every estimate, so the
 * leaves' discriminators are indexed once.
 */
export function imageGenLeafCandidates(input: Record<string, unknown>, args?: unknown): ImageGenLeaf[] {
  const { keys, leaves } = leavesByDiscriminator();
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const r = resolveValue(input[key], args);
    if (r.kind === 'value') values[key] = r.value;
  }
  const compatible: ImageGenLeaf[] = [];
  const exact: ImageGenLeaf[] = [];
  for (const { leaf, entries } of leaves) {
    let ok = true;
    let all = true;
    for (const [k, v] of entries) {
      const given = values[k];
      if (given === undefined) all = false;
      else if (given !== v) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    compatible.push(leaf);
    if (all) exact.push(leaf);
  }
  return exact.length > 0 ? exact : compatible.filter((leaf) => leaf.discriminators.engine === values.engine);
}

/** The contract default of `field` when every candidate leaf agrees on one. */
export function leafDefault(candidates: readonly ImageGenLeaf[], field: string): unknown {
  let found: unknown;
  for (const leaf of candidates) {
    const d = leaf.properties[field]?.default;
    if (d === undefined) return undefined;
    if (found !== undefined && found !== d) return undefined;
    found = d;
  }
  return found;
}

export type NumberField =
  | { ok: true; value: number; source: 'input' | 'default' | 'arguments' }
  | { ok: false; reason: string };

/** A numeric imageGen field: given, from `$arguments`, or the contract default. */
export function imageGenNumber(
  input: Record<string, unknown>,
  field: string,
  candidates: readonly ImageGenLeaf[],
  args: unknown,
): NumberField {
  const r = resolveValue(input[field], args);
  if (r.kind === 'absent') {
    const d = leafDefault(candidates, field);
    return typeof d === 'number' ? { ok: true, value: d, source: 'default' } : { ok: false, reason: `${field} is not set and the contract gives no default for it here` };
  }
  if (r.kind === 'step-ref') return { ok: false, reason: `${field} comes from step "${r.source}" and is only known at run time` };
  if (r.kind === 'unresolved') return { ok: false, reason: r.reason };
  if (typeof r.value !== 'number' || !Number.isFinite(r.value) || r.value <= 0) {
    return { ok: false, reason: `${field} is not a positive number` };
  }
  return { ok: true, value: r.value, source: r.fromArguments !== undefined ? 'arguments' : 'input' };
}

export function stringField(input: Record<string, unknown>, field: string, args: unknown): string | undefined {
  const r = resolveValue(input[field], args);
  return r.kind === 'value' && typeof r.value === 'string' ? r.value : undefined;
}

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Output size of an imageGen step: `width`/`height` (or their defaults), or a `size` like
 * "1024x1024" on engines that take one.
 */
export function imageGenOutputSize(input: Record<string, unknown>, args: unknown): { ok: true; size: ImageSize } | { ok: false; reason: string } {
  const candidates = imageGenLeafCandidates(input, args);
  const width = imageGenNumber(input, 'width', candidates, args);
  const height = imageGenNumber(input, 'height', candidates, args);
  if (width.ok && height.ok) return { ok: true, size: { width: width.value, height: height.value } };
  const size = resolveValue(input.size ?? leafDefault(candidates, 'size'), args);
  if (size.kind === 'value' && typeof size.value === 'string') {
    const m = /^(\d+)x(\d+)$/.exec(size.value);
    if (m) return { ok: true, size: { width: Number(m[1]), height: Number(m[2]) } };
  }
  return { ok: false, reason: !width.ok ? width.reason : !height.ok ? height.reason : 'the output size is not known' };
}
