// Minimal valid step bodies generated from the workflow schema (itself generated from the
// contract): for each step type, only the required members, each with the smallest value its
// schema allows (first enum member, minimum, minItems…). Nobody on the team picks the values, so
// the emulator is tried on what the contract says, not on what we expect it to receive.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodePng } from '../../src/core/png';

type Schema = Record<string, unknown>;

const schemaPath = path.join(__dirname, '..', '..', 'schemas', 'workflow.schema.json');
const root = JSON.parse(readFileSync(schemaPath, 'utf8')) as { definitions: Record<string, Schema> };
const defs = root.definitions;

/** A small real PNG as a data URL: what the generator puts where a URI is asked for. */
export const PROBE_PNG = `data:image/png;base64,${Buffer.from(encodePng({ width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3).fill(90) })).toString('base64')}`;

/** Strings tried, in order, against a `pattern` (AIR, time span, ratio, plain words…). */
const PATTERN_CANDIDATES = [
  'urn:air:sdxl:checkpoint:civitai:101055@128078',
  'urn:air:sdxl:lora:civitai:101055@128078',
  'civitai:101055@128078',
  '00:00:30',
  '1:1',
  '16:9',
  'en',
  'a',
  'sample',
  '1',
  '#ffffff',
  'https://example.com/a.png',
];

function resolve(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 32 && typeof s.$ref === 'string'; i++) {
    const name = (s.$ref as string).replace('#/definitions/', '');
    s = defs[name];
  }
  return s;
}

const isReference = (s: Schema): boolean => typeof s.$ref === 'string' && (s.$ref as string).endsWith('/WorkflowReference');

function typesOf(s: Schema): string[] {
  if (Array.isArray(s.type)) return (s.type as string[]).filter((t) => t !== 'null');
  return typeof s.type === 'string' ? [s.type] : [];
}

/** Whether `value` satisfies an `if` made of property consts / enums (all the generated schema uses). */
function matchesIf(cond: Schema, value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const props = (cond.properties ?? {}) as Record<string, Schema>;
  const required = (cond.required ?? []) as string[];
  for (const k of required) if (!(k in (value as Record<string, unknown>))) return false;
  for (const [k, p] of Object.entries(props)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if ('const' in p && p.const !== v) return false;
    if (Array.isArray(p.enum) && !p.enum.includes(v)) return false;
  }
  return true;
}

function generateString(s: Schema, name: string): string {
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern as string, 'u');
    const hit = PATTERN_CANDIDATES.find((c) => re.test(c));
    if (hit) return hit;
  }
  // A media field gets a real (tiny) image: any string is contract-valid there, but only a
  // readable file is meaningful to a service that transforms it.
  if (s.format === 'uri' || /url$|image|video|media|source/i.test(name)) return PROBE_PNG;
  if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (s.format === 'date-span' || s.format === 'duration') return '00:00:30';
  const min = typeof s.minLength === 'number' ? s.minLength : 1;
  return 'a'.repeat(Math.max(1, min));
}

function generateNumber(s: Schema, integer: boolean): number {
  let n = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 0.5) : 1;
  if (typeof s.maximum === 'number') n = Math.min(n, s.maximum);
  if (typeof s.multipleOf === 'number') n = Math.ceil(n / s.multipleOf) * s.multipleOf;
  return integer ? Math.ceil(n) : n;
}

/** The smallest value `schema` accepts (as far as this generator knows). */
export function generate(schema: Schema, name = '', depth = 0): unknown {
  if (depth > 40) throw new Error(`schema nests too deeply at ${name}`);
  const s = resolve(schema);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum.find((v) => v !== null);
  const choices = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (choices && !s.type && !s.properties) {
    const pick = choices.find((c) => !isReference(c) && typesOf(resolve(c)).length + (resolve(c).properties ? 1 : 0) + (resolve(c).allOf ? 1 : 0) + ('const' in resolve(c) ? 1 : 0) + (resolve(c).enum ? 1 : 0) > 0)
      ?? choices.find((c) => !isReference(c));
    if (pick) return generate(pick, name, depth + 1);
  }
  if (typeof s.default !== 'undefined' && s.default !== null && typeof s.default !== 'object') return s.default;
  const types = typesOf(s);
  const type = types[0] ?? (s.properties || s.allOf || s.required ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of (s.required ?? []) as string[]) {
        out[key] = generate(props[key] ?? (typeof s.additionalProperties === 'object' ? (s.additionalProperties as Schema) : { type: 'string' }), key, depth + 1);
      }
      for (const part of (s.allOf ?? []) as Schema[]) {
        const p = resolve(part);
        if (p.if) {
          if (matchesIf(p.if as Schema, out) && p.then) Object.assign(out, generate(p.then as Schema, name, depth + 1) as object);
        } else {
          Object.assign(out, generate(p, name, depth + 1) as object);
        }
      }
      return out;
    }
    case 'array': {
      const count = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: count }, () => generate((s.items ?? {}) as Schema, name, depth + 1));
    }
    case 'string':
      return generateString(s, name);
    case 'integer':
      return generateNumber(s, true);
    case 'number':
      return generateNumber(s, false);
    case 'boolean':
      return false;
    default:
      return 'a';
  }
}

/** Every step type the workflow schema defines, with its template's definition. */
export function stepTemplates(): Array<{ type: string; template: Schema }> {
  return Object.entries(defs)
    .filter(([name, d]) => name.endsWith('StepTemplate') && name !== 'WorkflowStepTemplate' && Array.isArray(((d.properties as Record<string, Schema> | undefined)?.$type)?.enum))
    .map(([, d]) => ({ type: (((d.properties as Record<string, Schema>).$type).enum as string[])[0], template: d }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

/** One minimal valid step of `type`: `{ $type, input }`. */
export function minimalStep(type: string): Record<string, unknown> {
  const found = stepTemplates().find((t) => t.type === type);
  if (!found) throw new Error(`no step template for ${type}`);
  const input = (found.template.properties as Record<string, Schema>).input;
  return { $type: type, input: generate(input, 'input') };
}
