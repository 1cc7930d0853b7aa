// Pretty JSON whose key order does not depend on how the object was built: schema keywords in a
// fixed, readable order, everything else (property names, definitions, snippet bodies) as
// inserted by a deterministic builder. Small objects and arrays stay on one line (like prettier),
// which keeps the generated schema readable at a third of the size of a fully indented one.

const KEYWORD_ORDER = [
  '$schema', '$id', '$ref', '$comment', 'title', 'description', 'markdownDescription',
  'type', 'const', 'enum', 'markdownEnumDescriptions', 'format', 'default',
  'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'items',
  'properties', 'required', 'additionalProperties', 'readOnly',
  'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else',
  'errorMessage', 'deprecationMessage', 'defaultSnippets', 'definitions',
];
const RANK = new Map(KEYWORD_ORDER.map((k, i) => [k, i]));

/** Keys whose value is a map of user names, not a schema: keep their insertion order. */
const NAME_MAPS = new Set(['properties', 'definitions']);
/** Keys whose value is data, not schema: keep it exactly as built. */
const DATA = new Set(['default', 'const', 'enum', 'defaultSnippets', 'examples']);

const MAX_LINE = 110;

function order(value: unknown, parentKey: string | undefined): unknown {
  if (parentKey !== undefined && DATA.has(parentKey)) return value;
  if (Array.isArray(value)) return value.map((v) => order(v, undefined));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const isNameMap = parentKey !== undefined && NAME_MAPS.has(parentKey);
  if (!isNameMap) {
    entries.sort(([a], [b]) => (RANK.get(a) ?? 1000) - (RANK.get(b) ?? 1000) || (a < b ? -1 : a > b ? 1 : 0));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = order(v, isNameMap ? undefined : k);
  return out;
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

function print(value: unknown, indent: string, prefixLength: number): string {
  const flat = inline(value);
  if (value === null || typeof value !== 'object' || indent.length + prefixLength + flat.length <= MAX_LINE) return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + print(v, inner, 0)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const body = entries.map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + print(v, inner, key.length);
  });
  return `{\n${body.join(',\n')}\n${indent}}`;
}

export function stableStringify(value: unknown): string {
  return print(order(value, undefined), '', 0);
}
