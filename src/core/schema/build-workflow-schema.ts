// Turns the orchestrator's OpenAPI 3.1 contract into the draft-07 JSON Schema of a workflow file
// (the body of POST /v2/consumer/workflows) that both ajv and VS Code's JSON language service use.
//
// Shape decisions (why, briefly):
// - Every OpenAPI `discriminator` becomes a *dispatch* definition: the discriminating property as an
//   enum of the mapping keys, plus one `if {prop: const key} then {$ref target}` per key. Unknown
//   values give a single enum error; editors offer exactly the fields of the chosen combination.
// - A leaf (a schema without its own discriminator) is the union of its allOf chain, merged into
//   one object: the contract repeats `additionalProperties: false` on every layer, which would
//   reject everything if the layers were kept as an allOf.
// - A request is not a response: a member the contract marks `readOnly` (the service sets it) or
//   gives a default (a `default`, or "Defaults to …" in its description) is never required, even
//   where the contract lists it in `required`. A discriminator with a default (the contract makes
//   34 of them nullable with a default: Grok's `version`, Wan's `provider`…) is optional too: its
//   dispatch sends a value that is absent or null to the default's target.
//   Members whose default only the recipes document (documented-defaults.ts) are treated the same.
// - Coercions the contract states in prose are accepted: an array member documented as "deserialized
//   from a string" takes a string too; an object documented as reading both camelCase and snake_case
//   names takes both.
// - Every value inside a step `input` (any depth: the input itself, its members, array items, the
//   members of nested objects) also accepts a reference object (`{"$ref": "<step>", "path": "…"}`),
//   as an `anyOf` with the reference second: VS Code still
//   offers the original's enum and default completions through an anyOf (it does not through
//   if/then/else), and the linter drops the reference branch's errors when the value is not one.
// - Formats ajv and VS Code do not know (int32, int64, double, float, date-span) are dropped;
//   OpenAPI 3.1 nullable types (`["null", "string"]`) are kept as they are (a nullable enum also
//   lists null, which the contract's enums forget).
// - Contract prose is not copied; descriptions come from our own table (descriptions.ts).
import { DOCUMENTED_DEFAULTS } from './documented-defaults';
import type { JsonSchema, JsonValue, OpenApiDocument, OpenApiSchema, DefaultSnippet } from './json-schema-types';

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
export const REFERENCE_DEFINITION = 'WorkflowReference';
const COMPONENT_PREFIX = '#/components/schemas/';
const DEFINITION_PREFIX = '#/definitions/';
const KEPT_FORMATS = new Set(['uri', 'date-time']);

export interface DiscriminatorValue {
  property: string;
  value: string;
}

/** Where a leaf sits: the step type and the discriminator values that lead to it. */
export interface LeafContext {
  stepType: string;
  chain: DiscriminatorValue[];
  leafName: string;
}

/** A leaf property as the contract merges it, before any reference wrapping. */
export interface MergedLeaf {
  name: string;
  properties: Record<string, OpenApiSchema>;
  required: string[];
}

/** Hooks that add our own prose and snippets; the builder itself knows no wording. */
export interface SchemaAnnotator {
  workflowProperty?(name: string, schema: JsonSchema): string | undefined;
  stepProperty?(name: string, schema: JsonSchema): string | undefined;
  /** Description of the value `value` of a discriminating property (e.g. a `$type` or an engine). */
  discriminatorValue?(stepType: string | undefined, chain: readonly DiscriminatorValue[], property: string, value: string): string | undefined;
  /** VS Code's message when the discriminating property has a value outside the enum. */
  discriminatorErrorMessage?(stepType: string | undefined, chain: readonly DiscriminatorValue[], property: string): string | undefined;
  /** Description of the discriminating property itself at a dispatch level. */
  discriminatorProperty?(stepType: string | undefined, chain: readonly DiscriminatorValue[], property: string): string | undefined;
  /** Description of a property of an input leaf; `raw` is the contract's merged property. */
  inputProperty?(ctx: LeafContext, property: string, raw: OpenApiSchema, resolved: ResolvedProperty, leaf: MergedLeaf): string | undefined;
  stepSnippets?(leaves: ReadonlyMap<string, { ctx: LeafContext; leaf: MergedLeaf }>): DefaultSnippet[];
  referenceDescription?(): string | undefined;
}

/** A contract property with `$ref`s to enums resolved, for tables and descriptions. */
export interface ResolvedProperty {
  type?: string | string[];
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  maxLength?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  /** The contract's name for a shared enum (`SdCppSampleMethod`), when the property refers to one. */
  enumName?: string;
}

export interface BuildResult {
  schema: JsonSchema;
  /** Every input leaf reachable from a step type, keyed by definition name. */
  inputLeaves: Map<string, { ctx: LeafContext; leaf: MergedLeaf }>;
  stepTypes: string[];
}

export class ContractError extends Error {}

export function buildWorkflowSchema(doc: OpenApiDocument, annotator: SchemaAnnotator = {}): BuildResult {
  return new SchemaBuilder(doc, annotator).build();
}

class SchemaBuilder {
  private readonly components: Record<string, OpenApiSchema>;
  private readonly definitions = new Map<string, JsonSchema>();
  private readonly queued = new Set<string>();
  private readonly queue: string[] = [];
  /** Input leaves and the dispatch levels above them, with the context that reached them first. */
  private readonly inputLeaves = new Map<string, { ctx: LeafContext; leaf: MergedLeaf }>();
  private readonly inputDispatches = new Map<string, { stepType: string; chain: DiscriminatorValue[]; defaulted?: string[] }>();
  /** Per input leaf: the discriminators above it that have a default (never required in the leaf). */
  private readonly defaultedDiscriminators = new Map<string, Set<string>>();
  private readonly discriminatorProps = new Map<string, Set<string>>();
  /** Definitions reachable from a step input (below its leaves): their values may be references. */
  private readonly referenceable = new Set<string>();

  constructor(
    doc: OpenApiDocument,
    private readonly annotator: SchemaAnnotator,
  ) {
    if (!doc?.components?.schemas) throw new ContractError('The contract has no components.schemas');
    this.components = doc.components.schemas;
  }

  build(): BuildResult {
    const template = this.component('WorkflowTemplate');
    const stepBase = this.component('WorkflowStepTemplate');
    const stepMapping = stepBase.discriminator?.mapping;
    if (!stepMapping) throw new ContractError('WorkflowStepTemplate has no $type discriminator');
    const stepTypes = Object.keys(stepMapping);

    // Find the input leaves first: wrapping and descriptions depend on where a leaf sits.
    for (const stepType of stepTypes) {
      const stepLeaf = this.mergeLeaf(refName(stepMapping[stepType]));
      const input = stepLeaf.properties.input;
      if (input?.$ref) this.collectInputLeaves(refName(input.$ref), { stepType, chain: [] });
    }

    this.collectReferenceable();
    const root = this.convertWorkflowTemplate(template);
    this.definitions.set(REFERENCE_DEFINITION, this.referenceDefinition());
    this.drain();

    hoistSharedProperties(this.definitions);
    const definitions: Record<string, JsonSchema> = {};
    for (const name of [...this.definitions.keys()].sort()) definitions[name] = this.definitions.get(name)!;
    const schema: JsonSchema = {
      $schema: DRAFT_07,
      title: 'Civitai orchestration workflow',
      ...root,
      definitions,
    };
    return { schema, inputLeaves: this.inputLeaves, stepTypes };
  }

  // ---- contract access ----

  private component(name: string): OpenApiSchema {
    const schema = this.components[name];
    if (!schema) throw new ContractError(`The contract has no schema named ${name}`);
    return schema;
  }

  /** The discriminator a schema declares itself (on the schema or an inline allOf layer). */
  ownDiscriminator(name: string): { propertyName: string; mapping: Record<string, string> } | undefined {
    const schema = this.component(name);
    const found = schema.discriminator ?? schema.allOf?.find((l) => !l.$ref && l.discriminator)?.discriminator;
    if (!found) return undefined;
    if (!found.mapping || Object.keys(found.mapping).length === 0) throw new ContractError(`${name}: discriminator without mapping`);
    return { propertyName: found.propertyName, mapping: found.mapping };
  }

  /** The inline layers of a schema's allOf chain, most basic first. */
  private layersOf(name: string, seen: Set<string> = new Set()): OpenApiSchema[] {
    if (seen.has(name)) throw new ContractError(`allOf cycle through ${name}`);
    seen.add(name);
    const schema = this.component(name);
    if (!schema.allOf) return [schema];
    const layers: OpenApiSchema[] = [];
    for (const part of schema.allOf) {
      if (part.$ref) layers.push(...this.layersOf(refName(part.$ref), new Set(seen)));
      else layers.push(part);
    }
    return layers;
  }

  /** A leaf's allOf chain merged: the most derived layer wins a property; `required` is the union. */
  mergeLeaf(name: string): MergedLeaf {
    const properties: Record<string, OpenApiSchema> = {};
    const required: string[] = [];
    for (const layer of this.layersOf(name)) {
      for (const [key, value] of Object.entries(layer.properties ?? {})) {
        // Re-inserting keeps the order of first appearance (base fields first) stable.
        properties[key] = value;
      }
      for (const r of layer.required ?? []) if (!required.includes(r)) required.push(r);
    }
    return { name, properties, required };
  }

  private collectInputLeaves(name: string, at: { stepType: string; chain: DiscriminatorValue[]; defaulted?: string[] }): void {
    const disc = this.ownDiscriminator(name);
    if (!disc) {
      if (this.inputLeaves.has(name)) return;
      const schema = this.component(name);
      const isObject = schema.allOf !== undefined || schema.properties !== undefined;
      if (!isObject) return;
      this.inputLeaves.set(name, { ctx: { stepType: at.stepType, chain: at.chain, leafName: name }, leaf: this.mergeLeaf(name) });
      const props = new Set(at.chain.map((c) => c.property));
      this.discriminatorProps.set(name, props);
      this.defaultedDiscriminators.set(name, new Set(at.defaulted ?? []));
      return;
    }
    if (!this.inputDispatches.has(name)) this.inputDispatches.set(name, at);
    if (this.discriminatorDefault(name, disc.propertyName, Object.keys(disc.mapping)) !== undefined) at = { ...at, defaulted: [...(at.defaulted ?? []), disc.propertyName] };
    for (const [value, target] of Object.entries(disc.mapping)) {
      this.collectInputLeaves(refName(target), { stepType: at.stepType, chain: [...at.chain, { property: disc.propertyName, value }], defaulted: at.defaulted });
    }
  }

  /** Every component a step input's leaves lead to (through properties, items, allOf, mappings). */
  private collectReferenceable(): void {
    const queue: string[] = [];
    const visit = (node: OpenApiSchema | boolean | undefined): void => {
      if (!node || typeof node !== 'object') return;
      if (node.$ref) {
        const name = refName(node.$ref);
        if (!this.referenceable.has(name) && !this.inputLeaves.has(name) && !this.inputDispatches.has(name)) {
          this.referenceable.add(name);
          queue.push(name);
        }
        return;
      }
      for (const p of Object.values(node.properties ?? {})) visit(p);
      visit(node.items);
      visit(node.additionalProperties);
      for (const list of [node.allOf, node.anyOf, node.oneOf]) for (const p of list ?? []) visit(p);
    };
    for (const { leaf } of this.inputLeaves.values()) for (const p of Object.values(leaf.properties)) visit(p);
    while (queue.length > 0) {
      const schema = this.component(queue.shift()!);
      visit(schema);
      const disc = schema.discriminator ?? schema.allOf?.find((l) => !l.$ref && l.discriminator)?.discriminator;
      for (const target of Object.values(disc?.mapping ?? {})) visit({ $ref: target });
    }
  }

  /**
   * Whether a member the contract lists as required may still be left out of a request: the
   * service sets it (`readOnly`), or fills it in (a `default`, its own or its enum's, or a default
   * its description states).
   */
  private optionalInRequest(raw: OpenApiSchema | undefined): boolean {
    if (!raw) return false;
    const targets = [raw, ...(raw.$ref ? [this.component(refName(raw.$ref))] : []), ...(raw.allOf ?? []).filter((p) => p.$ref).map((p) => this.component(refName(p.$ref!)))];
    return targets.some((t) => t.readOnly === true || t.default !== undefined || PROSE_DEFAULT.test(t.description ?? ''));
  }

  private requestRequired(required: readonly string[], properties: Record<string, OpenApiSchema>, defaulted: ReadonlySet<string> = new Set()): string[] {
    return required.filter((r) => !defaulted.has(r) && !this.optionalInRequest(properties[r]));
  }

  /** Members the recipes document a default for, in any layer of `name`'s allOf chain. */
  private documentedDefaults(name: string, seen: Set<string> = new Set()): string[] {
    if (seen.has(name)) return [];
    seen.add(name);
    const own = DOCUMENTED_DEFAULTS.filter((d) => d.definition === name).map((d) => d.property);
    const bases = (this.component(name).allOf ?? []).filter((p) => p.$ref).flatMap((p) => this.documentedDefaults(refName(p.$ref!), seen));
    return [...own, ...bases];
  }

  /** The default of a discriminating property (absent or null means this value). */
  private discriminatorDefault(name: string, property: string, keys: readonly string[]): string | undefined {
    const raw = this.mergeLeaf(name).properties[property];
    const value = raw?.default;
    return typeof value === 'string' && keys.includes(value) ? value : undefined;
  }

  // ---- emission ----

  private need(name: string): string {
    if (!this.queued.has(name)) {
      this.queued.add(name);
      this.queue.push(name);
    }
    return DEFINITION_PREFIX + name;
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const name = this.queue.shift()!;
      this.definitions.set(name, this.emitComponent(name));
    }
  }

  private emitComponent(name: string): JsonSchema {
    if (name === 'WorkflowStepTemplate') return this.stepDispatch();
    if (this.ownDiscriminator(name)) return this.dispatch(name);
    const schema = this.component(name);
    if (schema.allOf) return this.emitLeaf(name);
    if (this.inputLeaves.has(name)) return this.emitLeaf(name);
    const converted = this.convert(schema);
    if (this.referenceable.has(name) && converted.properties) withNestedReferences(converted.properties);
    return converted;
  }

  private dispatch(name: string): JsonSchema {
    const disc = this.ownDiscriminator(name)!;
    const where = this.inputDispatches.get(name);
    const prop = disc.propertyName;
    const keys = Object.keys(disc.mapping);
    const descriptions = keys.map((k) => this.annotator.discriminatorValue?.(where?.stepType, where?.chain ?? [], prop, k) ?? '');
    const propSchema: JsonSchema = { type: 'string', enum: keys };
    if (descriptions.some((d) => d !== '')) propSchema.markdownEnumDescriptions = descriptions;
    const propDescription = this.annotator.discriminatorProperty?.(where?.stepType, where?.chain ?? [], prop);
    if (propDescription) propSchema.markdownDescription = propDescription;
    const errorMessage = this.annotator.discriminatorErrorMessage?.(where?.stepType, where?.chain ?? [], prop);
    if (errorMessage) propSchema.errorMessage = errorMessage;
    const branches: JsonSchema[] = keys.map((k) => ({
      if: { type: 'object', properties: { [prop]: { const: k } }, required: [prop] },
      then: { $ref: this.need(refName(disc.mapping[k])) },
    }));
    const fallback = this.discriminatorDefault(name, prop, keys);
    if (fallback === undefined) return { type: 'object', properties: { [prop]: propSchema }, required: [prop], allOf: branches };
    // Absent (or null, the contract makes these nullable) means the default: `properties` alone
    // does not demand presence, so this branch matches both.
    propSchema.type = ['string', 'null'];
    propSchema.enum = [...keys, null];
    propSchema.default = fallback;
    branches.push({ if: { type: 'object', properties: { [prop]: { type: 'null' } } }, then: { $ref: this.need(refName(disc.mapping[fallback])) } });
    return { type: 'object', properties: { [prop]: propSchema }, allOf: branches };
  }

  private stepDispatch(): JsonSchema {
    const base = this.dispatch('WorkflowStepTemplate');
    const snippets = this.annotator.stepSnippets?.(this.inputLeaves);
    if (snippets && snippets.length > 0) base.defaultSnippets = snippets;
    return base;
  }

  private emitLeaf(name: string): JsonSchema {
    const merged = this.mergeLeaf(name);
    const input = this.inputLeaves.get(name);
    const isStepLeaf = this.isStepLeaf(name);
    const properties: Record<string, JsonSchema> = {};
    for (const [key, raw] of Object.entries(merged.properties)) {
      let converted = this.convert(raw);
      let description: string | undefined;
      if (input) {
        const discriminating = this.discriminatorProps.get(name)?.has(key) ?? false;
        description = this.annotator.inputProperty?.(input.ctx, key, raw, this.resolve(raw), merged);
        if (discriminating && this.defaultedDiscriminators.get(name)?.has(key)) {
          // Null selects the default, as absence does (the dispatch above reads it so).
          converted = nullable(converted);
        }
        if (!discriminating) {
          // Items of an input array can be references too (e.g. `images: [{ "$ref": "hero", … }]`).
          converted = withReferenceDeep(converted);
        }
      } else if (isStepLeaf) {
        if (key === 'input') converted = withReference(converted);
        description = this.annotator.stepProperty?.(key, converted);
      }
      if (description) converted = { markdownDescription: description, ...converted };
      properties[key] = converted;
    }
    if (!input && !isStepLeaf && this.referenceable.has(name)) withNestedReferences(properties);
    const out: JsonSchema = { type: 'object', properties };
    const defaulted = new Set([...(this.defaultedDiscriminators.get(name) ?? []), ...this.documentedDefaults(name)]);
    const required = this.requestRequired(merged.required, merged.properties, defaulted);
    if (required.length > 0) out.required = required;
    out.additionalProperties = false;
    return out;
  }

  private isStepLeaf(name: string): boolean {
    const schema = this.component(name);
    return (schema.allOf ?? []).some((l) => l.$ref === COMPONENT_PREFIX + 'WorkflowStepTemplate');
  }

  private convertWorkflowTemplate(template: OpenApiSchema): JsonSchema {
    const properties: Record<string, JsonSchema> = {
      $schema: { type: 'string' },
    };
    for (const [key, raw] of Object.entries(template.properties ?? {})) properties[key] = this.convert(raw);
    for (const [key, schema] of Object.entries(properties)) {
      const description = this.annotator.workflowProperty?.(key, schema);
      if (description) properties[key] = { markdownDescription: description, ...schema };
    }
    // `currencies` is required by the contract but every documented example omits it and the
    // service accepts that; requiring it would flag every real workflow.
    const required = (template.required ?? []).filter((r) => r !== 'currencies');
    return { type: 'object', properties, required, additionalProperties: false };
  }

  private referenceDefinition(): JsonSchema {
    const description = this.annotator.referenceDescription?.();
    return {
      ...(description ? { markdownDescription: description } : {}),
      type: 'object',
      properties: {
        $ref: { type: 'string', minLength: 1 },
        path: { type: 'string' },
      },
      required: ['$ref'],
      additionalProperties: false,
      defaultSnippets: [{ label: 'Reference to another step', body: { $ref: '${1:\\$0}', path: '${2:output}' } }],
    };
  }

  /** Converts an inline contract schema; `$ref`s become definitions emitted later. */
  convert(node: OpenApiSchema): JsonSchema {
    if (node.$ref) return { $ref: this.need(refName(node.$ref)) };
    if (node.allOf) {
      const parts = node.allOf.map((p) => this.convert(p));
      const rest = this.convert({ ...node, allOf: undefined });
      if (parts.length === 1 && Object.keys(rest).length === 0) return parts[0];
      return { ...rest, allOf: parts };
    }
    const out: JsonSchema = {};
    if (node.type !== undefined) out.type = node.type;
    if (node.enum !== undefined) {
      out.enum = node.enum;
      // A nullable enum whose list lacks null (an artefact of the contract's generator): the
      // type says null is fine, and an enum without it would refuse it anyway.
      if (Array.isArray(node.type) && node.type.includes('null') && !node.enum.includes(null)) out.enum = [...node.enum, null];
    }
    if (node.const !== undefined) out.const = node.const;
    if (node.format !== undefined && KEPT_FORMATS.has(node.format)) out.format = node.format;
    if (node.default !== undefined) out.default = node.default;
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const) {
      if (node[k] !== undefined) out[k] = node[k];
    }
    if (node.minLength === 0) delete out.minLength; // says nothing
    if (node.pattern !== undefined) out.pattern = node.pattern;
    if (node.uniqueItems) out.uniqueItems = true;
    if (node.readOnly) out.readOnly = true;
    if (node.items) out.items = this.convert(node.items);
    if (node.properties) {
      out.properties = {};
      for (const [k, v] of Object.entries(node.properties)) out.properties[k] = this.convert(v);
    }
    const required = node.required ? this.requestRequired(node.required, node.properties ?? {}) : [];
    if (required.length > 0) out.required = required;
    if (node.additionalProperties !== undefined) {
      const ap = node.additionalProperties;
      if (typeof ap === 'boolean') out.additionalProperties = ap;
      else if (Object.keys(ap).length > 0) out.additionalProperties = this.convert(ap);
    }
    if (node.anyOf) out.anyOf = node.anyOf.map((p) => this.convert(p));
    if (node.oneOf) out.oneOf = node.oneOf.map((p) => this.convert(p));
    return withProseCoercions(node, out);
  }

  /** Resolves `$ref`s to enums so tables and descriptions see the facts. */
  resolve(node: OpenApiSchema): ResolvedProperty {
    const target = node.$ref ? this.component(refName(node.$ref)) : node;
    const out: ResolvedProperty = {};
    if (target.type !== undefined) out.type = target.type;
    if (node.default !== undefined) out.default = node.default;
    else if (target.default !== undefined) out.default = target.default;
    if (target.minimum !== undefined) out.minimum = target.minimum;
    if (target.maximum !== undefined) out.maximum = target.maximum;
    if (target.enum) {
      out.enum = target.enum.filter((v): v is string => typeof v === 'string');
      if (node.$ref) out.enumName = refName(node.$ref);
    }
    if (target.maxLength !== undefined) out.maxLength = target.maxLength;
    if (target.minLength !== undefined && target.minLength > 0) out.minLength = target.minLength;
    if (target.minItems !== undefined) out.minItems = target.minItems;
    if (target.maxItems !== undefined) out.maxItems = target.maxItems;
    if (target.pattern !== undefined) out.pattern = target.pattern;
    return out;
  }
}

/**
 * Leaves repeat their base layers' fields (every step has the same `name`, `priority`…; dozens of
 * inputs share `seed`, `outputFormat`, an AIR-typed `model`). Identical property schemas that
 * occur often enough to pay for the indirection become one definition, named after the property
 * and a hash of its content (stable across runs and contract updates that leave it unchanged).
 */
function hoistSharedProperties(definitions: Map<string, JsonSchema>): void {
  const occurrences = new Map<string, { property: string; count: number }>();
  // Dispatch levels keep their discriminating property inline: it is their whole point.
  const leaves = [...definitions.keys()].sort().filter((n) => definitions.get(n)!.allOf === undefined);
  for (const name of leaves) {
    for (const [property, schema] of Object.entries(definitions.get(name)!.properties ?? {})) {
      if (schema.$ref !== undefined && Object.keys(schema).length === 1) continue;
      const key = JSON.stringify(schema);
      const seen = occurrences.get(key);
      if (seen) seen.count++;
      else occurrences.set(key, { property, count: 1 });
    }
  }
  const hoisted = new Map<string, string>();
  const taken = new Set(definitions.keys());
  for (const [key, { property, count }] of occurrences) {
    if (count < 2) continue;
    const base = property.replace(/[^A-Za-z0-9_.-]/g, '_');
    let name = `${base}.${fnv1a(key).slice(0, 6)}`;
    for (let n = 2; taken.has(name); n++) name = `${base}.${fnv1a(key + n).slice(0, 6)}`;
    const refCost = '{"$ref":"#/definitions/"}'.length + name.length;
    if ((count - 1) * key.length <= count * refCost + 16) continue;
    taken.add(name);
    hoisted.set(key, name);
    definitions.set(name, JSON.parse(key) as JsonSchema);
  }
  for (const name of leaves) {
    const props = definitions.get(name)!.properties;
    if (!props) continue;
    for (const [property, schema] of Object.entries(props)) {
      const target = hoisted.get(JSON.stringify(schema));
      if (target) props[property] = { $ref: DEFINITION_PREFIX + target };
    }
  }
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function withReference(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, { $ref: DEFINITION_PREFIX + REFERENCE_DEFINITION }] };
}

/** The same schema, also accepting null. */
function nullable(schema: JsonSchema): JsonSchema {
  const out = { ...schema };
  const types = out.type === undefined ? [] : Array.isArray(out.type) ? out.type : [out.type];
  if (types.length > 0 && !types.includes('null')) out.type = [...types, 'null'];
  if (out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

/** A value that may be a reference, and so may its items and the members of an inline object. */
function withReferenceDeep(schema: JsonSchema): JsonSchema {
  let out = schema;
  if (out.items && !out.items.$ref?.endsWith('/' + REFERENCE_DEFINITION)) out = { ...out, items: withReferenceDeep(out.items) };
  if (out.properties) {
    const properties = { ...out.properties };
    withNestedReferences(properties);
    out = { ...out, properties };
  }
  return withReference(out);
}

/** Every member of an object inside a step input accepts a reference (the workflows guide). */
function withNestedReferences(properties: Record<string, JsonSchema>): void {
  for (const [key, schema] of Object.entries(properties)) properties[key] = withReferenceDeep(schema);
}

/**
 * Coercions the contract states only in prose, which its JSON shape does not show:
 * - an array "deserialized from a string" (a chat message's `content`) also takes a string;
 * - an object that "supports both camelCase (imageUrl) and snake_case (image_url)" takes both names.
 */
function withProseCoercions(node: OpenApiSchema, out: JsonSchema): JsonSchema {
  const description = node.description ?? '';
  const alias = SNAKE_CASE_ALIAS.exec(description);
  if (alias && out.properties?.[alias[1]] && !out.properties[alias[2]]) out.properties[alias[2]] = out.properties[alias[1]];
  if (out.type === 'array' && STRING_COERCION.test(description)) return { anyOf: [out, { type: 'string' }] };
  return out;
}

const STRING_COERCION = /\bdeserialized from a string\b/i;
const SNAKE_CASE_ALIAS = /camelCase \((\w+)\) and snake_case \((\w+)\)/;

/** "Defaults to false", "Defaults to a random value if left unpopulated": a default stated in prose. */
const PROSE_DEFAULT = /\bdefaults to\b/i;

export function refName(ref: string): string {
  if (!ref.startsWith(COMPONENT_PREFIX)) throw new ContractError(`Unsupported $ref ${ref}`);
  return ref.slice(COMPONENT_PREFIX.length);
}

/** Resolves a contract property against the contract (for callers outside the builder). */
export function resolveProperty(doc: OpenApiDocument, node: OpenApiSchema): ResolvedProperty {
  return new SchemaBuilder(doc, {}).resolve(node);
}
