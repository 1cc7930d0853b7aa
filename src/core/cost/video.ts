// videoGen prices: the video recipes' tables (src/core/ecosystems/video-prices.ts), looked up with
// the step's values or the recipe's defaults.
import { priceMatches } from '../ecosystems/prices';
import { VIDEO_PRICES } from '../ecosystems/video-prices';
import { formatFactor, PREVIEW_COST_HINT, type StepCostEstimate } from './types';
import { resolveValue, type Resolved } from './values';

/** The published price of a videoGen step, or null with the reason. */
export function videoCost(input: Record<string, unknown>, args: unknown, index: number, name: string): StepCostEstimate {
  const fail = (reason: string): StepCostEstimate => ({ index, name, buzz: null, reason });
  const raw = (field: string): Resolved => resolveValue(input[field], args);
  const read = (field: string): string | undefined => {
    const r = raw(field);
    return r.kind === 'value' && (typeof r.value === 'string' || typeof r.value === 'number') ? String(r.value) : undefined;
  };
  const engine = read('engine');
  if (!engine) return fail('The step has no engine.');
  const label = [engine, read('version'), read('model'), read('operation')].filter(Boolean).join(' ');
  const entry = VIDEO_PRICES.find((e) => priceMatches(e.match, read));
  if (!entry) {
    const needs = [...new Set(VIDEO_PRICES.flatMap((e) => (e.match.engine === engine ? Object.keys(e.match).filter((k) => k !== 'engine') : [])))];
    if (needs.length > 0 && needs.every((f) => read(f) === undefined)) return fail(`The ${engine} price depends on ${needs.join(' / ')}, and the step sets none. ${PREVIEW_COST_HINT}`);
    return fail(`No recipe price for ${label} is in the table yet. ${PREVIEW_COST_HINT}`);
  }
  if (entry.price.kind === 'unpublished') return fail(`No published price for ${label}: ${entry.price.why} (recipes/${entry.source}). ${PREVIEW_COST_HINT}`);
  const defaulted: string[] = [];
  /** A key part: the field's value, or its default; `?field` is "yes"/"no". */
  const part = (spec: string): string | undefined => {
    const flag = spec.startsWith('?');
    const field = flag ? spec.slice(1) : spec;
    const r = raw(field);
    if (r.kind === 'step-ref') return flag ? 'yes' : undefined;
    if (r.kind === 'unresolved') return undefined;
    let value: unknown = r.kind === 'value' ? r.value : entry.defaults?.[field];
    if (r.kind === 'absent' && value !== undefined) defaulted.push(field);
    if (flag) {
      if (value === undefined) value = false;
      return value === true || (Array.isArray(value) && value.length > 0) ? 'yes' : 'no';
    }
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  let buzz = 1;
  const parts: string[] = [];
  for (const factor of entry.price.factors) {
    const keyParts = factor.by.map(part);
    const missing = factor.by.find((_, i) => keyParts[i] === undefined);
    if (missing) return fail(`Cannot estimate: ${missing.replace(/^\?/, '')} is not set and the recipe gives no default for it.`);
    const key = keyParts.join('/');
    const value = factor.values[key];
    if (value === undefined) return fail(`recipes/${entry.source} publishes no price for ${factor.by.map((b) => b.replace(/^\?/, '')).join(' / ')} "${key}". ${PREVIEW_COST_HINT}`);
    buzz *= value;
    parts.push(key ? `${formatFactor(value)} (${key})` : formatFactor(value));
  }
  if (entry.price.perSecond) {
    const d = part('duration');
    const seconds = Number(d);
    if (d === undefined || !Number.isFinite(seconds) || seconds <= 0) return fail('Cannot estimate: duration is not a positive number of seconds.');
    buzz *= seconds;
    parts.push(`${formatFactor(seconds)} s`);
  }
  return { index, name, buzz, detail: { kind: 'flat', stepType: `videoGen ${label}`, source: entry.source, formula: parts.join(' × '), defaulted: [...new Set(defaulted)] } };
}
