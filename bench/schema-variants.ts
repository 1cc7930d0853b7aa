// Alternative shapes of the contributed schema, built in memory from the shipped one, to see what
// its shape costs VS Code's own validation (vscode-json-languageservice runs it on every change
// of a *.civitai.json file):
//   - shipped:       discriminators as if/then, one level per discriminator (step $type →
//                    engine → ecosystem → operation), property schemas hoisted into shared $refs;
//   - oneOf:         every dispatch as a plain oneOf of its targets (what the OpenAPI contract's
//                    discriminated unions become without if/then): every branch is validated;
//   - flatDispatch:  nested dispatch levels collapsed into one if/then per leaf whose `if` checks
//                    all discriminators at once (depth 1 instead of 3 below the step type);
//   - inlinedProps:  shared property definitions copied back into each leaf ($ref depth 0).
import type { JsonSchema } from '../src/core/schema/json-schema-types';
import { readDispatch } from '../src/core/schema/schema-index';

export type SchemaVariantName = 'shipped' | 'oneOf' | 'flatDispatch' | 'inlinedProps';
export const SCHEMA_VARIANTS: readonly SchemaVariantName[] = ['shipped', 'oneOf', 'flatDispatch', 'inlinedProps'];

const PREFIX = '#/definitions/';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function dispatchesOf(schema: JsonSchema): Map<string, { property: string; targets: Map<string, string> }> {
  const out = new Map<string, { property: string; targets: Map<string, string> }>();
  for (const [name, def] of Object.entries(schema.definitions ?? {})) {
    const d = readDispatch(name, def);
    if (d) out.set(name, d);
  }
  return out;
}

/**
 * A fresh copy in the requested shape. Always a copy: the JSON language service resolves `$ref`s
 * in place in the schema object it is given, so two services must never share one.
 */
export function buildSchemaVariant(shipped: JsonSchema, variant: SchemaVariantName): JsonSchema {
  const schema = clone(shipped);
  if (variant === 'shipped') return schema;
  const defs = schema.definitions ?? {};
  const dispatches = dispatchesOf(schema);

  if (variant === 'oneOf') {
    for (const [name, d] of dispatches) {
      const def = defs[name];
      delete def.allOf;
      def.oneOf = [...d.targets.values()].map((t) => ({ $ref: PREFIX + t }));
    }
    return schema;
  }

  if (variant === 'flatDispatch') {
    type Path = { conditions: Array<[string, string]>; leaf: string };
    const leafPaths = (name: string, seen: Set<string>): Path[] => {
      const d = dispatches.get(name);
      if (!d || seen.has(name)) return [{ conditions: [], leaf: name }];
      const next = new Set(seen).add(name);
      return [...d.targets].flatMap(([value, target]) =>
        leafPaths(target, next).map((p) => ({ conditions: [[d.property, value] as [string, string], ...p.conditions], leaf: p.leaf })),
      );
    };
    const flattened = new Map<string, JsonSchema[]>();
    for (const name of dispatches.keys()) {
      flattened.set(
        name,
        leafPaths(name, new Set()).map((p) => ({
          if: {
            type: 'object',
            properties: Object.fromEntries(p.conditions.map(([prop, value]) => [prop, { const: value }])),
            required: p.conditions.map(([prop]) => prop),
          },
          then: { $ref: PREFIX + p.leaf },
        })),
      );
    }
    for (const [name, allOf] of flattened) defs[name].allOf = allOf;
    return schema;
  }

  // inlinedProps: the generator hoists repeated property schemas into definitions named
  // `<property>.<hash>`; put a copy back wherever one is referenced.
  const shared = new Set(Object.keys(defs).filter((n) => /\.[0-9a-f]{6}$/.test(n)));
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (node === null || typeof node !== 'object') return node;
    const obj = node as Record<string, unknown>;
    const ref = obj.$ref;
    if (typeof ref === 'string' && ref.startsWith(PREFIX) && shared.has(ref.slice(PREFIX.length)) && Object.keys(obj).length === 1) {
      return inline(clone(defs[ref.slice(PREFIX.length)]));
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = k === 'enum' || k === 'const' || k === 'default' || k === 'defaultSnippets' ? v : inline(v);
    return out;
  };
  const result = { ...schema, definitions: {} as Record<string, JsonSchema> };
  for (const [name, def] of Object.entries(defs)) {
    if (!shared.has(name)) result.definitions[name] = inline(def) as JsonSchema;
  }
  for (const [k, v] of Object.entries(schema)) if (k !== 'definitions') (result as Record<string, unknown>)[k] = inline(v);
  return result;
}

/** Nesting of dispatch levels below a definition (the shipped imageGen input: 3). */
export function dispatchDepth(schema: JsonSchema, name: string): number {
  const dispatches = dispatchesOf(schema);
  const depth = (n: string, seen: Set<string>): number => {
    const d = dispatches.get(n);
    if (!d || seen.has(n)) return 0;
    const next = new Set(seen).add(n);
    return 1 + Math.max(0, ...[...d.targets.values()].map((t) => depth(t, next)));
  };
  return depth(name, new Set());
}
