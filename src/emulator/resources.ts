// The emulator's resource catalog for GET /v2/resources/{air}: every AIR the recipes' request
// bodies name (generated list), answered as available and usable, plus one resource per
// restriction the contract can report, so clients can be tested against each. Anything else is
// 404, as the service answers an AIR it does not know. Names, sizes and versions are synthetic
// (derived from the AIR), never real model data.
import { parseAir } from '../core/air';
import { RECIPE_AIRS } from './recipe-airs.generated';

/** AIRs that answer with one restriction each (documented in docs/emulator.md). */
export const RESTRICTED_TEST_AIRS = {
  cannotGenerate: 'urn:air:sdxl:lora:civitai:900001@900001',
  permission: 'urn:air:sdxl:lora:civitai:900002@900002',
  earlyAccess: 'urn:air:sdxl:lora:civitai:900003@900003',
  loading: 'urn:air:sdxl:lora:civitai:900004@900004',
  queued: 'urn:air:sdxl:lora:civitai:900005@900005',
  unsupported: 'urn:air:sdxl:checkpoint:civitai:900006@900006',
} as const;

/** An AIR guaranteed to be unknown (404), for tests and the docs. */
export const UNKNOWN_TEST_AIR = 'urn:air:sdxl:checkpoint:civitai:999999@999999';

const TYPE_LABEL: Record<string, string> = { checkpoint: 'Checkpoint', lora: 'LoRA', diffuser: 'Diffuser', vae: 'VAE', embedding: 'Embedding' };
const TYPE_SIZE: Record<string, number> = { checkpoint: 6_938_078_334, diffuser: 11_901_517_164, lora: 228_462_212, vae: 334_641_164, embedding: 25_323 };

/** "urn:air:sdxl:lora:civitai:1@2" and "air:sdxl:lora:civitai:1@2" name the same resource. */
function catalogKey(air: string): string {
  return air.replace(/^urn:/i, '').replace(/^air:/i, '').toLowerCase();
}

function baseInfo(air: string): Record<string, unknown> {
  const parsed = parseAir(air);
  const type = parsed?.type ?? 'checkpoint';
  const ecosystem = parsed?.ecosystem ?? 'unknown';
  return {
    air,
    resourceName: `Emulator ${TYPE_LABEL[type] ?? type} ${parsed?.id ?? '?'} (${ecosystem})`,
    versionName: `v${parsed?.version ?? '1'}`,
    size: TYPE_SIZE[type] ?? 100_000_000,
    hashes: { SHA256: (parsed?.id ?? '0').padStart(64, '0').slice(-64) },
    downloadUrls: [],
    fileFormat: 'safeTensor',
    canGenerate: true,
    checkPermission: false,
    hasMatureContentRestriction: false,
    hasNSFWContentRestriction: false,
    availability: { status: 'available', workers: 3 },
  };
}

function restricted(now: number): Record<string, Record<string, unknown>> {
  const r = RESTRICTED_TEST_AIRS;
  const fee = { amount: 25, type: 'perImageBuzz', settlementCurrency: 'buzz' };
  return {
    [r.cannotGenerate]: { ...baseInfo(r.cannotGenerate), canGenerate: false },
    [r.permission]: { ...baseInfo(r.permission), checkPermission: true, fee },
    [r.earlyAccess]: { ...baseInfo(r.earlyAccess), earlyAccessEndsAt: new Date(now + 7 * 86_400_000).toISOString(), fee: { ...fee, amount: 10 } },
    [r.loading]: { ...baseInfo(r.loading), availability: { status: 'loading', progress: 0.4, workers: 0, etaSeconds: 120 } },
    [r.queued]: { ...baseInfo(r.queued), availability: { status: 'unavailable', queuePosition: 3 } },
    [r.unsupported]: { ...baseInfo(r.unsupported), availability: { status: 'unsupported' } },
  };
}

/** The catalog's answer for an AIR (as the service's `ResourceInfo`), or undefined for 404. */
export function lookupResource(air: string, now: number): Record<string, unknown> | undefined {
  const key = catalogKey(air);
  const special = Object.entries(restricted(now)).find(([a]) => catalogKey(a) === key);
  if (special) return { ...special[1], air };
  const known = RECIPE_AIRS.find((a) => catalogKey(a) === key);
  return known ? { ...baseInfo(known), air } : undefined;
}
