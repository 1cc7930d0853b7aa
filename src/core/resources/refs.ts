// Every AIR a workflow names, with where it is written: checkpoint `model`, the keys of `loras`
// (and of `embeddings` when it is a map), `embeddings` items, `vaeModel`, `diffuserModel`, and
// the other engines' model fields (`diffusionModel`, `checkpointModel`, `t5XXLModel`…), at any
// depth of a step's input. A model field holding a plain name ("klein", "gpt-image-2") is not an
// AIR and is left alone; so are `other`-typed AIRs (training archives are not models).
import { parseAir, type ParsedAir } from '../air';
import type { Range } from '../findings';
import { formatPointer, rangeOf, type JsonNode, type PathSegment, type WorkflowDocument } from '../workflow/document';
import { stepsOf } from '../workflow/steps';

export interface AirReference {
  /** The AIR exactly as written. */
  air: string;
  parsed: ParsedAir;
  /** The field that holds it (`model`, `loras`, `embeddings`, …). */
  field: string;
  stepIndex: number;
  /** JSON Pointer of the value (for a `loras` key, of its strength). */
  pointer: string;
  /** The string node holding the AIR (for map keys, the key). */
  offset: number;
  length: number;
  range: Range;
}

/** Fields whose object keys are AIRs. */
const AIR_KEYED_FIELDS = new Set(['loras', 'embeddings']);
/** Fields whose string items or values are AIRs even without the `urn:air:` prefix. */
const AIR_VALUED_FIELD = /^(model|.*Model|embeddings|air)$/;
/** Bounds: a pathological file yields at most this many references, read at most this deep. */
export const MAX_AIR_REFERENCES = 500;
const MAX_DEPTH = 8;

function airOf(value: string, field: string): ParsedAir | undefined {
  const explicit = /^(?:urn:)?air:/i.test(value);
  if (!explicit && !AIR_VALUED_FIELD.test(field)) return undefined;
  const parsed = parseAir(value);
  if (!parsed || parsed.type === 'other') return undefined;
  return parsed;
}

export function airReferences(doc: WorkflowDocument): AirReference[] {
  const out: AirReference[] = [];
  const add = (node: JsonNode, parsed: ParsedAir, field: string, stepIndex: number, path: PathSegment[]): void => {
    if (out.length >= MAX_AIR_REFERENCES) return;
    out.push({ air: parsed.raw, parsed, field, stepIndex, pointer: formatPointer(path), offset: node.offset, length: node.length, range: rangeOf(doc, node.offset, node.length) });
  };
  const walk = (node: JsonNode, field: string, stepIndex: number, path: PathSegment[], depth: number, keysAreAirs = false): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_AIR_REFERENCES) return;
    if (node.type === 'string') {
      const parsed = airOf(String(node.value), field);
      if (parsed) add(node, parsed, field, stepIndex, path);
      return;
    }
    if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => walk(child, field, stepIndex, [...path, i], depth + 1));
      return;
    }
    if (node.type !== 'object') return;
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || !valueNode) continue;
      const key = String(keyNode.value);
      if (keysAreAirs) {
        const parsed = parseAir(key);
        if (parsed && parsed.type !== 'other') add(keyNode, parsed, field, stepIndex, [...path, key]);
        continue;
      }
      walk(valueNode, key, stepIndex, [...path, key], depth + 1, AIR_KEYED_FIELDS.has(key));
    }
  };
  for (const step of stepsOf(doc)) {
    if (step.input) walk(step.input, 'input', step.index, ['steps', step.index, 'input'], 0);
  }
  return out;
}

/** The reference whose text contains `offset` (for hovers). */
export function airReferenceAt<T extends Pick<AirReference, 'offset' | 'length'>>(refs: readonly T[], offset: number): T | undefined {
  return refs.find((r) => offset >= r.offset && offset <= r.offset + r.length);
}

/** The distinct AIRs, in first-seen order. */
export function distinctAirs(refs: readonly AirReference[]): string[] {
  return [...new Set(refs.map((r) => r.air))];
}
