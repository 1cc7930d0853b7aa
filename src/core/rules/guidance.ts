// Guidance (cfgScale) and step counts against each ecosystem's documented sweet spot, with the
// Turbo/LCM exception and the user's own model profiles taking precedence.
import type { Finding } from '../findings';
import { ANIMA_MIN_STEPS, FEW_STEP_CHECKPOINTS, type NumericRange } from '../ecosystems/table';
import { editsFor, memberValue, pathOfNode, stringMember } from '../workflow/steps';
import { getActiveUserProfiles, profileForInput, type ModelProfile } from '../ecosystems/profiles';
import type { Rule, RuleContext } from './types';
import { clamp, effectiveNumber, findingOn, inputAnchor, knownSteps, rangeText, type KnownStep } from './support';

type Regime =
  | { kind: 'profile'; profile: ModelProfile }
  | { kind: 'few-step'; why: string }
  | { kind: 'base' };

/** Whether the step runs a Turbo/LCM-style model (SD1/SDXL only: the Anima guide has no such advice). */
export function regimeOf(step: KnownStep): Regime {
  const model = stringMember(step.input, 'model');
  // A profile for this very model (built in, or the user's `civitai.modelProfiles`) knows best;
  // the per-ecosystem profiles only restate the table, which the base regime already uses.
  const profile = profileForInput({ ecosystem: step.ecosystem, model }, getActiveUserProfiles());
  if (profile?.air !== undefined) return { kind: 'profile', profile };
  if (step.ecosystem === 'anima') return { kind: 'base' };
  for (const field of ['sampleMethod', 'sampler', 'schedule']) {
    if (stringMember(step.input, field) === 'lcm') return { kind: 'few-step', why: `${field} "lcm"` };
  }
  const loras = memberValue(step.input, 'loras');
  const names = [model, profile?.name, ...(loras?.type === 'object' ? (loras.children ?? []).map((p) => String(p.children?.[0]?.value)) : [])];
  const named = names.find((n) => n !== undefined && FEW_STEP_CHECKPOINTS.namePattern.test(n));
  if (named !== undefined) return { kind: 'few-step', why: `"${named}"` };
  return { kind: 'base' };
}

function setFix(ctx: RuleContext, step: KnownStep, field: string, value: number) {
  const n = effectiveNumber(step, field);
  const path = n?.node ? pathOfNode(n.node) : [...pathOfNode(step.input), field];
  return { title: `Set ${field} to ${value}`, isPreferred: false, edits: editsFor(ctx.doc, [{ kind: 'set', path, value }]) };
}

export const cfgOutsideSweetSpot: Rule = {
  code: 'cfg-outside-sweet-spot',
  severity: 'hint',
  title: 'cfgScale outside the documented sweet spot',
  description:
    'SD1 and SDXL work best at cfgScale 6–8 (too low and prompts feel ignored); Anima wants 3–5 and looks flat or off-style at SD ' +
    'values such as 7; Turbo/LCM checkpoints want 1–2 (SD1, SDXL and Anima guides). A model profile\'s own range wins. The contract ' +
    'default counts when cfgScale is absent.',
  fix: 'Offers the nearest value inside the range (not applied by lint --fix).',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const cfg = effectiveNumber(step, 'cfgScale');
      if (!cfg) continue;
      const regime = regimeOf(step);
      let range: NumericRange = step.facts.cfgSweetSpot;
      let source = `the ${step.facts.label} sweet spot`;
      if (regime.kind === 'profile') {
        range = regime.profile.cfgScale;
        source = `${regime.profile.name} (${regime.profile.origin === 'user' ? 'your profile' : 'its model card'})`;
      } else if (regime.kind === 'few-step') {
        range = FEW_STEP_CHECKPOINTS.cfg;
        source = `Turbo/LCM models (${regime.why})`;
      }
      if (cfg.value >= range.min && cfg.value <= range.max) continue;
      const low = cfg.value < range.min;
      let why: string;
      if (regime.kind === 'few-step') why = 'at base-model guidance Turbo/LCM models produce mush';
      else if (regime.kind === 'profile') why = 'the range recommended for this model';
      else if (step.ecosystem === 'anima') why = low ? 'the Anima guide recommends this range' : 'Anima wants lower guidance than SD1/SDXL; at SD values the output looks flat or off-style';
      else why = low ? 'this low, prompts feel ignored (raise it toward 8)' : 'the guide recommends this range for most checkpoints';
      const stated = cfg.node ? `cfgScale ${cfg.value}` : `cfgScale (default ${cfg.value})`;
      const target = clamp(cfg.value, range.min, range.max);
      out.push(
        findingOn(ctx.doc, cfgOutsideSweetSpot, cfg.property ?? inputAnchor(step), `${stated} is outside ${rangeText(range)} for ${source}: ${why}.`, {
          fixes: [setFix(ctx, step, 'cfgScale', target)],
        }),
      );
    }
    return out;
  },
};

export const stepsOutsideTypical: Rule = {
  code: 'steps-outside-typical',
  severity: 'hint',
  title: 'steps outside the documented typical range',
  description:
    'SD1 and SDXL typically use 20–30 steps ("30+ rarely helps", while cost grows with steps); Anima under-bakes below 20; Turbo/LCM ' +
    'checkpoints need only 4–8 (guides). A model profile\'s own range wins. The contract default counts when steps is absent.',
  fix: 'Offers the nearest value inside the range (not applied by lint --fix).',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const steps = effectiveNumber(step, 'steps');
      if (!steps) continue;
      const regime = regimeOf(step);
      let range: NumericRange;
      let why: (low: boolean) => string;
      if (regime.kind === 'profile') {
        const profile = regime.profile;
        range = profile.steps;
        why = () => `outside the ${rangeText(range)} recommended for ${profile.name}`;
      } else if (regime.kind === 'few-step') {
        range = FEW_STEP_CHECKPOINTS.steps;
        why = (low) => `Turbo/LCM models (${regime.why}) need ${rangeText(range)} steps${low ? '' : '; more only adds cost and time'}`;
      } else if (step.ecosystem === 'anima') {
        // The Anima guide's floor; above its typical range it advises going higher, not lower.
        range = { min: ANIMA_MIN_STEPS, max: Number.POSITIVE_INFINITY };
        why = () => `Anima under-bakes below ${ANIMA_MIN_STEPS} steps (its default is 30)`;
      } else {
        range = step.facts.stepsTypical;
        why = (low) =>
          low ? `below the typical ${rangeText(range)} the image may come out unfinished` : `${range.max}+ rarely helps and cost grows with every step`;
      }
      if (steps.value >= range.min && steps.value <= range.max) continue;
      const low = steps.value < range.min;
      const stated = steps.node ? `steps ${steps.value}` : `steps (default ${steps.value})`;
      out.push(
        findingOn(ctx.doc, stepsOutsideTypical, steps.property ?? inputAnchor(step), `${stated}: ${why(low)}.`, {
          fixes: [setFix(ctx, step, 'steps', clamp(steps.value, range.min, range.max))],
        }),
      );
    }
    return out;
  },
};

export const GUIDANCE_RULES: readonly Rule[] = [cfgOutsideSweetSpot, stepsOutsideTypical];
