// The schema VS Code's JSON service gets for *.civitai.json (schemas/workflow.editor.schema.json),
// derived from the full contract schema (schemas/workflow.schema.json, which ajv checks in core).
//
// Who reports what: in the editor, every contract problem is reported once, by our `civitai`
// diagnostics, worded by us and carrying our quick fixes; VS Code's JSON service reports only JSON
// syntax (comments, commas, brackets), which our editor pass then leaves to it. So this schema
// keeps what completion and hover need (properties, descriptions, defaults, the values to offer,
// the if/then dispatch that picks the fields of a step type, engine, ecosystem and operation) and
// drops every keyword that can fail: no second, regex-dumping squiggle beside ours, and far less
// for the JSON service to check on every keystroke.
import type { JsonSchema } from './json-schema-types';
import { readDispatch } from './schema-index';

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

/** A new schema: the editor's shape of `schema` (the input is not changed). */
export function editorSchemaOf(schema: JsonSchema): JsonSchema {
  const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  definitions = copy.definitions ?? {};
  referenceSnippets = (copy.definitions?.WorkflowReference as { defaultSnippets?: unknown[] } | undefined)?.defaultSnippets ?? [];
  for (const [name, def] of Object.entries(copy.definitions ?? {})) {
    const dispatch = readDispatch(name, def);
    if (!dispatch) continue;
    def.allOf = [binaryDispatch(dispatch.property, [...dispatch.targets])];
  }
  const shaped = shape(copy, false) as JsonSchema;
  // A reference is an object with `$ref`: kept required, so that where a field takes an object or a
  // reference, an object without `$ref` matches only its own branch (completion offers its fields,
  // not `$ref`/`path`). It never reports: the other branch, with nothing left to fail, matches.
  const reference = shaped.definitions?.WorkflowReference;
  if (reference) reference.required = ['$ref'];
  return shaped;
}

/**
 * The contract's dispatch (one if/then per value of the discriminator: 45 for a step's `$type`) as
 * a balanced tree of if/then/else on halves of the values. VS Code's JSON service formats a
 * message for every condition that fails, even inside an `if`: a flat dispatch fails ~40 of them
 * per step, the tree ~6, which is most of what validating a long workflow cost it.
 */
function binaryDispatch(property: string, targets: ReadonlyArray<[string, string]>): JsonSchema {
  const condition = (values: readonly string[]): JsonSchema => ({
    properties: { [property]: values.length === 1 ? { const: values[0] } : { enum: [...values] } },
    required: [property],
  });
  if (targets.length === 1) return { if: condition([targets[0][0]]), then: { $ref: `#/definitions/${targets[0][1]}` } };
  const half = Math.ceil(targets.length / 2);
  const left = targets.slice(0, half);
  return { if: condition(left.map(([v]) => v)), then: binaryDispatch(property, left), else: binaryDispatch(property, targets.slice(half)) };
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
