// The hover on an AIR: what the service says it names (name, version, type, size, format),
// whether it can run now (availability) and what stands in the way (restrictions, fees). Markdown
// any adapter can show (VS Code hover, a language server).
import type { ResourceInfo } from '../api/schemas';
import { judgeResource, NOT_FOUND_MESSAGE } from './findings';
import type { AirReference } from './refs';
import type { ResourceLookup } from './resolver';

function bytes(n: number | undefined): string | undefined {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function availabilityText(info: ResourceInfo): string {
  const a = info.availability;
  if (!a) return 'not reported';
  switch (a.status) {
    case 'available':
      return `available${typeof a.workers === 'number' ? ` on ${a.workers} worker${a.workers === 1 ? '' : 's'}` : ''}`;
    case 'loading':
      return `loading${typeof a.progress === 'number' ? ` ${Math.round(a.progress * 100)} %` : ''}${typeof a.etaSeconds === 'number' ? `, about ${a.etaSeconds} s left` : ''}`;
    case 'unavailable':
      return `not loaded${typeof a.queuePosition === 'number' ? `, queue position ${a.queuePosition}` : ''}`;
    case 'unsupported':
      return 'unsupported';
    default:
      return a.status;
  }
}

/** Names come from the service: markdown and HTML in them are shown as text. */
const escape = (s: string): string => s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);

/** Markdown for a hover on `ref`; `offReason` when resolution is off, no lookup yet otherwise. */
export function resourceHoverMarkdown(ref: AirReference, lookup: ResourceLookup | undefined, options: { offReason?: string; now?: number } = {}): string {
  const kind = [ref.parsed.ecosystem, ref.parsed.type].filter(Boolean).join(' ');
  const head = `**${kind ? escape(kind) : 'Resource'}** \`${ref.air}\``;
  if (options.offReason) return `${head}\n\n${escape(options.offReason)}`;
  if (!lookup) return `${head}\n\nChecking with the service…`;
  if (lookup.status === 'not-found') return `${head}\n\n**${escape(NOT_FOUND_MESSAGE)}**.`;
  if (lookup.status === 'error') return `${head}\n\nCould not check it with the service: ${escape(lookup.message)}`;
  const info = lookup.info;
  // The title names the resource and its version; the list says what it is and whether it runs.
  const name = info.resourceName?.trim() || ref.air;
  const version = info.versionName?.trim();
  const lines = [`**${escape(name)}**${version ? ` · ${escape(version)}` : ''}`, ''];
  const facts: Array<[string, string | undefined]> = [
    ['Type', [ref.parsed.type, ref.parsed.ecosystem].filter(Boolean).join(', ') || undefined],
    ['Size', bytes(info.size)],
    ['Format', info.fileFormat],
    ['Availability', availabilityText(info)],
  ];
  for (const [label, value] of facts) if (value) lines.push(`- ${label}: ${escape(value)}`);
  const restrictions = judgeResource(ref.air, lookup, options.now ?? Date.now()).map((j) => j.message);
  if (info.hasMatureContentRestriction) restrictions.push('mature content is not generated with it');
  if (info.hasNSFWContentRestriction) restrictions.push('only safe-for-work content is generated with it');
  lines.push(`- Restrictions: ${restrictions.length ? restrictions.map(escape).join('; ') : 'none'}`);
  lines.push('', `\`${ref.air}\``);
  return lines.join('\n');
}
