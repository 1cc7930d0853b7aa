// What the linter needs to know about the generated schema's structure: which definitions are
// dispatch levels (a discriminating property and its targets), which are leaves, where each leaf
// sits (step type + discriminator values, for messages like "sdcpp + sdxl createImage"), and which
// definition owns any schema object (so an ajv error can be traced back to its leaf).
import type { JsonSchema } from './json-schema-types';

export interface DiscriminatorValue {
  property: string;
  value: string;
}

export interface DispatchInfo {
  name: string;
  property: string;
  /** Discriminator value → target definition, in the contract's order. */
  targets: Map<string, string>;
  /** The value an absent (or null) discriminator means, when the contract gives it a default. */
  defaultValue?: string;
  stepType?: string;
  /** The values chosen above this level (empty for the top of an input). */
  chain: DiscriminatorValue[];
}

export interface LeafInfo {
  name: string;
  kind: 'step' | 'input';
  stepType: string;
  /** Discriminator values that lead to this leaf, outermost first (empty for plain inputs). */
  chain: DiscriminatorValue[];
  /** The dispatch level directly above, if any. */
  parent?: string;
}

export interface SchemaIndex {
  root: JsonSchema;
  definitions: Record<string, JsonSchema>;
  dispatches: Map<string, DispatchInfo>;
  leaves: Map<string, LeafInfo>;
  /** Step type → the definition its `input` is checked against (a dispatch or a leaf). */
  stepInputs: Map<string, string>;
  /** Schema object → name of the definition that contains it ('' for the root). */
  owner: WeakMap<object, string>;
}

export const STEP_DISPATCH = 'WorkflowStepTemplate';
export const REFERENCE_DEFINITION = 'WorkflowReference';
const DEFINITION_PREFIX = '#/definitions/';

/** The dispatch shape the generator emits, or undefined for any other definition. */
export function readDispatch(name: string, schema: JsonSchema): Omit<DispatchInfo, 'chain'> | undefined {
  const branches = schema.allOf;
  const props = Object.keys(schema.properties ?? {});
  if (!branches || branches.length === 0 || props.length !== 1) return undefined;
  const property = props[0];
  const fallback = schema.properties![property].default;
  if (schema.required?.length !== 1 && typeof fallback !== 'string') return undefined;
  const targets = new Map<string, string>();
  for (const b of branches) {
    const condition = b.if?.properties?.[property];
    const value = condition?.const;
    const target = b.then?.$ref;
    if (typeof target !== 'string' || !target.startsWith(DEFINITION_PREFIX)) return undefined;
    if (condition?.type === 'null' && typeof fallback === 'string') continue; // the default's branch
    if (typeof value !== 'string') return undefined;
    targets.set(value, target.slice(DEFINITION_PREFIX.length));
  }
  if (typeof fallback === 'string' && schema.required === undefined && targets.has(fallback)) return { name, property, targets, defaultValue: fallback };
  return { name, property, targets };
}

/** The discriminator value a step input dispatches on: the written string, or the default when absent or null. */
export function discriminatorValue(dispatch: Pick<DispatchInfo, 'property' | 'defaultValue'>, value: Record<string, unknown>): unknown {
  const written = value[dispatch.property];
  return (written === undefined || written === null) && dispatch.defaultValue !== undefined ? dispatch.defaultValue : written;
}

/** The definition a schema points at, through `$ref`, a lazy reference or an anyOf's first branch. */
export function targetDefinition(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  const lazy = (schema as { lazyRef?: unknown }).lazyRef;
  if (typeof lazy === 'string') return lazy;
  if (schema.$ref?.startsWith(DEFINITION_PREFIX)) return schema.$ref.slice(DEFINITION_PREFIX.length);
  if (schema.anyOf && schema.anyOf.length > 0) return targetDefinition(schema.anyOf[0]);
  return undefined;
}

export function buildSchemaIndex(root: JsonSchema): SchemaIndex {
  const definitions = root.definitions ?? {};
  const dispatches = new Map<string, DispatchInfo>();
  const leaves = new Map<string, LeafInfo>();
  const stepInputs = new Map<string, string>();
  const owner = new WeakMap<object, string>();

  const own = (schema: unknown, name: string): void => {
    if (schema === null || typeof schema !== 'object') return;
    if (Array.isArray(schema)) {
      for (const s of schema) own(s, name);
      return;
    }
    owner.set(schema, name);
    const s = schema as JsonSchema;
    for (const sub of [s.items, s.if, s.then, s.else, typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined]) own(sub, name);
    for (const list of [s.allOf, s.anyOf, s.oneOf]) if (list) own(list, name);
    if (s.properties) for (const p of Object.values(s.properties)) own(p, name);
  };
  own(root, ''); // `own` does not descend into `definitions`: those are registered by name below
  for (const [name, def] of Object.entries(definitions)) own(def, name);

  const walkInput = (name: string, stepType: string, chain: DiscriminatorValue[], parent: string | undefined): void => {
    const def = definitions[name];
    if (!def) return;
    const dispatch = readDispatch(name, def);
    if (dispatch) {
      if (!dispatches.has(name)) dispatches.set(name, { ...dispatch, stepType, chain });
      for (const [value, target] of dispatch.targets) {
        walkInput(target, stepType, [...chain, { property: dispatch.property, value }], name);
      }
      return;
    }
    if (!leaves.has(name) && def.properties) leaves.set(name, { name, kind: 'input', stepType, chain, parent });
  };

  const steps = definitions[STEP_DISPATCH] ? readDispatch(STEP_DISPATCH, definitions[STEP_DISPATCH]) : undefined;
  if (steps) {
    dispatches.set(STEP_DISPATCH, { ...steps, chain: [] });
    for (const [stepType, leafName] of steps.targets) {
      const leaf = definitions[leafName];
      leaves.set(leafName, { name: leafName, kind: 'step', stepType, chain: [{ property: steps.property, value: stepType }], parent: STEP_DISPATCH });
      const input = targetDefinition(resolveLocal(definitions, leaf?.properties?.input));
      if (input) {
        stepInputs.set(stepType, input);
        walkInput(input, stepType, [], undefined);
      }
    }
  }
  // Dispatch levels that are not under a step input (nested objects such as controlnet
  // preprocessors) are still dispatches for the validator.
  for (const [name, def] of Object.entries(definitions)) {
    if (dispatches.has(name)) continue;
    const dispatch = readDispatch(name, def);
    if (dispatch) dispatches.set(name, { ...dispatch, chain: [] });
  }
  return { root, definitions, dispatches, leaves, stepInputs, owner };
}

/** Follows a property's `$ref` to a shared property definition (the generator hoists repeats). */
function resolveLocal(definitions: Record<string, JsonSchema>, schema: JsonSchema | undefined): JsonSchema | undefined {
  for (let i = 0; schema?.$ref?.startsWith(DEFINITION_PREFIX) && i < 5; i++) {
    const target = definitions[schema.$ref.slice(DEFINITION_PREFIX.length)];
    // A `$ref` straight to a dispatch or leaf is the input itself, not a shared property.
    if (!target || target.anyOf === undefined) return schema;
    schema = target;
  }
  return schema;
}

/** The leaf a step input value selects, following its discriminator values through the dispatch. */
export function leafForInput(index: SchemaIndex, stepType: string, input: unknown): LeafInfo | undefined {
  let name = index.stepInputs.get(stepType);
  for (let depth = 0; name !== undefined && depth < 10; depth++) {
    const dispatch = index.dispatches.get(name);
    if (!dispatch) return index.leaves.get(name);
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
    const value = discriminatorValue(dispatch, input as Record<string, unknown>);
    name = typeof value === 'string' ? dispatch.targets.get(value) : undefined;
  }
  return undefined;
}

/** "sdcpp + sdxl createImage", "videoGen input (engine wan, version v2.6)", "imageUpscaler input". */
export function describeLeaf(leaf: Pick<LeafInfo, 'kind' | 'stepType' | 'chain'>): string {
  if (leaf.kind === 'step') return `this \`${leaf.stepType}\` step`;
  const values = new Map(leaf.chain.map((c) => [c.property, c.value]));
  const engine = values.get('engine');
  const ecosystem = values.get('ecosystem');
  const operation = values.get('operation');
  if (engine && ecosystem && operation && leaf.chain.length === 3) return `${engine} + ${ecosystem} ${operation}`;
  if (leaf.chain.length === 0) return `the ${leaf.stepType} input`;
  return `${leaf.stepType} input (${leaf.chain.map((c) => `${c.property} ${c.value}`).join(', ')})`;
}
