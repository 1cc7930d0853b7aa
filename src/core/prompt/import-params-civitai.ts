// The resources Civitai's site writes into generation parameters:
//   Additional networks: urn:air:sdxl:lora:civitai:1@2*0.8!name, urn:air:sdxl:embedding:civitai:3@4!easyneg
//   Civitai resources: [{"type":"lora","weight":0.8,"modelVersionId":456,"modelName":"…"}, …]
// AIRs are used as they are; version ids without an AIR are looked up through the site API
// (`GET /api/v1/model-versions/{id}`, see src/core/api/site-model-versions.ts) when the caller
// gives a resolver, else listed for the user.
import * as z from '../zod-mini';
import { parseAir } from '../air';

export type ResourceKind = 'checkpoint' | 'lora' | 'embedding' | 'vae' | 'other';

export interface ImportedResource {
  readonly kind: ResourceKind;
  readonly air?: string;
  readonly strength?: number;
  /** The name to show the user. */
  readonly name?: string;
  readonly modelVersionId?: number;
  /** Civitai's base model name, when the source or the site API gave it. */
  readonly baseModel?: string;
}

/** What the site API tells about a model version (only the fields import uses). */
export interface ModelVersionInfo {
  readonly id: number;
  readonly air: string;
  readonly baseModel?: string;
  readonly modelName?: string;
  readonly versionName?: string;
  readonly type?: string;
}

/**
 * Looks model versions up by id; unknown ids are simply absent from the answer. `byHash` (when
 * given) does the same for file hashes as A1111 writes them (`Model hash` AutoV2, `Lora hashes`
 * and `TI hashes` AutoV3), keyed by the lower-cased hash.
 */
export type ModelVersionResolver = ((ids: readonly number[]) => Promise<ReadonlyMap<number, ModelVersionInfo>>) & {
  byHash?: (hashes: readonly string[]) => Promise<ReadonlyMap<string, ModelVersionInfo>>;
};

/** The kind of resource a looked-up version is. */
export function kindOfVersion(info: ModelVersionInfo): ResourceKind {
  return kindOf(parseAir(info.air)?.type ?? info.type);
}

export function kindOf(type: string | undefined): ResourceKind {
  const t = (type ?? '').toLowerCase().replace(/[\s_-]+/g, '');
  if (t === 'checkpoint' || t === 'model') return 'checkpoint';
  if (['lora', 'lycoris', 'locon', 'dora', 'loha', 'lokr'].includes(t)) return 'lora';
  if (['embed', 'embedding', 'textualinversion', 'ti', 'negativeembedding'].includes(t)) return 'embedding';
  if (t === 'vae') return 'vae';
  return 'other';
}

/** `urn:air:…@v*0.8!name` items of an `Additional networks:` value. */
export function parseAdditionalNetworks(value: string): ImportedResource[] {
  const out: ImportedResource[] = [];
  for (const raw of value.split(',')) {
    let item = raw.trim();
    if (!item) continue;
    let name: string | undefined;
    const bang = item.indexOf('!');
    if (bang >= 0) {
      name = item.slice(bang + 1).trim() || undefined;
      item = item.slice(0, bang).trim();
    }
    let strength: number | undefined;
    const star = item.lastIndexOf('*');
    if (star >= 0) {
      const s = Number(item.slice(star + 1));
      if (Number.isFinite(s)) strength = s;
      item = item.slice(0, star).trim();
    }
    const air = parseAir(item);
    if (!air) continue;
    out.push({ kind: kindOf(air.type), air: item, ...(strength !== undefined ? { strength } : {}), ...(name ? { name } : {}) });
  }
  return out;
}

const civitaiResourceSchema = z.looseObject({
  type: z.optional(z.string()),
  air: z.optional(z.string()),
  modelId: z.optional(z.number()),
  modelVersionId: z.optional(z.number()),
  modelName: z.optional(z.string()),
  modelVersionName: z.optional(z.string()),
  weight: z.optional(z.number()),
  baseModel: z.optional(z.string()),
});
const civitaiResourcesSchema = z.array(civitaiResourceSchema);

/** The `Civitai resources` list; undefined when it is not the JSON list it should be. */
export function parseCivitaiResources(raw: string): ImportedResource[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const checked = civitaiResourcesSchema.safeParse(parsed);
  if (!checked.success) return undefined;
  return checked.data.map((r) => {
    const name = [r.modelName, r.modelVersionName].filter(Boolean).join(' ') || undefined;
    return {
      kind: kindOf(r.type),
      ...(r.air ? { air: r.air } : {}),
      ...(r.weight !== undefined ? { strength: r.weight } : {}),
      ...(name ? { name } : {}),
      ...(r.modelVersionId !== undefined ? { modelVersionId: r.modelVersionId } : {}),
      ...(r.baseModel ? { baseModel: r.baseModel } : {}),
    };
  });
}

/** Fills in the AIR (and base model) of resources the resolver found. */
export function withResolved(resources: readonly ImportedResource[], found: ReadonlyMap<number, ModelVersionInfo>): ImportedResource[] {
  return resources.map((r) => {
    if (r.air || r.modelVersionId === undefined) return r;
    const info = found.get(r.modelVersionId);
    if (!info) return r;
    const kind = r.kind === 'other' ? kindOf(parseAir(info.air)?.type ?? info.type) : r.kind;
    const name = r.name ?? ([info.modelName, info.versionName].filter(Boolean).join(' ') || undefined);
    return { ...r, kind, air: info.air, ...(info.baseModel ? { baseModel: info.baseModel } : {}), ...(name ? { name } : {}) };
  });
}

/** Version ids that still need a lookup. */
export function unresolvedVersionIds(resources: readonly ImportedResource[]): number[] {
  return [...new Set(resources.filter((r) => !r.air && r.modelVersionId !== undefined).map((r) => r.modelVersionId!))];
}
