// ajv errors → findings a person can act on: one finding per real problem, at the exact place
// (the key of a field that must not be there, the brace of an object missing a field, the value
// that is wrong), saying what to do, with the valid values and bounds.
//
// Noise removed: `if` failures (the `then` errors are reported themselves); the reference
// alternative of every input field (a value that is not a reference object reports its own
// problem only, and vice versa); ajv's "must match a schema in anyOf" summaries.
import type { ErrorObject } from 'ajv';
import type { Finding } from '../findings';
import { rangeOf, parsePointer, type JsonNode, type WorkflowDocument } from '../workflow/document';
import {
  COMFY_TO_SDCPP_SAMPLER, COMFY_TO_SDCPP_SCHEDULE, ECOSYSTEMS, ECOSYSTEM_FIELD_COUNTERPARTS, FOREIGN_FIELDS, SDCPP_TO_COMFY_SAMPLER,
  SDCPP_TO_COMFY_SCHEDULER, isEcosystemId, type Engine,
} from '../ecosystems/table';
import { CONTRACT_CODES, type ContractCode } from './codes';
import type { JsonSchema } from './json-schema-types';
import { NodeIndex, valueAt } from './node-index';
import { REFERENCE_DEFINITION, STEP_DISPATCH, describeLeaf, leafForInput, type DispatchInfo, type LeafInfo, type SchemaIndex } from './schema-index';
import { closestMatch, describeTypes, formatNumber, jsonTypeOf, listValues, showValue } from './suggest';

const REFERENCE_REF = '#/definitions/' + REFERENCE_DEFINITION;

/** Fields of the older workflow shape (seed 003) and where their content goes now. */
const LEGACY_ROOT_FIELDS: Readonly<Record<string, string>> = {
  callbackUrl: 'use `callbacks: [{ "url": "…", "type": ["workflow:succeeded"] }]`',
  callbackEvents: 'list the events in `type` of an entry of `callbacks`',
  detailed: 'set `detailed` on an entry of `callbacks`',
};

/**
 * Fields Civitai's recipes still write under an older name, and the contract's current one
 * (ltx2 and video-upscaler/interpolation recipes: `numInferenceSteps`; hunyuan recipe: `fps`).
 * Suggested only where the current name is a field of the same object.
 */
const RENAMED_FIELDS: Readonly<Record<string, string>> = {
  numInferenceSteps: 'steps',
  fps: 'frameRate',
};

/** Why an unknown field matters: the service does not refuse it, it loses it. */
const DROPPED = 'The service drops fields it does not know without a word, so this value would have no effect.';

/** Fields of the older imageGen input shape and their current names. */
const LEGACY_INPUT_FIELDS: Readonly<Record<string, string>> = {
  additionalNetworks: 'LoRAs now go in `loras`, a map of AIR → strength',
};

interface Ctx {
  doc: WorkflowDocument;
  index: SchemaIndex;
  nodes: NodeIndex;
}

export function mapAjvErrors(errors: readonly ErrorObject[], doc: WorkflowDocument, index: SchemaIndex, nodes: NodeIndex = new NodeIndex(doc)): Finding[] {
  const ctx: Ctx = { doc, index, nodes };
  const kept = removeNoise(errors, ctx);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of kept) {
    let finding: Finding | undefined;
    try {
      finding = toFinding(error, ctx);
    } catch (e) {
      finding = makeFinding(ctx, 'internal-error', `Could not describe a contract error at ${error.instancePath || 'the root'}: ${(e as Error).message}`, error.instancePath, undefined);
    }
    if (!finding) continue;
    const key = `${finding.code}\u0000${finding.pointer}\u0000${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  // An empty string that must match a pattern is one problem (too short), not two.
  const tooShort = new Set(findings.filter((f) => f.code === 'too-short').map((f) => f.pointer));
  return findings.filter((f) => !(f.code === 'invalid-format' && tooShort.has(f.pointer)));
}

// ---- noise ----

function ownerOf(error: ErrorObject, ctx: Ctx): string | undefined {
  const parent = error.parentSchema;
  return parent && typeof parent === 'object' ? ctx.index.owner.get(parent) : undefined;
}

function isReferenceAlternative(schema: unknown): boolean {
  const anyOf = (schema as JsonSchema | undefined)?.anyOf;
  return Array.isArray(anyOf) && anyOf.length === 2 && anyOf[1]?.$ref === REFERENCE_REF;
}

function isReferenceLike(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, '$ref');
}

const within = (path: string, base: string): boolean => path === base || path.startsWith(base + '/');

function removeNoise(errors: readonly ErrorObject[], ctx: Ctx): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  /** Errors already attributed to an inner anyOf: they belong to the outer one's first branch. */
  const claimed = new Set<ErrorObject>();
  errors.forEach((error, i) => {
    if (error.keyword === 'if') drop.add(error);
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') return;
    const base = error.instancePath;
    // ajv reports a combinator's branch errors right before the combinator's own error, all at
    // or below its instance path; walking back while that holds finds exactly those.
    const branch: ErrorObject[] = [];
    for (let j = i - 1; j >= 0 && within(errors[j].instancePath, base); j--) branch.push(errors[j]);
    if (isReferenceAlternative(error.parentSchema)) {
      // Keep the branch the value was meant for: a reference object reports reference problems,
      // anything else reports its own.
      drop.add(error);
      const reference = isReferenceLike(valueAt(ctx.doc.value, base));
      for (const other of branch) {
        const fromReference = !claimed.has(other) && ownerOf(other, ctx) === REFERENCE_DEFINITION;
        if (fromReference !== reference) drop.add(other);
      }
    } else {
      // Any other anyOf/oneOf is reported once, as `invalid-value`; its branches' errors go.
      // Except when the value has the type of exactly one branch (a chat message's `content`
      // as an array, where a string would also do): errors inside the value can only come from
      // that branch, and they say more than "no accepted shape".
      const inside = branch.filter((other) => other.instancePath !== base && !drop.has(other));
      if (inside.length > 0 && soleBranchOfType(error.parentSchema, valueAt(ctx.doc.value, base))) {
        drop.add(error);
        for (const other of branch) if (other.instancePath === base) drop.add(other);
      } else {
        for (const other of branch) drop.add(other);
      }
    }
    for (const other of branch) claimed.add(other);
    claimed.add(error);
  });
  return errors.filter((e) => !drop.has(e));
}

/** Whether exactly one alternative of an anyOf/oneOf declares the JSON type of `value`. */
function soleBranchOfType(parent: unknown, value: unknown): boolean {
  const list = (parent as JsonSchema | undefined)?.anyOf ?? (parent as JsonSchema | undefined)?.oneOf ?? [];
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const matches = list.filter((s) => {
    const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
    return types.includes(type) || (type === 'number' && types.includes('integer'));
  });
  return matches.length === 1;
}

// ---- findings ----

function makeFinding(ctx: Ctx, code: ContractCode, message: string, pointer: string, node: JsonNode | undefined, span?: { offset: number; length: number }): Finding {
  const target = node ?? ctx.nodes.nearest(pointer);
  const offset = span?.offset ?? target?.offset ?? 0;
  const length = span?.length ?? target?.length ?? 0;
  return {
    code,
    severity: CONTRACT_CODES[code].severity,
    message,
    pointer,
    offset,
    length,
    range: rangeOf(ctx.doc, offset, length),
  };
}

function toFinding(error: ErrorObject, ctx: Ctx): Finding | undefined {
  switch (error.keyword) {
    case 'additionalProperties':
      return unknownProperty(error, ctx);
    case 'required':
      return missingProperty(error, ctx);
    case 'type':
      return wrongType(error, ctx);
    case 'enum':
    case 'const':
      return invalidEnum(error, ctx);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return outOfRange(error, ctx);
    case 'multipleOf':
      return valueFinding(ctx, 'out-of-range', error, `${subject(error.instancePath)} must be a multiple of ${String(error.params.multipleOf)}.`);
    case 'maxLength':
    case 'minLength':
      return length(error, ctx);
    case 'maxItems':
    case 'minItems':
      return items(error, ctx);
    case 'uniqueItems':
      return valueFinding(ctx, 'duplicate-items', error, `${subject(error.instancePath)} must not repeat items: items ${String(error.params.j)} and ${String(error.params.i)} are equal.`);
    case 'pattern':
    case 'format':
      return format(error, ctx);
    case 'anyOf':
    case 'oneOf':
      return valueFinding(ctx, 'invalid-value', error, `${subject(error.instancePath)} does not have any of the accepted shapes${describeAlternatives(error.parentSchema)}.`);
    default:
      return valueFinding(ctx, 'invalid-value', error, `${subject(error.instancePath)}: ${error.message ?? 'invalid value'}.`);
  }
}

function valueFinding(ctx: Ctx, code: ContractCode, error: ErrorObject, message: string): Finding {
  return makeFinding(ctx, code, message, error.instancePath, ctx.nodes.get(error.instancePath));
}

function describeAlternatives(parent: unknown): string {
  const list = (parent as JsonSchema | undefined)?.anyOf ?? (parent as JsonSchema | undefined)?.oneOf;
  if (!list) return '';
  const types = list.map((s) => (Array.isArray(s.type) ? s.type.join(' or ') : s.type)).filter((t): t is string => !!t);
  return types.length === list.length ? ` (${types.join(', ')})` : '';
}

// ---- where a finding is ----

/** "`width`", "`steps[0].priority`": the field relative to its step input, step or workflow. */
export function fieldLabel(pointer: string): string {
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    return pointer;
  }
  if (segments[0] === 'steps' && segments.length >= 2 && /^\d+$/.test(segments[1])) {
    const rest = segments.slice(2);
    if (rest.length === 0) return `steps[${segments[1]}]`;
    if (rest[0] === 'input') return rest.length === 1 ? 'input' : join(rest.slice(1));
    return join(rest);
  }
  return segments.length === 0 ? 'the workflow' : join(segments);
}

function join(segments: readonly string[]): string {
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : (i > 0 ? '.' : '') + s)).join('');
}

function subject(pointer: string): string {
  const label = fieldLabel(pointer);
  return label === 'the workflow' ? 'The workflow' : `\`${label}\``;
}

/**
 * The leaf an error is about: the definition that reported it when that is a leaf, otherwise (a
 * field whose schema the generator shares between leaves) the leaf the step's input selects.
 */
function leafOf(error: ErrorObject, ctx: Ctx): LeafInfo | undefined {
  const owner = ownerOf(error, ctx);
  const own = owner !== undefined ? ctx.index.leaves.get(owner) : undefined;
  if (own) return own;
  const match = /^\/steps\/(\d+)\/input\/[^/]+$/.exec(error.instancePath);
  if (!match) return undefined;
  const step = valueAt(ctx.doc.value, `/steps/${match[1]}`) as { $type?: unknown; input?: unknown } | undefined;
  return typeof step?.$type === 'string' ? leafForInput(ctx.index, step.$type, step.input) : undefined;
}

function chainValue(leaf: LeafInfo | undefined, property: string): string | undefined {
  return leaf?.chain.find((c) => c.property === property)?.value;
}

/** A leaf property's own schema, without the reference alternative and `$ref`s resolved. */
function propertySchema(ctx: Ctx, leafName: string, property: string): JsonSchema | undefined {
  let schema = ctx.index.definitions[leafName]?.properties?.[property];
  for (let i = 0; schema && i < 6; i++) {
    if (isReferenceAlternative(schema)) schema = schema.anyOf![0];
    else if (schema.$ref) schema = ctx.index.definitions[schema.$ref.replace('#/definitions/', '')];
    else break;
  }
  return schema;
}

function shortEcosystemName(id: string): string {
  return /^sd/.test(id) ? id.toUpperCase() : id.charAt(0).toUpperCase() + id.slice(1);
}

function inputLeavesOf(ctx: Ctx, stepType: string): LeafInfo[] {
  return [...ctx.index.leaves.values()].filter((l) => l.kind === 'input' && l.stepType === stepType);
}

/** Leaves of the same step type that differ from `leaf` in the fewest discriminator values. */
function nearestLeaves(ctx: Ctx, leaf: LeafInfo, accept: (other: LeafInfo) => boolean): { leaves: LeafInfo[]; differing: string[] } {
  let best: LeafInfo[] = [];
  let bestDistance = Infinity;
  for (const other of inputLeavesOf(ctx, leaf.stepType)) {
    if (other.name === leaf.name || other.chain.length !== leaf.chain.length || !accept(other)) continue;
    const distance = other.chain.filter((c, i) => c.property !== leaf.chain[i].property || c.value !== leaf.chain[i].value).length;
    if (distance < bestDistance) {
      best = [other];
      bestDistance = distance;
    } else if (distance === bestDistance) {
      best.push(other);
    }
  }
  if (best.length === 0 || bestDistance >= leaf.chain.length) return { leaves: [], differing: [] };
  const differing = leaf.chain.filter((c, i) => best.some((o) => o.chain[i].value !== c.value)).map((c) => c.property);
  return { leaves: best, differing };
}

function describeAlternativeChoice(leaves: readonly LeafInfo[], differing: readonly string[]): string {
  return differing
    .map((property) => {
      const values = [...new Set(leaves.map((l) => l.chain.find((c) => c.property === property)?.value).filter((v): v is string => !!v))];
      return `\`${property}\` ${values.map((v) => `"${v}"`).join(' or ')}`;
    })
    .join(' with ');
}

// ---- unknown-property ----

function unknownProperty(error: ErrorObject, ctx: Ctx): Finding {
  const name = String(error.params.additionalProperty);
  const objectPointer = error.instancePath;
  const pointer = `${objectPointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const valueNode = ctx.nodes.get(pointer);
  const keyNode = valueNode?.parent?.type === 'property' ? valueNode.parent.children?.[0] : undefined;
  const owner = ownerOf(error, ctx);
  const leaf = owner !== undefined ? ctx.index.leaves.get(owner) : undefined;
  const allowed = Object.keys((error.parentSchema as JsonSchema | undefined)?.properties ?? {});

  let where: string;
  if (owner === '') where = 'the workflow';
  else if (owner === REFERENCE_DEFINITION) where = 'a reference object (only `$ref` and `path`)';
  else if (leaf) where = describeLeaf(leaf);
  else where = `\`${fieldLabel(objectPointer)}\``;

  const renamed = RENAMED_FIELDS[name];
  const present = valueAt(ctx.doc.value, objectPointer) as Record<string, unknown> | undefined;
  if (renamed !== undefined && allowed.includes(renamed)) {
    const message = `\`${name}\` is an older name: ${where} calls it \`${renamed}\`. ${DROPPED}`;
    const finding = makeFinding(ctx, 'unknown-property', message, pointer, keyNode ?? valueNode ?? ctx.nodes.get(objectPointer));
    if (keyNode && present && !Object.prototype.hasOwnProperty.call(present, renamed)) {
      finding.fixes = [{ title: `Rename to "${renamed}"`, isPreferred: true, edits: [{ offset: keyNode.offset, length: keyNode.length, newText: JSON.stringify(renamed) }] }];
    }
    return finding;
  }
  const advice = unknownPropertyAdvice(ctx, name, leaf, owner, allowed);
  const why = owner === REFERENCE_DEFINITION ? '' : ` ${DROPPED}`;
  const message = `\`${name}\` is not a field of ${where}; ${advice}${/[.?!]$/.test(advice) ? '' : '.'}${why}`;
  return makeFinding(ctx, 'unknown-property', message, pointer, keyNode ?? valueNode ?? ctx.nodes.get(objectPointer));
}

function unknownPropertyAdvice(ctx: Ctx, name: string, leaf: LeafInfo | undefined, owner: string | undefined, allowed: string[]): string {
  if (owner === '' && LEGACY_ROOT_FIELDS[name]) return LEGACY_ROOT_FIELDS[name];
  if (leaf?.kind === 'input') {
    const engine = chainValue(leaf, 'engine');
    const ecosystem = chainValue(leaf, 'ecosystem');
    if (leaf.stepType === 'imageGen' && LEGACY_INPUT_FIELDS[name]) return LEGACY_INPUT_FIELDS[name];
    const foreign = engine && Object.prototype.hasOwnProperty.call(FOREIGN_FIELDS, engine) ? FOREIGN_FIELDS[engine as Engine][name] : undefined;
    if (foreign !== undefined) {
      if (foreign === null) return `${engine} has no \`${name}\`; remove it`;
      if (allowed.includes(foreign)) return `use \`${foreign}\` (the ${engine} name for it)`;
    }
    if (name === 'clipSkip' && ecosystem && isEcosystemId(ecosystem) && !ECOSYSTEMS[ecosystem].clipSkip) {
      return `${shortEcosystemName(ecosystem)} has no clipSkip; remove it`;
    }
    const counterpart = ecosystem && isEcosystemId(ecosystem) ? ECOSYSTEM_FIELD_COUNTERPARTS[ecosystem]?.[name] : undefined;
    if (name === 'model' && counterpart && allowed.includes(counterpart)) {
      return `${shortEcosystemName(ecosystem!)} ships its own model: delete \`model\`, or use \`${counterpart}\` to override it`;
    }
    const near = nearestLeaves(ctx, leaf, (other) => Object.prototype.hasOwnProperty.call(ctx.index.definitions[other.name]?.properties ?? {}, name));
    if (near.leaves.length > 0) {
      return `it is only accepted with ${describeAlternativeChoice(near.leaves, near.differing)}; change that or remove the field`;
    }
    // Another branch of the same step type altogether (training's `resolution` is a comfy setting).
    const elsewhere = inputLeavesOf(ctx, leaf.stepType).filter((o) => o.chain.length > 0 && o.chain[0].value !== leaf.chain[0]?.value && Object.prototype.hasOwnProperty.call(ctx.index.definitions[o.name]?.properties ?? {}, name));
    if (elsewhere.length > 0 && leaf.chain.length > 0) {
      const property = leaf.chain[0].property;
      const values = [...new Set(elsewhere.map((o) => `"${o.chain[0].value}"`))];
      return `${leaf.stepType} takes it only with \`${property}\` ${values.join(' or ')}; remove it here`;
    }
  }
  const guess = closestMatch(name, allowed);
  if (guess) return `did you mean \`${guess}\`?`;
  return allowed.length > 0 ? `remove it (allowed here: ${listValues(allowed, 15)})` : 'remove it';
}

// ---- missing-property ----

function missingProperty(error: ErrorObject, ctx: Ctx): Finding {
  const name = String(error.params.missingProperty);
  const objectPointer = error.instancePath;
  const objectNode = ctx.nodes.get(objectPointer);
  const brace = objectNode?.type === 'object' ? { offset: objectNode.offset, length: 1 } : undefined;
  const owner = ownerOf(error, ctx);
  const dispatch = owner !== undefined ? ctx.index.dispatches.get(owner) : undefined;
  let message: string;
  if (dispatch && dispatch.property === name) {
    message = missingDiscriminatorMessage(dispatch, objectPointer);
  } else if (owner === '' && name === 'steps') {
    message = 'The workflow has no `steps`: add an array with at least one step (`{ "$type": "imageGen", "input": { … } }`).';
  } else if (owner === REFERENCE_DEFINITION) {
    message = `A reference object needs \`$ref\`: the name of the step (or \`$0\`, \`$1\`…, or \`$arguments\`) to read from.`;
  } else {
    const leaf = owner !== undefined ? ctx.index.leaves.get(owner) : undefined;
    const where = leaf ? describeLeaf(leaf) : `\`${fieldLabel(objectPointer)}\``;
    message = `Missing required field \`${name}\` for ${where}.`;
  }
  return makeFinding(ctx, 'missing-property', message, objectPointer, objectNode, brace);
}

function missingDiscriminatorMessage(dispatch: DispatchInfo, objectPointer: string): string {
  const values = [...dispatch.targets.keys()];
  if (dispatch.name === STEP_DISPATCH) return `This step has no \`$type\`; add one of ${listValues(values)}.`;
  const where = dispatch.chain.length > 0 ? ` for ${dispatch.chain.map((c) => `${c.property} ${c.value}`).join(' + ')}` : '';
  return `\`${fieldLabel(objectPointer)}\` needs \`${dispatch.property}\`${where}: one of ${listValues(values)}.`;
}

// ---- wrong-type ----

function wrongType(error: ErrorObject, ctx: Ctx): Finding {
  const value = valueAt(ctx.doc.value, error.instancePath);
  const expected = describeTypes(error.params.type as string);
  const actual = jsonTypeOf(value);
  let hint = '';
  if (typeof value === 'string' && /integer|number/.test(String(error.params.type)) && value.trim() !== '' && Number.isFinite(Number(value))) {
    hint = `; write ${value.trim()} without quotes`;
  }
  const owner = ownerOf(error, ctx);
  const what = owner === '' && error.instancePath === '' ? 'The workflow' : subject(error.instancePath);
  const got = actual === 'null' ? 'null' : `${actual === 'integer' || actual === 'number' ? 'a number' : describeTypes(actual)} ${showValue(value)}`;
  return valueFinding(ctx, 'wrong-type', error, `${what} must be ${expected}, not ${got}${hint}.`);
}

// ---- invalid-enum and unknown discriminator values ----

function invalidEnum(error: ErrorObject, ctx: Ctx): Finding {
  const value = valueAt(ctx.doc.value, error.instancePath);
  const allowed = (error.keyword === 'const' ? [error.params.allowedValue] : (error.params.allowedValues as unknown[])) ?? [];
  const allowedText = allowed.filter((v): v is string => typeof v === 'string');
  const canonical = typeof value === 'string' ? allowedText.find((v) => v !== value && v.toLowerCase() === value.toLowerCase()) : undefined;
  if (canonical !== undefined) return enumCase(error, ctx, value as string, canonical);
  const segments = parsePointer(error.instancePath);
  const property = segments[segments.length - 1] ?? '';
  const owner = ownerOf(error, ctx);
  const dispatch = owner !== undefined ? ctx.index.dispatches.get(owner) : undefined;
  if (dispatch && dispatch.property === property && typeof value === 'string') {
    return unknownDiscriminator(error, ctx, dispatch, value);
  }
  const leaf = leafOf(error, ctx);
  let hint = '';
  if (typeof value === 'string') {
    const counterpart = crossEngineName(property, value, chainValue(leaf, 'engine'));
    if (counterpart && allowedText.includes(counterpart)) hint = ` Did you mean \`${counterpart}\`? (${showValue(value)} is the other engine's name for it.)`;
    else {
      const guess = closestMatch(value, allowedText);
      if (guess) hint = ` Did you mean \`${guess}\`?`;
    }
  }
  const where = leaf?.kind === 'input' && leaf.chain.length > 0 ? ` for ${describeLeaf(leaf)}` : '';
  const message = `${subject(error.instancePath)} ${showValue(value)} is not allowed${where}; use one of ${listValues(allowedText.length ? allowedText : allowed.map((v) => JSON.stringify(v)))}.${hint}`;
  return valueFinding(ctx, 'invalid-enum', error, message);
}

/**
 * "Standard" for "standard": production clients send it and the service reportedly matches enum
 * strings case-insensitively, so this is a warning with the canonical spelling as the fix (the
 * same message whichever level reports it, so a discriminator reported twice shows once).
 */
function enumCase(error: ErrorObject, ctx: Ctx, value: string, canonical: string): Finding {
  const node = ctx.nodes.get(error.instancePath);
  const finding = makeFinding(
    ctx,
    'enum-case',
    `${subject(error.instancePath)} is spelled \`${canonical}\` in the contract, not ${showValue(value)}; the service reportedly reads enum values case-insensitively, but other tools may not.`,
    error.instancePath,
    node,
  );
  if (node) finding.fixes = [{ title: `Write "${canonical}"`, isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(canonical) }] }];
  return finding;
}

/** The sdcpp name of a comfy sampler/scheduler value or the reverse, from the ecosystem table. */
function crossEngineName(property: string, value: string, engine: string | undefined): string | undefined {
  if (property === 'sampleMethod' || (property === 'sampler' && engine === 'sdcpp')) return COMFY_TO_SDCPP_SAMPLER[value];
  if (property === 'sampler') return SDCPP_TO_COMFY_SAMPLER[value];
  if (property === 'schedule') return COMFY_TO_SDCPP_SCHEDULE[value];
  if (property === 'scheduler') return SDCPP_TO_COMFY_SCHEDULER[value];
  return undefined;
}

function unknownDiscriminator(error: ErrorObject, ctx: Ctx, dispatch: DispatchInfo, value: string): Finding {
  const values = [...dispatch.targets.keys()];
  const guess = closestMatch(value, values);
  const guessText = guess ? ` Did you mean \`${guess}\`?` : '';
  const stepType = dispatch.stepType;
  const prefix = dispatch.chain.map((c) => c.value).join(' + ');

  if (dispatch.name === STEP_DISPATCH) {
    return valueFinding(ctx, 'unknown-step-type', error, `${showValue(value)} is not a step type.${guessText} Step types: ${listValues(values)}.`);
  }
  if (dispatch.property === 'engine') {
    const legacy = stepType ? currentShapeFor(ctx, stepType, value) : undefined;
    const message = legacy
      ? `${showValue(value)} is not an engine: engines are ${listValues(values)}. The model family moved to \`ecosystem\`: the current shape is ${legacy}.`
      : `${showValue(value)} is not an engine${stepType ? ` of ${stepType}` : ''}.${guessText} Engines: ${listValues(values)}.`;
    return valueFinding(ctx, 'unknown-engine', error, message);
  }
  if (dispatch.property === 'ecosystem') {
    const elsewhere = stepType ? enginesOffering(ctx, stepType, value) : [];
    const also = elsewhere.length > 0 ? ` ${showValue(value)} is available with engine ${elsewhere.map((e) => `\`${e}\``).join(' or ')}.` : '';
    return valueFinding(ctx, 'unknown-ecosystem', error, `${showValue(value)} is not an ecosystem of ${prefix || 'this engine'}; use one of ${listValues(values)}.${guessText}${also}`);
  }
  if (dispatch.property === 'operation') {
    return valueFinding(ctx, 'unknown-operation', error, `${prefix || 'This input'} does not support operation ${showValue(value)}; it supports ${listValues(values)}.${guessText}`);
  }
  const where = prefix ? ` for ${prefix}` : stepType ? ` for ${stepType}` : '';
  return valueFinding(ctx, 'invalid-enum', error, `${subject(error.instancePath)} ${showValue(value)} is not allowed${where}; use one of ${listValues(values)}.${guessText}`);
}

/** Ecosystem dispatch levels (by engine) that offer `ecosystem` under a step type. */
function ecosystemLevels(ctx: Ctx, stepType: string, ecosystem: string): Array<{ engine: string; target: string }> {
  const out: Array<{ engine: string; target: string }> = [];
  for (const d of ctx.index.dispatches.values()) {
    if (d.stepType !== stepType || d.property !== 'ecosystem') continue;
    const engine = d.chain.find((c) => c.property === 'engine')?.value;
    for (const [key, target] of d.targets) if (engine && key.toLowerCase() === ecosystem.toLowerCase()) out.push({ engine, target });
  }
  return out;
}

function enginesOffering(ctx: Ctx, stepType: string, ecosystem: string): string[] {
  return [...new Set(ecosystemLevels(ctx, stepType, ecosystem).map((l) => l.engine))];
}

/** For an old-style `engine: "sdxl"`: `engine: "sdcpp", ecosystem: "sdxl", operation: "createImage"`. */
function currentShapeFor(ctx: Ctx, stepType: string, value: string): string | undefined {
  const levels = ecosystemLevels(ctx, stepType, value);
  if (levels.length === 0) return undefined;
  const ecosystem = value.toLowerCase();
  const preferred = isEcosystemId(ecosystem) ? ECOSYSTEMS[ecosystem].engines[0] : undefined;
  const level = levels.find((l) => l.engine === preferred) ?? levels[0];
  const operations = ctx.index.dispatches.get(level.target);
  const operation = operations?.property === 'operation' ? (operations.targets.has('createImage') ? 'createImage' : [...operations.targets.keys()][0]) : undefined;
  const ecosystemKey = [...(ctx.index.dispatches.values())].find((d) => d.stepType === stepType && d.property === 'ecosystem' && d.chain.some((c) => c.value === level.engine))?.targets;
  const exact = ecosystemKey ? [...ecosystemKey.keys()].find((k) => k.toLowerCase() === ecosystem) ?? value : value;
  return `\`engine: "${level.engine}", ecosystem: "${exact}"${operation ? `, operation: "${operation}"` : ''}\``;
}

// ---- out-of-range ----

function outOfRange(error: ErrorObject, ctx: Ctx): Finding {
  const value = valueAt(ctx.doc.value, error.instancePath);
  const limit = Number(error.params.limit);
  const above = error.keyword === 'maximum' || error.keyword === 'exclusiveMaximum';
  const exclusive = error.keyword.startsWith('exclusive');
  const leaf = leafOf(error, ctx);
  const where = leaf?.kind === 'input' && leaf.chain.length > 0 ? ` for ${describeLeaf(leaf)}` : '';
  const bound = above ? (exclusive ? `must be below ${formatNumber(limit)}` : `is above the maximum ${formatNumber(limit)}`) : exclusive ? `must be above ${formatNumber(limit)}` : `is below the minimum ${formatNumber(limit)}`;
  let advice = '';
  let docs = '';
  const segments = parsePointer(error.instancePath);
  const property = segments[segments.length - 1] ?? '';
  if (above && leaf?.kind === 'input' && typeof value === 'number') {
    // Another engine for the same ecosystem and operation that allows the value (from the contract).
    const engines = inputLeavesOf(ctx, leaf.stepType).filter((o) => {
      if (o.name === leaf.name || o.chain.length !== leaf.chain.length) return false;
      const sameButEngine = o.chain.every((c, k) => c.property === leaf.chain[k].property && (c.property === 'engine' || c.value === leaf.chain[k].value));
      const max = propertySchema(ctx, o.name, property)?.maximum;
      return sameButEngine && max !== undefined && max >= value;
    });
    const parts: string[] = [];
    if (engines.length > 0) {
      const max = Math.max(...engines.map((l) => propertySchema(ctx, l.name, property)?.maximum ?? 0));
      parts.push(`engine ${engines.map((l) => `\`${chainValue(l, 'engine')}\``).join(' or ')} allows up to ${formatNumber(max)}`);
      // Where the guides promise more than the contract allows, say so: the contract wins.
      const ecosystem = chainValue(leaf, 'ecosystem');
      const note = ecosystem && isEcosystemId(ecosystem) ? ECOSYSTEMS[ecosystem].docsVsContract.find((n) => n.toLowerCase().includes(property.toLowerCase())) : undefined;
      if (note) docs = ` ${note}`;
    }
    if (property === 'width' || property === 'height') parts.push('generate smaller and upscale afterwards (an `imageUpscaler` step)');
    if (parts.length > 0) advice = `; ${parts.join(', or ')}`;
  }
  // The service takes `steps: 0` without a word; the bound is the contract's, the run would not be what was meant.
  const silent = !above && property === 'steps' && value === 0 ? ' The service does not refuse it, so nothing else warns you before the run.' : '';
  const message = `${subject(error.instancePath)} ${showValue(value)} ${bound}${where}${advice}.${docs}${silent}`;
  return valueFinding(ctx, 'out-of-range', error, message);
}

// ---- lengths, items, formats ----

function length(error: ErrorObject, ctx: Ctx): Finding {
  const value = valueAt(ctx.doc.value, error.instancePath);
  const limit = Number(error.params.limit);
  const size = typeof value === 'string' ? [...value].length : 0;
  if (error.keyword === 'maxLength') {
    return valueFinding(ctx, 'too-long', error, `${subject(error.instancePath)} is ${formatNumber(size)} characters long; the maximum is ${formatNumber(limit)}.`);
  }
  return valueFinding(ctx, 'too-short', error, `${subject(error.instancePath)} must have at least ${formatNumber(limit)} character${limit === 1 ? '' : 's'}.`);
}

function items(error: ErrorObject, ctx: Ctx): Finding {
  const value = valueAt(ctx.doc.value, error.instancePath);
  const limit = Number(error.params.limit);
  const count = Array.isArray(value) ? value.length : 0;
  if (error.keyword === 'maxItems') {
    return valueFinding(ctx, 'too-many-items', error, `${subject(error.instancePath)} has ${count} items; at most ${limit} are allowed.`);
  }
  return valueFinding(ctx, 'too-few-items', error, `${subject(error.instancePath)} needs at least ${limit} item${limit === 1 ? '' : 's'}.`);
}

function format(error: ErrorObject, ctx: Ctx): Finding {
  const value = valueAt(ctx.doc.value, error.instancePath);
  let expected: string;
  if (error.keyword === 'format') {
    const f = String(error.params.format);
    expected = f === 'uri' ? 'an absolute URI (such as `https://example.com/hook`)' : f === 'date-time' ? 'a date-time such as `2025-01-31T12:00:00Z`' : `a valid ${f}`;
  } else {
    const pattern = String(error.params.pattern);
    expected = pattern.includes('(?<ecosystem>') ? 'an AIR such as `urn:air:sdxl:checkpoint:civitai:<modelId>@<versionId>`' : `text matching \`${pattern}\``;
  }
  // Why an AIR that does not parse matters: the service does not refuse a model it cannot find.
  const field = parsePointer(error.instancePath).pop() ?? '';
  const why = expected.startsWith('an AIR') && /model$/i.test(field) ? ' The service does not refuse a model it cannot find: it runs (and bills) its default model instead.' : '';
  return valueFinding(ctx, 'invalid-format', error, `${subject(error.instancePath)} ${showValue(value)} is not ${expected}.${why}`);
}
