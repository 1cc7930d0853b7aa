// Image sizes: what the service needs (multiples of 16) and what the models are trained for
// (SD1 around 512², SDXL and Anima around 1 MP in a few well-behaved aspect ratios).
import type { Finding, Fix } from '../findings';
import { DIMENSION_MULTIPLE, NATIVE_AREA_BAND, type EcosystemFacts, type Size } from '../ecosystems/table';
import { editsFor, pathOfNode, type JsonChange } from '../workflow/steps';
import type { Rule, RuleContext } from './types';
import { effectiveNumber, findingOn, inputAnchor, knownSteps, leafProperty, type KnownStep } from './support';

const DIMENSIONS = ['width', 'height'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** The nearest multiple of 16 that the contract's range for this field allows. */
export function nearestAllowedMultiple(value: number, min = DIMENSION_MULTIPLE, max = Number.POSITIVE_INFINITY): number {
  const m = DIMENSION_MULTIPLE;
  const lowest = Math.ceil(min / m) * m;
  const highest = Math.floor(max / m) * m;
  const nearest = Math.round(value / m) * m;
  return Math.min(highest, Math.max(lowest, nearest));
}

export const dimensionNotMultipleOf16: Rule = {
  code: 'dimension-not-multiple-of-16',
  severity: 'error',
  title: 'width and height must be multiples of 16',
  description:
    'The SD1, SDXL and Anima guides all give widths and heights as "divisible by 16"; sizes off that grid are not documented to work. ' +
    'The contract itself only declares the range (64–2048, or 64–1024 for comfy SD1), so this guide rule is checked here.',
  fix: 'Rounds to the nearest multiple of 16 inside the contract\'s range for that field.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      for (const field of DIMENSIONS) {
        const n = effectiveNumber(step, field);
        if (!n?.node || !n.property || n.value % DIMENSION_MULTIPLE === 0) continue;
        const range = leafProperty(step, field);
        const target = nearestAllowedMultiple(n.value, range?.minimum, range?.maximum);
        out.push(
          findingOn(ctx.doc, dimensionNotMultipleOf16, n.property, `${field} ${n.value} is not a multiple of ${DIMENSION_MULTIPLE}; use ${target}.`, {
            fixes: [{ title: `Set ${field} to ${target}`, isPreferred: true, edits: editsFor(ctx.doc, [{ kind: 'set', path: pathOfNode(n.node), value: target }]) }],
          }),
        );
      }
    }
    return out;
  },
};

// ---- Native size ----

interface SizeVerdict {
  /** Why this size is risky, for the message. */
  problem: string;
}

const aspectOf = (s: Size): number => Math.max(s.width, s.height) / Math.min(s.width, s.height);
const areaOf = (s: Size): number => s.width * s.height;
const fmt = (s: Size): string => `${s.width}×${s.height}`;

/** Undefined when the size is one the ecosystem's guide calls fine. */
export function judgeSize(facts: EcosystemFacts, size: Size): SizeVerdict | undefined {
  const nativeText = fmt(facts.native);
  if (facts.maxComfortableSide !== undefined) {
    const longest = Math.max(size.width, size.height);
    if (longest <= facts.maxComfortableSide) return undefined;
    return {
      problem:
        `${facts.label} is trained at ${nativeText}; past ${facts.maxComfortableSide} px on a side it tends to duplicate subjects ` +
        `and stitch bodies together ("Frankenstein" anatomy). Generate at up to ${facts.maxComfortableSide} px and upscale afterwards`,
    };
  }
  const areaRatio = areaOf(size) / areaOf(facts.native);
  const maxAspect = Math.max(...facts.wellBehavedSizes.map(aspectOf));
  const megapixels = (areaOf(size) / 1e6).toFixed(2);
  if (aspectOf(size) > maxAspect) {
    return {
      problem:
        `${fmt(size)} is more elongated than ${facts.label}'s well-behaved ratios (up to ${maxAspect.toFixed(1)}:1); ` +
        `that far from square it tends to repeat the subject ("mirrored twins")`,
    };
  }
  if (areaRatio > NATIVE_AREA_BAND.max) {
    return {
      problem:
        `${fmt(size)} is ${megapixels} MP, well above the ~1 MP (${nativeText}) ${facts.label} is trained around; ` +
        `at that size it tends to duplicate subjects. Generate near 1 MP and upscale afterwards`,
    };
  }
  if (areaRatio < NATIVE_AREA_BAND.min) {
    return {
      problem: `${fmt(size)} is ${megapixels} MP, well below the ~1 MP (${nativeText}) ${facts.label} is trained around, where its guide says it behaves well`,
    };
  }
  return undefined;
}

/** Well-behaved sizes nearest in shape (aspect ratio and orientation), then in area. */
export function nearestWellBehavedSizes(facts: EcosystemFacts, size: Size, count: number, maxSide?: number): Size[] {
  const logAspect = (s: Size): number => Math.log(s.width / s.height);
  const wanted = logAspect(size);
  return facts.wellBehavedSizes
    .filter((s) => maxSide === undefined || Math.max(s.width, s.height) <= maxSide)
    .map((s) => ({ s, shape: Math.abs(logAspect(s) - wanted), area: Math.abs(Math.log(areaOf(s) / areaOf(size))) }))
    .sort((a, b) => a.shape - b.shape || a.area - b.area)
    .slice(0, count)
    .map((c) => c.s);
}

function resizeChanges(step: KnownStep, target: Size): JsonChange[] {
  const changes: JsonChange[] = [];
  for (const field of DIMENSIONS) {
    const n = effectiveNumber(step, field);
    const value: number = target[field as Dimension];
    if (n && n.value === value && n.node) continue;
    if (!n?.node && leafProperty(step, field)?.default === value) continue;
    changes.push({ kind: 'set', path: [...pathOfNode(step.input), field], value, after: field === 'height' ? 'width' : undefined });
  }
  return changes;
}

export const sizeFarFromNative: Rule = {
  code: 'size-far-from-native',
  severity: 'warning',
  title: 'Image size far from what the model is trained for',
  description:
    'SD1 is trained at 512×512 and duplicates subjects past 768 px on a side (SD1 guide). SDXL and Anima are trained around 1 MP and ' +
    'behave in a handful of aspect ratios (1024², 1152×896, 1216×832 for SDXL, 1344×768, 1536×640 and mirrors); far from those, ' +
    'subjects repeat ("mirrored twins"). Absent fields count at the contract default. "Far" from 1 MP is outside ' +
    `${NATIVE_AREA_BAND.min}–${NATIVE_AREA_BAND.max}× the native area (the project's threshold; the guides give none).`,
  fix: 'Offers the two well-behaved sizes closest in shape. Neither is applied by lint --fix or "Fix all": which one suits the picture is your choice.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const width = effectiveNumber(step, 'width');
      const height = effectiveNumber(step, 'height');
      if (!width || !height || width.value <= 0 || height.value <= 0) continue;
      const size = { width: width.value, height: height.value };
      const verdict = judgeSize(step.facts, size);
      if (!verdict) continue;
      const maxSide = Math.min(leafProperty(step, 'width')?.maximum ?? Infinity, leafProperty(step, 'height')?.maximum ?? Infinity);
      const targets = nearestWellBehavedSizes(step.facts, size, 2, maxSide);
      // Two sizes of different shape: a choice for the user, so neither is marked preferred.
      const fixes: Fix[] = targets.map((t, i) => ({
        title: `Use ${fmt(t)}${i === 0 ? ' (closest well-behaved shape)' : ''}`,
        isPreferred: false,
        edits: editsFor(ctx.doc, resizeChanges(step, t)),
      }));
      const anchor = width.property ?? height.property ?? inputAnchor(step);
      const suggestion = targets.length > 0 ? ` Try ${targets.map(fmt).join(' or ')}.` : '';
      out.push(findingOn(ctx.doc, sizeFarFromNative, anchor, `${verdict.problem}.${suggestion}`, { fixes: fixes.filter((f) => f.edits.length > 0) }));
    }
    return out;
  },
};

export const DIMENSION_RULES: readonly Rule[] = [dimensionNotMultipleOf16, sizeFarFromNative];
