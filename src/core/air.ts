// AIR URNs (`urn:air:{ecosystem}:{type}:{source}:{id}@{version}`): parsing with the contract's own
// pattern, and what a canonical AIR would add to one the contract merely accepts.

/**
 * The pattern every AIR field of the contract uses (model, vaeModel, diffuserModel, embeddings
 * items). Everything but `source:id` is optional there, so `civitai:123` passes the contract while
 * telling us neither ecosystem, type nor version.
 */
export const CONTRACT_AIR_PATTERN =
  /^(?:urn:)?(?:air:)?(?:(?<ecosystem>[a-zA-Z0-9_\-/]+):)?(?:(?<type>[a-zA-Z0-9_\-/]+):)?(?<source>[a-zA-Z0-9_\-/]+):(?<id>[a-zA-Z0-9_\-/.]+)(?:@(?<version>[a-zA-Z0-9_\-/.=,%+:]+))?(?:\.(?<format>[a-zA-Z0-9_-]+))?$/;

/** Resource kinds a workflow field expects, and the AIR `type` names that denote each. */
export type AirKind = 'checkpoint' | 'lora' | 'embedding' | 'vae';

export const AIR_TYPES_BY_KIND: Readonly<Record<AirKind, readonly string[]>> = {
  checkpoint: ['checkpoint'],
  // LyCORIS, LoCon and DoRA files load through the same `loras` map as plain LoRAs.
  lora: ['lora', 'lycoris', 'locon', 'dora'],
  embedding: ['embedding'],
  vae: ['vae'],
};

export interface ParsedAir {
  readonly raw: string;
  readonly hasUrnPrefix: boolean;
  readonly hasAirPrefix: boolean;
  readonly ecosystem?: string;
  readonly type?: string;
  readonly source: string;
  readonly id: string;
  readonly version?: string;
  readonly format?: string;
}

/** Parses an AIR as the contract does; undefined when the contract's pattern rejects it. */
export function parseAir(value: string): ParsedAir | undefined {
  const match = CONTRACT_AIR_PATTERN.exec(value);
  if (!match?.groups) return undefined;
  const g = match.groups;
  let ecosystem: string | undefined = g.ecosystem;
  let type: string | undefined = g.type;
  // With only one of the two leading parts present the pattern calls it the ecosystem; when it is
  // a resource type name (`urn:air:lora:civitai:1@2`) it is the type that was given.
  if (ecosystem !== undefined && type === undefined && airKindOfType(ecosystem) !== undefined) {
    type = ecosystem;
    ecosystem = undefined;
  }
  return {
    raw: value,
    hasUrnPrefix: value.startsWith('urn:'),
    hasAirPrefix: /^(?:urn:)?air:/.test(value),
    ecosystem: ecosystem?.toLowerCase(),
    type: type?.toLowerCase(),
    source: g.source,
    id: g.id,
    version: g.version,
    format: g.format,
  };
}

export function airKindOfType(type: string | undefined): AirKind | undefined {
  if (type === undefined) return undefined;
  const lower = type.toLowerCase();
  for (const [kind, types] of Object.entries(AIR_TYPES_BY_KIND) as Array<[AirKind, readonly string[]]>) {
    if (types.includes(lower)) return kind;
  }
  return undefined;
}

/** The parts a canonical AIR has and this one lacks, in reading order. */
export function missingAirParts(air: ParsedAir): Array<'urn:air: prefix' | 'ecosystem' | 'type' | 'version'> {
  const missing: Array<'urn:air: prefix' | 'ecosystem' | 'type' | 'version'> = [];
  if (!air.hasUrnPrefix || !air.hasAirPrefix) missing.push('urn:air: prefix');
  if (air.ecosystem === undefined) missing.push('ecosystem');
  if (air.type === undefined) missing.push('type');
  if (air.version === undefined) missing.push('version');
  return missing;
}

/** `urn:air:{ecosystem}:{type}:{source}:{id}@{version}` from whatever parts are known. */
export function formatAir(parts: Omit<ParsedAir, 'raw' | 'hasUrnPrefix' | 'hasAirPrefix'>): string {
  const head = ['urn', 'air', parts.ecosystem, parts.type, parts.source, parts.id].filter((p) => p !== undefined).join(':');
  return head + (parts.version !== undefined ? `@${parts.version}` : '') + (parts.format !== undefined ? `.${parts.format}` : '');
}
