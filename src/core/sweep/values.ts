// Axis values as people type them in A1111's X/Y/Z plot and SwarmUI's grid generator:
//   "4,6,8"            a list (numbers stay numbers, anything else is a string)
//   "10-30 (+10)"      a range with an increment ("(10)" works too)
//   "0.4-1.0 [4]"      a range with a count of evenly spaced values
//   "1-4"              a range of integers, step 1
//   "832x1216,1024x1024" sizes (width × height pairs)
// Ranges are capped so a typo ("1-1000000") is one clear message, not a million cells.

export const MAX_AXIS_VALUES = 1000;

export type AxisValue = number | string | { width: number; height: number };

export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
}

const NUMBER = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)`;
const RANGE = new RegExp(String.raw`^(${NUMBER})\s*-\s*(${NUMBER})(?:\s*\(\s*\+?\s*(${NUMBER})\s*\)|\s*\[\s*(\d+)\s*\])?$`);
const SIZE = /^(\d+)\s*[x×]\s*(\d+)$/i;

/** Parses one axis's values: a JSON array as is, or the A1111-style text above. */
export function parseAxisValues(spec: string | readonly unknown[]): AxisValue[] {
  const values = typeof spec === 'string' ? parseText(spec) : spec.map(checkValue);
  if (values.length === 0) throw new SweepSpecError('an axis needs at least one value');
  if (values.length > MAX_AXIS_VALUES) throw new SweepSpecError(`an axis has ${values.length} values; at most ${MAX_AXIS_VALUES}`);
  return values;
}

function checkValue(value: unknown): AxisValue {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return parseItem(value);
  if (value && typeof value === 'object' && typeof (value as { width?: unknown }).width === 'number'
    && typeof (value as { height?: unknown }).height === 'number') {
    const { width, height } = value as { width: number; height: number };
    return { width, height };
  }
  throw new SweepSpecError(`axis value ${JSON.stringify(value)} is not a number, a string or {width, height}`);
}

function parseText(text: string): AxisValue[] {
  const out: AxisValue[] = [];
  for (const raw of splitList(text)) {
    const item = raw.trim();
    if (!item) continue;
    const range = RANGE.exec(item);
    if (range) out.push(...expandRange(item, Number(range[1]), Number(range[2]), range[3], range[4]));
    else out.push(parseItem(item));
    if (out.length > MAX_AXIS_VALUES) throw new SweepSpecError(`"${text.slice(0, 60)}" gives more than ${MAX_AXIS_VALUES} values`);
  }
  return out;
}

/** Splits on commas, except inside double quotes (a prompt replacement may contain a comma). */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseItem(item: string): AxisValue {
  const size = SIZE.exec(item);
  if (size) return { width: Number(size[1]), height: Number(size[2]) };
  if (new RegExp(`^${NUMBER}$`).test(item)) return Number(item);
  return item;
}

function expandRange(item: string, from: number, to: number, increment?: string, count?: string): number[] {
  if (count !== undefined) {
    const n = Number(count);
    if (n < 1) throw new SweepSpecError(`"${item}": a count must be at least 1`);
    if (n > MAX_AXIS_VALUES) throw new SweepSpecError(`"${item}" asks for ${n} values; at most ${MAX_AXIS_VALUES}`);
    if (n === 1) return [from];
    return Array.from({ length: n }, (_, i) => tidy(from + ((to - from) * i) / (n - 1)));
  }
  const step = increment !== undefined ? Math.abs(Number(increment)) : 1;
  if (step === 0) throw new SweepSpecError(`"${item}": the increment cannot be 0`);
  const direction = to >= from ? 1 : -1;
  const n = Math.floor(Math.abs(to - from) / step + 1e-9) + 1;
  if (n > MAX_AXIS_VALUES) throw new SweepSpecError(`"${item}" gives ${n} values; at most ${MAX_AXIS_VALUES}`);
  return Array.from({ length: n }, (_, i) => tidy(from + direction * step * i));
}

/** 0.1 + 0.2 → 0.3: axis values are typed by people, so they stay short decimals. */
function tidy(value: number): number {
  return Number(value.toFixed(6));
}

/** How a value reads in labels and step names ("7", "euler", "832x1216"). */
export function formatAxisValue(value: AxisValue): string {
  if (typeof value === 'object') return `${value.width}x${value.height}`;
  return String(value);
}
