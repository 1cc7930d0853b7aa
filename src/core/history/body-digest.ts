// A short fingerprint of a workflow body, stored with a run so the editor can tell later whether
// the source file still says the same thing (key order and formatting don't matter).
import { createHash } from 'node:crypto';

export function bodyDigest(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('base64url').slice(0, 32);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && k !== '$schema' && k !== 'externalId')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
