// Values built from the committed schema: a minimal valid input for any leaf. Shared by the
// contract probes and the fix property test.
import { loadWorkflowSchema } from '../../src/core/schema/load-schema';
import { buildSchemaIndex, readDispatch, type LeafInfo } from '../../src/core/schema/schema-index';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';

const schema = loadWorkflowSchema();
const index = buildSchemaIndex(schema);
const defs = schema.definitions ?? {};
export const CONTRACT_SAMPLES = { schema, index, defs };
const PREFIX = '#/definitions/';
const AIR = 'urn:air:sdxl:checkpoint:civitai:1@2';

export type Json = unknown;

/** A member's own schema: without the reference alternative, shared definitions followed. */
export function resolve(s: JsonSchema | undefined): JsonSchema | undefined {
  for (let i = 0; s && i < 10; i++) {
    if (s.anyOf && s.anyOf.length === 2 && s.anyOf[1].$ref === PREFIX + 'WorkflowReference') s = s.anyOf[0];
    else if (s.$ref?.startsWith(PREFIX) && !readDispatch(s.$ref.slice(PREFIX.length), defs[s.$ref.slice(PREFIX.length)])) s = defs[s.$ref.slice(PREFIX.length)];
    else break;
  }
  return s;
}

function sampleString(s: JsonSchema): string {
  if (s.format === 'uri') return 'https://example.com/probe.png';
  let text = 'x'.repeat(Math.max(1, s.minLength ?? 1));
  if (s.pattern) {
    const re = new RegExp(s.pattern.replace(/\(\?<[a-z]+>/gi, '('));
    for (const candidate of [text, AIR, '#000000']) if (re.test(candidate)) return candidate;
    text = AIR;
  }
  return text;
}

/** A value the schema accepts, built from its required members only. */
export function sample(raw: JsonSchema | undefined, depth = 0): Json {
  const s = resolve(raw);
  if (!s || depth > 12) return null;
  if (s.$ref) {
    const name = s.$ref.slice(PREFIX.length);
    const dispatch = readDispatch(name, defs[name]);
    if (dispatch) {
      const [value, target] = [...dispatch.targets][0];
      return { ...(sample({ $ref: PREFIX + target }, depth + 1) as object), [dispatch.property]: value };
    }
  }
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum.find((v) => v !== null) ?? null;
  if (s.anyOf) return sample(s.anyOf[0], depth + 1);
  if (s.oneOf) return sample(s.oneOf[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number': {
      let n = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      if (s.maximum !== undefined && n > s.maximum) n = s.maximum;
      if (s.multipleOf) n = Math.ceil(n / s.multipleOf) * s.multipleOf;
      return n;
    }
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, depth + 1));
    case 'object': {
      const out: Record<string, Json> = {};
      for (const r of s.required ?? []) out[r] = sample(s.properties?.[r], depth + 1);
      return out;
    }
    default:
      return null;
  }
}

export function leafInput(leaf: LeafInfo): Record<string, Json> {
  const def = defs[leaf.name];
  const input: Record<string, Json> = {};
  for (const r of def.required ?? []) input[r] = sample(def.properties?.[r]);
  for (const c of leaf.chain) input[c.property] = c.value;
  return input;
}

