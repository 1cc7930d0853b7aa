// The schema VS Code's JSON service gets for *.civitai.json (schemas/workflow.editor.schema.json),
// derived from the full contract schema (schemas/workflow.schema.json, which ajv checks in core).
//
// Who reports what: in the editor, every contract problem is reported once, by our `civitai`
// diagnostics, worded by us and carrying our quick fixes; VS Code's JSON service reports only JSON
// syntax (comments, commas, brackets), which our editor pass then leaves to it. So this schema
// keeps what completion and hover need (properties, descriptions, defaults, the values to offer,
// the dispatch that picks the fields of a step type, engine, ecosystem and operation) and drops
// every keyword that can fail: no second, regex-dumping squiggle beside ours.
//
// It is also shaped for what the JSON service does on every change of the file: it validates the
// whole document against it, paying one pass over an object's keys for every schema it applies to
// that object. `reshapeDispatch` explains how a step input finds its fields with few of them.
import type { JsonSchema } from './json-schema-types';
import { readDispatch, REFERENCE_DEFINITION, STEP_DISPATCH } from './schema-index';

/** Keywords that only constrain values: the contract pass reports their failures in our words. */
const CONSTRAINTS = new Set([
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'propertyNames',
  'dependentRequired',
  'contains',
  'not',
  'errorMessage',
  'patternErrorMessage',
]);

/** Members holding one subschema, or a map or a list of them, that are walked. */
const SCHEMA_MAPS = new Set(['properties', 'definitions', '$defs', 'patternProperties']);
const SCHEMA_LISTS = new Set(['anyOf', 'allOf', 'oneOf', 'prefixItems']);
const SCHEMA_ONE = new Set(['items', 'additionalProperties', 'then', 'else', 'if']);


/**
 * How the dispatch is expressed: `lookup` (shipped, see `reshapeDispatch`) or `tree`, the balanced
 * if/then/else tree shipped before, kept so the bench can time both side by side.
 */
export type DispatchShape = 'lookup' | 'tree';

interface Dispatch {
  name: string;
  property: string;
  targets: Array<[string, string]>;
}

/** A new schema: the editor's shape of `schema` (the input is not changed). */
export function editorSchemaOf(schema: JsonSchema, dispatchShape: DispatchShape = 'lookup'): JsonSchema {
  const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  definitions = copy.definitions ?? {};
  referenceSnippets = (definitions[REFERENCE_DEFINITION] as { defaultSnippets?: unknown[] } | undefined)?.defaultSnippets ?? [];
  const dispatches: Dispatch[] = Object.entries(definitions).flatMap(([name, def]) => {
    const d = readDispatch(name, def);
    return d ? [{ name, property: d.property, targets: [...d.targets] }] : [];
  });
  if (dispatchShape === 'tree') for (const d of dispatches) definitions[d.name].allOf = [conditionTree(d, false)];
  const shaped = shape(copy, false) as JsonSchema;
  if (dispatchShape === 'lookup') reshapeDispatch(shaped, dispatches);
  // A reference is an object with `$ref`: kept required, so that where a field takes an object or a
  // reference, an object without `$ref` matches only its own branch (completion offers its fields,
  // not `$ref`/`path`). It never reports: the other branch, with nothing left to fail, matches.
  const reference = shaped.definitions?.[REFERENCE_DEFINITION];
  if (reference) reference.required = ['$ref'];
  return shaped;
}

const PREFIX = '#/definitions/';
const ref = (name: string): JsonSchema => ({ $ref: PREFIX + name });

/**
 * A balanced tree of if/then/else on halves of the discriminator's values. `quiet`: each condition
 * carries an `errorMessage` and a single-value half is not checked twice. The JSON service formats
 * a message for every condition that fails, even inside an `if` where nobody sees it, and for an
 * `enum` that message lists every value.
 */
function conditionTree(d: Pick<Dispatch, 'property' | 'targets'>, quiet: boolean): JsonSchema {
  const condition = (values: readonly string[]): JsonSchema => ({
    properties: { [d.property]: { ...(values.length === 1 ? { const: values[0] } : { enum: [...values] }), ...(quiet ? { errorMessage: 'another branch' } : {}) } },
    required: [d.property],
  });
  const [first] = d.targets;
  if (d.targets.length === 1) return { if: condition([first[0]]), then: ref(first[1]) };
  const half = Math.ceil(d.targets.length / 2);
  const left = d.targets.slice(0, half);
  const right = d.targets.slice(half);
  const then = quiet && left.length === 1 ? ref(left[0][1]) : conditionTree({ ...d, targets: left }, quiet);
  return { if: condition(left.map(([v]) => v)), then, else: conditionTree({ ...d, targets: right }, quiet) };
}

/**
 * The dispatch as the JSON service runs it cheaply, on the schema already shaped.
 *
 * A step input (a dozen keys or more) costs a pass over all its keys for every schema applied to
 * it, and a tree applies two per level (condition and branch): ~35 passes for an imageGen input
 * through engine, ecosystem and operation. Instead each input level is
 *   if: the discriminator is one of the known values, then: anyOf its targets,
 * every target carrying `const` on the discriminator: vscode-json-languageservice looks the value up
 * among the targets' consts and applies that one target only (its discriminator shortcut for
 * anyOf/oneOf), 3 passes per level. The `if` keeps the anyOf from ever failing: an unknown, absent
 * or non-string value (or a value that is no object) selects no target and reports nothing.
 *
 * Two dispatches stay a tree, which measured faster there: the step dispatch (`$type`, 45 values),
 * which runs on the step object (three keys) where a condition costs little and the lookup's table
 * of 45 targets would cost more; and a dispatch of one or two values, where one condition does
 * the guard's work.
 *
 * A field that takes a dispatched object or a reference (a step's `input`) gets the dispatch
 * inlined, with the reference as the `else` of its guard (a reference has no discriminator),
 * instead of an anyOf that would apply both branches to every input.
 */
function reshapeDispatch(shaped: JsonSchema, dispatches: readonly Dispatch[]): void {
  const defs = shaped.definitions ?? {};
  for (const d of dispatches) delete defs[d.name].allOf;
  const referenced = countReferences(shaped);
  const lookups = new Set<string>();
  for (const d of dispatches) {
    const def = defs[d.name];
    if (d.name === STEP_DISPATCH || d.targets.length <= 2) {
      Object.assign(def, conditionTree(d, true));
      continue;
    }
    lookups.add(d.name);
    const branches = d.targets.map(([value, target]): JsonSchema => {
      // A target that is also used elsewhere stays as it is: the const goes on a wrapper.
      if ((referenced.get(target) ?? 0) > 0) return { properties: { [d.property]: { const: value } }, allOf: [ref(target)] };
      const own = defs[target];
      own.properties = { ...own.properties, [d.property]: { ...own.properties?.[d.property], const: value } };
      return ref(target);
    });
    def.if = { type: 'object', properties: { [d.property]: { enum: d.targets.map(([v]) => v), errorMessage: 'no branch' } }, required: [d.property] };
    def.then = { anyOf: branches };
  }
  inlineDispatchedFields(shaped, lookups);
}

/** Keys whose values are data, not subschemas. */
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples', 'defaultSnippets']);

/** How often each definition is named by a `$ref`. */
function countReferences(schema: JsonSchema): Map<string, number> {
  const counts = new Map<string, number>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX)) counts.set(value.slice(PREFIX.length), (counts.get(value.slice(PREFIX.length)) ?? 0) + 1);
      else if (!DATA_KEYS.has(key)) walk(value);
    }
  };
  walk(schema);
  return counts;
}

/** `anyOf: [<dispatched object>, WorkflowReference]` → the dispatch inlined, the reference its guard's `else`. */
function inlineDispatchedFields(shaped: JsonSchema, lookups: ReadonlySet<string>): void {
  const defs = shaped.definitions ?? {};
  const only$ref = (branch: JsonSchema) => Object.keys(branch).length === 1 && branch.$ref?.startsWith(PREFIX) === true;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const schema = node as JsonSchema;
    const names = schema.anyOf?.length === 2 && schema.anyOf.every(only$ref) ? schema.anyOf.map((b) => b.$ref!.slice(PREFIX.length)) : [];
    const dispatched = names.includes(REFERENCE_DEFINITION) ? names.find((n) => lookups.has(n)) : undefined;
    if (dispatched) {
      const { anyOf: _inlined, ...own } = schema;
      const target = JSON.parse(JSON.stringify(defs[dispatched])) as JsonSchema;
      const snippets = [...(target.defaultSnippets ?? []), ...(own.defaultSnippets ?? []), ...(defs[REFERENCE_DEFINITION]?.defaultSnippets ?? [])];
      delete schema.anyOf;
      Object.assign(schema, target, own, { else: { if: { required: ['$ref'] }, then: ref(REFERENCE_DEFINITION) } });
      if (snippets.length > 0) schema.defaultSnippets = snippets;
      return;
    }
    for (const [key, value] of Object.entries(schema)) if (!DATA_KEYS.has(key)) visit(value);
  };
  visit(shaped);
}

/**
 * `inCondition`: inside an `if`. A condition never reports anything itself (it only picks the
 * `then`), so it keeps `const`, `required` and `type` intact: they are what the dispatch reads.
 */
function shape(node: unknown, inCondition: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => shape(n, inCondition));
  if (node === null || typeof node !== 'object') return node;
  const source = node as Record<string, unknown>;
  if (inCondition) return JSON.parse(JSON.stringify(source)) as unknown;
  const out: Record<string, unknown> = {};
  const examples: unknown[] = Array.isArray(source.examples) ? [...(source.examples as unknown[])] : [];
  for (const [key, value] of Object.entries(source)) {
    if (CONSTRAINTS.has(key) || key === 'examples') continue;
    if (key === 'markdownEnumDescriptions' && Array.isArray(source.enum)) continue;
    if (key === 'enum' && Array.isArray(value)) {
      // Offered by completion as examples (a value outside them is our invalid-enum finding); values
      // the contract describes become snippets, which carry their description into completion.
      const described = source.markdownEnumDescriptions;
      if (Array.isArray(described)) {
        const snippets = value.map((v, i) => (typeof described[i] === 'string' ? { body: v, markdownDescription: described[i] } : { body: v }));
        out.defaultSnippets = [...((out.defaultSnippets as unknown[] | undefined) ?? []), ...snippets];
      } else {
        for (const v of value) if (!examples.some((e) => e === v)) examples.push(v);
      }
    } else if (key === 'const') {
      if (!examples.some((e) => e === value)) examples.push(value);
    } else if (key === 'type') {
      // The type steers what completion inserts for a property's value: kept as a snippet.
      const types = (Array.isArray(value) ? value : [value]) as unknown[];
      if (types.includes('boolean')) for (const b of [true, false]) if (!examples.includes(b)) examples.push(b);
      if (types.length === 1 && source.defaultSnippets === undefined && source.default === undefined) {
        if (types[0] === 'object') out.defaultSnippets = [{ body: {} }];
        else if (types[0] === 'array') out.defaultSnippets = [{ body: [] }];
      }
    } else if (key === 'additionalProperties') {
      // `false` closes the object (our unknown-property finding); a schema still describes map values.
      if (typeof value === 'object' && value !== null) out[key] = shape(value, false);
    } else if (key === 'oneOf' && Array.isArray(value)) {
      // With the constraints gone several branches match, which oneOf would report: anyOf offers all.
      out.anyOf = value.map((v) => shape(v, false));
    } else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v, false)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => shape(v, false));
    } else if (SCHEMA_ONE.has(key)) {
      out[key] = shape(value, key === 'if');
    } else {
      out[key] = value;
    }
  }
  if (examples.length > 0) out.examples = examples;
  return withoutReferenceAlternative(out);
}

/**
 * `anyOf: [value, WorkflowReference]` (a field that may also be `{ "$ref": "<step>", "path": … }`)
 * becomes the value's own schema: with nothing left that can fail, VS Code's JSON service would
 * still weigh both alternatives for every such field of every step (most of the remaining cost on
 * a long workflow). Completion then offers the values, not the reference's two members.
 */
/** The reference's own completion snippet ("Reference to another step"), kept on every field that accepted one. */
let referenceSnippets: unknown[] = [];
/** The definitions of the schema being shaped (to tell an object-valued field from a scalar one). */
let definitions: Record<string, JsonSchema> = {};

function isObjectLike(schema: Record<string, unknown>): boolean {
  const ref = schema.$ref;
  const target = typeof ref === 'string' && ref.startsWith('#/definitions/') ? (definitions[ref.slice('#/definitions/'.length)] as Record<string, unknown> | undefined) : schema;
  if (!target) return true;
  return target.type === 'object' || target.properties !== undefined || target.allOf !== undefined || target.defaultSnippets !== undefined && target.type === undefined && target.properties !== undefined;
}

function withoutReferenceAlternative(schema: Record<string, unknown>): Record<string, unknown> {
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return schema;
  const isReference = (b: unknown): boolean => typeof b === 'object' && b !== null && (b as { $ref?: unknown }).$ref === '#/definitions/WorkflowReference';
  const value = branches.find((b) => !isReference(b)) as Record<string, unknown> | undefined;
  // An object-valued field keeps both: completion inside it offers the reference's `$ref`/`path` too.
  if (!value || !branches.some(isReference) || value.anyOf !== undefined || value.allOf !== undefined || isObjectLike(value)) return schema;
  const { anyOf: _dropped, ...rest } = schema;
  const merged: Record<string, unknown> = { ...value, ...rest };
  const examples = [...((value.examples as unknown[] | undefined) ?? []), ...((rest.examples as unknown[] | undefined) ?? [])];
  if (examples.length > 0) merged.examples = [...new Set(examples)];
  merged.defaultSnippets = [...((value.defaultSnippets as unknown[] | undefined) ?? []), ...((rest.defaultSnippets as unknown[] | undefined) ?? []), ...referenceSnippets];
  return merged;
}
