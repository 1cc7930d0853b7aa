// Applying findings' fixes to a text: one pass that never applies two fixes whose edits collide
// (the later one waits for the next pass, as `eslint --fix` does), and a bounded loop until stable.
import type { Finding, Fix, TextEdit } from './findings';

export interface AppliedFix {
  code: string;
  pointer: string;
  title: string;
}

export interface ApplyFixesResult {
  text: string;
  applied: AppliedFix[];
  /** Fixes left out because they collided with one applied earlier in the pass. */
  deferred: AppliedFix[];
}

/** The fix `lint --fix` and "fix all" apply: the one marked preferred, and only that one. */
export function preferredFix(finding: Finding): Fix | undefined {
  return finding.fixes?.find((f) => f.isPreferred);
}

/** Applies non-overlapping edits (offsets refer to the original text). Throws on overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  for (let i = 1; i < sorted.length; i++) {
    if (editsConflict(sorted[i - 1], sorted[i])) throw new Error('Overlapping edits');
  }
  let out = text;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const e = sorted[i];
    out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  }
  return out;
}

export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

/**
 * Two edits conflict when their ranges overlap, or when one inserts where the other starts
 * (which would go first is ambiguous). Touching ranges are fine.
 */
export function editsConflict(a: TextEdit, b: TextEdit): boolean {
  const aEnd = a.offset + a.length;
  const bEnd = b.offset + b.length;
  if (a.offset < bEnd && b.offset < aEnd) return true;
  if (a.offset === b.offset && (a.length === 0 || b.length === 0)) return true;
  return false;
}

function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => e.offset === b[i].offset && e.length === b[i].length && e.newText === b[i].newText);
}

/**
 * One pass: applies the chosen fix of each finding (by default its preferred fix), skipping any
 * whose edits collide with a fix already taken. Identical fixes offered by several findings are
 * applied once. Offsets in `findings` must refer to `text`.
 */
export function applyFixes(
  text: string,
  findings: readonly Finding[],
  choose: (finding: Finding) => Fix | undefined = preferredFix,
): ApplyFixesResult {
  const candidates = findings
    .map((finding) => ({ finding, fix: choose(finding) }))
    .filter((c): c is { finding: Finding; fix: Fix } => c.fix !== undefined && c.fix.edits.length > 0)
    .map((c) => ({ ...c, edits: [...c.fix.edits].sort((a, b) => a.offset - b.offset || a.length - b.length) }))
    .sort((a, b) => a.edits[0].offset - b.edits[0].offset);

  const taken: TextEdit[] = [];
  const takenFixes: TextEdit[][] = [];
  const applied: AppliedFix[] = [];
  const deferred: AppliedFix[] = [];
  for (const c of candidates) {
    const record = { code: c.finding.code, pointer: c.finding.pointer, title: c.fix.title };
    if (takenFixes.some((edits) => sameEdits(edits, c.edits))) continue;
    const selfOverlap = c.edits.some((e, i) => i > 0 && editsConflict(c.edits[i - 1], e));
    const clash = c.edits.some((e) => taken.some((t) => editsConflict(t, e)));
    if (selfOverlap || clash || c.edits.some((e) => e.offset < 0 || e.offset + e.length > text.length)) {
      deferred.push(record);
      continue;
    }
    taken.push(...c.edits);
    takenFixes.push(c.edits);
    applied.push(record);
  }
  return { text: applyEdits(text, taken), applied, deferred };
}

export interface FixUntilStableResult {
  text: string;
  applied: AppliedFix[];
  /** Findings of the final text. */
  findings: Finding[];
  passes: number;
}

/**
 * Lints, applies preferred fixes, and repeats until no fix applies or `maxPasses` is reached
 * (the bound protects against two fixes that undo each other).
 */
export function fixUntilStable(
  text: string,
  lint: (text: string) => Finding[],
  options: { maxPasses?: number; initialFindings?: Finding[]; filter?: (finding: Finding) => boolean } = {},
): FixUntilStableResult {
  const maxPasses = options.maxPasses ?? 10;
  const filter = options.filter ?? (() => true);
  let current = text;
  let findings = options.initialFindings ?? lint(current);
  const applied: AppliedFix[] = [];
  let passes = 0;
  while (passes < maxPasses) {
    const result = applyFixes(current, findings.filter(filter));
    if (result.applied.length === 0 || result.text === current) break;
    passes++;
    applied.push(...result.applied);
    current = result.text;
    findings = lint(current);
  }
  return { text: current, applied, findings, passes };
}

/** The smallest single edit turning `before` into `after` (common prefix and suffix kept). */
export function diffAsSingleEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { offset: start, length: endBefore - start, newText: after.slice(start, endAfter) };
}
