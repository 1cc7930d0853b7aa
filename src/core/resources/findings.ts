// What the service's answer about each AIR means for the person about to pay: findings on the
// AIR's text (one per reference), in the same shape as the linter's, so every adapter shows them
// alike. Codes are documented in docs/rules.md ("Resources resolved with the service").
import type { ResourceFee, ResourceInfo } from '../api/schemas';
import type { Finding, Severity } from '../findings';
import type { AirReference } from './refs';
import type { ResourceLookup } from './resolver';

export const RESOURCE_CODES = {
  notFound: 'resource-not-found',
  cannotGenerate: 'resource-cannot-generate',
  unsupported: 'resource-unsupported',
  permission: 'resource-permission-required',
  earlyAccess: 'resource-early-access',
  loading: 'resource-loading',
  queued: 'resource-queued',
} as const;

/** The 404 message: the reason resolving matters at all. */
export const NOT_FOUND_MESSAGE = 'no such resource: the service would run its default model and bill you';

/** Codes that make `submit` refuse (an unknown or unusable resource). */
export const BLOCKING_RESOURCE_CODES: ReadonlySet<string> = new Set([RESOURCE_CODES.notFound, RESOURCE_CODES.cannotGenerate, RESOURCE_CODES.unsupported]);

/** "Pony XL (v6)" or the AIR when the service gives no name. */
export function resourceLabel(info: ResourceInfo): string {
  const name = info.resourceName?.trim();
  if (!name) return info.air;
  return info.versionName?.trim() ? `${name} (${info.versionName.trim()})` : name;
}

function feeText(info: ResourceInfo): string {
  const fees: ResourceFee[] = info.fees && info.fees.length > 0 ? info.fees : info.fee ? [info.fee] : [];
  if (fees.length === 0) return '';
  const parts = fees.map((f) => {
    const unit = f.type === 'perImageBuzz' ? 'Buzz per image' : f.type;
    const currency = f.settlementCurrency && f.settlementCurrency !== 'buzz' ? ` (settled in ${f.settlementCurrency})` : '';
    return `${f.amount} ${unit}${currency}`;
  });
  return `; fee: ${parts.join(' + ')} on top of the generation`;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

interface Judgement {
  code: string;
  severity: Severity;
  message: string;
}

/** What one answer means, independent of where the AIR is written. */
export function judgeResource(air: string, lookup: ResourceLookup, now: number): Judgement[] {
  if (lookup.status === 'not-found') return [{ code: RESOURCE_CODES.notFound, severity: 'error', message: `${NOT_FOUND_MESSAGE} (${air})` }];
  if (lookup.status === 'error') return [];
  const info = lookup.info;
  const label = resourceLabel(info);
  const out: Judgement[] = [];
  if (!info.canGenerate) {
    out.push({ code: RESOURCE_CODES.cannotGenerate, severity: 'error', message: `${label} cannot be used to generate (canGenerate: false): the service would refuse it or run without it` });
  }
  const availability = info.availability;
  if (availability?.status === 'unsupported') {
    out.push({ code: RESOURCE_CODES.unsupported, severity: 'error', message: `${label} is not supported by any worker of the service` });
  }
  const earlyAccessEnds = info.earlyAccessEndsAt ? Date.parse(info.earlyAccessEndsAt) : NaN;
  const inEarlyAccess = Number.isFinite(earlyAccessEnds) && earlyAccessEnds > now;
  if (inEarlyAccess) {
    out.push({ code: RESOURCE_CODES.earlyAccess, severity: 'warning', message: `${label} is in early access until ${new Date(earlyAccessEnds).toISOString().slice(0, 10)}${feeText(info)}` });
  }
  if (info.checkPermission || info.requiresAuthorization) {
    out.push({ code: RESOURCE_CODES.permission, severity: 'warning', message: `${label} needs permission to use${inEarlyAccess ? '' : feeText(info)}` });
  }
  if (availability?.status === 'loading') {
    const progress = typeof availability.progress === 'number' ? ` (${Math.round(availability.progress * 100)} %)` : '';
    const eta = typeof availability.etaSeconds === 'number' ? `, ready in about ${duration(availability.etaSeconds)}` : '';
    out.push({ code: RESOURCE_CODES.loading, severity: 'info', message: `${label} is loading onto the service's workers${progress}${eta}: the first run waits for it` });
  } else if (availability?.status === 'unavailable') {
    const position = typeof availability.queuePosition === 'number' ? ` at queue position ${availability.queuePosition}` : '';
    out.push({ code: RESOURCE_CODES.queued, severity: 'info', message: `${label} is not loaded on any worker yet; it is queued${position}: the first run waits for it` });
  }
  return out;
}

/** Findings for every reference whose AIR has an answer. */
export function resourceFindings(refs: readonly AirReference[], lookups: ReadonlyMap<string, ResourceLookup>, now: number = Date.now()): Finding[] {
  const out: Finding[] = [];
  const judged = new Map<string, Judgement[]>();
  for (const ref of refs) {
    const lookup = lookups.get(ref.air);
    if (!lookup) continue;
    let judgements = judged.get(ref.air);
    if (!judgements) {
      judgements = judgeResource(ref.air, lookup, now);
      judged.set(ref.air, judgements);
    }
    for (const j of judgements) out.push({ ...j, pointer: ref.pointer, offset: ref.offset, length: ref.length, range: ref.range });
  }
  return out;
}

/** Why resolution is off, said once per session by each adapter; undefined when it is on. */
export function resolutionOffReason(hasToken: boolean): string | undefined {
  if (hasToken) return undefined;
  return 'AIR resolution is off: GET /v2/resources needs an API token, and none is set. Set one (Civitai: Set API Token, or CIVITAI_API_TOKEN for the CLI) or use the local emulator to check that every model and LoRA exists before paying.';
}
