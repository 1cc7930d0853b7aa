// Fields carried over from the other engine (comfy <-> sdcpp) or from another ecosystem (SD1's
// clipSkip on SDXL, a checkpoint `model` on Anima): the contract refuses them as unknown
// properties; these rules say what the field is called here and convert the value.
import type { Finding, Fix } from '../findings';
import {
  A1111_SCHEDULE_TYPES,
  COMFY_TO_SDCPP_SAMPLER,
  COMFY_TO_SDCPP_SCHEDULE,
  ECOSYSTEM_FIELD_COUNTERPARTS,
  FOREIGN_FIELDS,
  SDCPP_TO_COMFY_SAMPLER,
  SDCPP_TO_COMFY_SCHEDULER,
  type Engine,
} from '../ecosystems/table';
import { isA1111Spelling, resolveSamplerName } from '../ecosystems/samplers';
import { parseAir } from '../air';
import type { JsonNode } from '../workflow/document';
import { editsFor, memberProperty, pathOfNode, type JsonChange } from '../workflow/steps';
import type { Rule, RuleContext } from './types';
import { findingOn, knownSteps, leafProperty, type KnownStep } from './support';

const OTHER_ENGINE: Record<Engine, Engine> = { sdcpp: 'comfy', comfy: 'sdcpp' };

/** Per field: the value table that converts it to the other engine's field. */
function valueTableFor(field: string): Readonly<Record<string, string>> | undefined {
  switch (field) {
    case 'sampler':
      return COMFY_TO_SDCPP_SAMPLER;
    case 'scheduler':
      return COMFY_TO_SDCPP_SCHEDULE;
    case 'sampleMethod':
      return SDCPP_TO_COMFY_SAMPLER;
    case 'schedule':
      return SDCPP_TO_COMFY_SCHEDULER;
    default:
      return undefined;
  }
}

interface Conversion {
  /** Changes after the rename (e.g. a schedule split off an A1111 sampler name). */
  value: unknown;
  extra: JsonChange[];
  note: string;
}

/**
 * The value in the target field: the same value when the target enum accepts it, the table's
 * counterpart, or the split of an A1111 name ("DPM++ 2M Karras"). Undefined when nothing fits.
 */
function convertValue(step: KnownStep, field: string, target: string, valueNode: JsonNode): Conversion | undefined {
  const targetEnum = leafProperty(step, target)?.enum;
  const table = valueTableFor(field);
  if (!table || valueNode.type !== 'string') return { value: undefined, extra: [], note: '' };
  const value = valueNode.value as string;
  if (targetEnum?.includes(value)) return { value: undefined, extra: [], note: '' };
  const mapped = table[value];
  if (mapped !== undefined && (!targetEnum || targetEnum.includes(mapped))) {
    return { value: mapped, extra: [], note: mapped === value ? '' : ` ("${value}" is "${mapped}" there)` };
  }
  if (field === 'sampler' || field === 'sampleMethod') {
    const named = resolveSamplerName(value);
    const fields = step.engine === 'sdcpp'
      ? named?.sdcpp && { sampler: named.sdcpp.sampleMethod, schedule: named.sdcpp.schedule, scheduleField: 'schedule' }
      : named?.comfy && { sampler: named.comfy.sampler, schedule: named.comfy.scheduler, scheduleField: 'scheduler' };
    if (fields) {
      const extra: JsonChange[] = [];
      if (fields.schedule !== undefined && !memberProperty(step.input, fields.scheduleField)) {
        extra.push({ kind: 'set', path: [...pathOfNode(step.input), fields.scheduleField], value: fields.schedule, after: target });
      }
      const also = fields.schedule !== undefined ? ` with ${fields.scheduleField} "${fields.schedule}"` : '';
      return { value: fields.sampler, extra, note: ` ("${value}" is "${fields.sampler}"${also} there)` };
    }
  }
  return undefined;
}

export const fieldOfOtherEngine: Rule = {
  code: 'field-of-other-engine',
  severity: 'error',
  title: 'A field of the other engine (comfy vs sdcpp)',
  description:
    'sdcpp and comfy name the same settings differently: sampleMethod/schedule/strength on sdcpp, sampler/scheduler/denoiseStrength ' +
    'on comfy; embeddings and uCache exist only on sdcpp (SD1 and SDXL guides, "Key differences"). The service answers 400 ' +
    '"unknown property". This finding replaces the contract\'s generic unknown-property at the same place.',
  fix:
    'Renames the field to this engine\'s name and converts the value (euler_ancestral <-> euler_a, dpmpp_2m <-> dpm++2m, ' +
    'normal <-> discrete, A1111 names such as "DPM++ 2M Karras" split into sampler and schedule), or removes a field this engine ' +
    'lacks. When a value has no counterpart, or the field is "embeddings" (removing it drops resources; switching the step to sdcpp ' +
    'keeps them), the fix offered removes the field and is not applied by lint --fix.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const table = FOREIGN_FIELDS[step.engine];
      for (const property of step.input.children ?? []) {
        const field = String(property.children?.[0]?.value);
        const valueNode = property.children?.[1];
        if (!(field in table) || !valueNode) continue;
        if (step.leaf && leafProperty(step, field)) continue; // this leaf does have it
        const target = table[field];
        const other = OTHER_ENGINE[step.engine];
        const path = pathOfNode(valueNode);
        const remove: Fix = { title: `Remove "${field}"`, isPreferred: true, edits: editsFor(ctx.doc, [{ kind: 'remove', path }]) };
        const report = (message: string, fixes: Fix[]): void => {
          out.push(findingOn(ctx.doc, fieldOfOtherEngine, property, message, { fixes, supersedes: ['unknown-property'] }));
        };
        if (target === null) {
          // Removing embeddings drops resources the prompt names, and switching the step to sdcpp
          // keeps them: a choice, so only a field without such weight (uCache) is removed by --fix.
          const choice = field === 'embeddings';
          report(`"${field}" is an sdcpp field; ${step.engine} has no counterpart. Remove it (or switch the step to sdcpp).`, [{ ...remove, isPreferred: !choice }]);
          continue;
        }
        if (step.leaf && !leafProperty(step, target)) {
          // e.g. denoiseStrength on an sdcpp createImage: img2img strength means nothing without an image.
          report(`"${field}" is the ${other} name of "${target}", which ${step.engine} ${step.operation ?? ''} does not take either; remove it.`, [remove]);
          continue;
        }
        if (memberProperty(step.input, target)) {
          report(`"${field}" is the ${other} name of "${target}", which this step already sets; remove "${field}".`, [remove]);
          continue;
        }
        const conversion = convertValue(step, field, target, valueNode);
        if (!conversion) {
          const value = valueNode.value as string;
          report(
            `"${field}" is the ${other} name; ${step.engine} calls it "${target}", but "${value}" has no ${step.engine} counterpart: ` +
              `pick a ${target} value, or remove the field to use the default.`,
            [{ ...remove, title: `Remove "${field}" ("${value}" has no ${step.engine} counterpart)`, isPreferred: false }],
          );
          continue;
        }
        const rename: JsonChange = { kind: 'rename', path, to: target, value: conversion.value };
        report(`"${field}" is the ${other} name; on ${step.engine} use "${target}"${conversion.note}.`, [
          { title: `Rename to "${target}"${conversion.note}`, isPreferred: true, edits: editsFor(ctx.doc, [rename, ...conversion.extra]) },
        ]);
      }
    }
    return out;
  },
};

export const fieldOfOtherEcosystem: Rule = {
  code: 'field-of-other-ecosystem',
  severity: 'error',
  title: 'A field another ecosystem has and this one lacks',
  description:
    'clipSkip is an SD1 setting: SDXL has none (its dual text encoders leave nothing to skip) and neither has Anima; sending it is a 400 ' +
    '(SDXL guide). Anima has no checkpoint picker: "model" is refused, the optional override is "diffuserModel" (Anima guide). ' +
    'This finding replaces the contract\'s generic unknown-property at the same place.',
  fix:
    'Removes clipSkip. For "model" on Anima, offers removing it or renaming it to diffuserModel; lint --fix renames an Anima AIR and ' +
    'removes "model" when diffuserModel is already set, and otherwise leaves the choice to you.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const clipSkip = memberProperty(step.input, 'clipSkip');
      if (clipSkip?.children?.[1] && !step.facts.clipSkip && !leafProperty(step, 'clipSkip')) {
        const reason = step.ecosystem === 'sdxl' ? 'its dual text encoders leave nothing to skip' : 'it is an SD1 setting';
        out.push(
          findingOn(ctx.doc, fieldOfOtherEcosystem, clipSkip, `${step.facts.label} has no clipSkip (${reason}); remove it.`, {
            supersedes: ['unknown-property'],
            fixes: [{ title: 'Remove "clipSkip"', isPreferred: true, edits: editsFor(ctx.doc, [{ kind: 'remove', path: pathOfNode(clipSkip.children[1]) }]) }],
          }),
        );
      }
      const counterparts = ECOSYSTEM_FIELD_COUNTERPARTS[step.ecosystem] ?? {};
      for (const [field, target] of Object.entries(counterparts)) {
        const property = memberProperty(step.input, field);
        const valueNode = property?.children?.[1];
        if (!property || !valueNode || leafProperty(step, field)) continue;
        const path = pathOfNode(valueNode);
        const air = valueNode.type === 'string' ? parseAir(valueNode.value as string) : undefined;
        const looksLikeOverride = air?.ecosystem === step.ecosystem;
        const targetTaken = memberProperty(step.input, target) !== undefined;
        // Only one edit is obviously right: removing "model" when the step already has its override,
        // or renaming an Anima AIR (an override written under the wrong name). A checkpoint of
        // another ecosystem may mean the step's ecosystem is what is wrong: both are offered, neither preferred.
        const fixes: Fix[] = [{ title: `Remove "${field}"`, isPreferred: targetTaken, edits: editsFor(ctx.doc, [{ kind: 'remove', path }]) }];
        if (!targetTaken) {
          fixes.push({ title: `Rename to "${target}" (override the built-in model)`, isPreferred: looksLikeOverride, edits: editsFor(ctx.doc, [{ kind: 'rename', path, to: target }]) });
        }
        out.push(
          findingOn(
            ctx.doc,
            fieldOfOtherEcosystem,
            property,
            `${step.facts.label} has no "${field}": it ships its own model. Remove it, or rename it to "${target}" to override the built-in model (rarely needed).`,
            { supersedes: ['unknown-property'], fixes },
          ),
        );
      }
    }
    return out;
  },
};

const SAMPLER_FIELD: Record<Engine, string> = { sdcpp: 'sampleMethod', comfy: 'sampler' };
const SCHEDULE_FIELD: Record<Engine, string> = { sdcpp: 'schedule', comfy: 'scheduler' };

export const a1111SamplerName: Rule = {
  code: 'a1111-sampler-name',
  severity: 'error',
  title: 'A sampler or schedule written the A1111 way',
  description:
    'Generation parameters copied from A1111, Forge or a Civitai image page name samplers like "Euler a" or "DPM++ 2M Karras" (a ' +
    'sampler plus a schedule type); the contract takes engine enums instead (sdcpp: sampleMethod "euler_a" + schedule "karras"; comfy: ' +
    'sampler "dpmpp_2m" + scheduler "karras"). This finding replaces the contract\'s invalid-enum at the same place.',
  fix: 'Writes the engine\'s sampler value and, for a name with a schedule type, sets the schedule field too (when it is not set yet).',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const samplerField = SAMPLER_FIELD[step.engine];
      const scheduleField = SCHEDULE_FIELD[step.engine];
      const samplerNode = memberProperty(step.input, samplerField)?.children?.[1];
      if (samplerNode?.type === 'string' && !leafProperty(step, samplerField)?.enum?.includes(samplerNode.value as string)) {
        const name = samplerNode.value as string;
        const resolution = resolveSamplerName(name);
        if (resolution && isA1111Spelling(name, resolution)) {
          const fields = step.engine === 'sdcpp'
            ? resolution.sdcpp && { sampler: resolution.sdcpp.sampleMethod, schedule: resolution.sdcpp.schedule }
            : resolution.comfy && { sampler: resolution.comfy.sampler, schedule: resolution.comfy.scheduler };
          if (!fields) {
            out.push(
              findingOn(ctx.doc, a1111SamplerName, samplerNode, `"${name}" is an A1111 sampler name that ${step.engine} has no counterpart for; pick a ${samplerField} value, or use engine ${OTHER_ENGINE[step.engine]}.`, {
                supersedes: ['invalid-enum'],
              }),
            );
          } else {
            const changes: JsonChange[] = [{ kind: 'set', path: pathOfNode(samplerNode), value: fields.sampler }];
            const addSchedule = fields.schedule !== undefined && !memberProperty(step.input, scheduleField);
            if (addSchedule) changes.push({ kind: 'set', path: [...pathOfNode(step.input), scheduleField], value: fields.schedule, after: samplerField });
            const also = addSchedule ? ` and ${scheduleField} "${fields.schedule}"` : '';
            out.push(
              findingOn(ctx.doc, a1111SamplerName, samplerNode, `"${name}" is the A1111 name; on ${step.engine} write ${samplerField} "${fields.sampler}"${also}.`, {
                supersedes: ['invalid-enum'],
                fixes: [{ title: `Use ${samplerField} "${fields.sampler}"${also}`, isPreferred: true, edits: editsFor(ctx.doc, changes) }],
              }),
            );
          }
        }
      }
      const scheduleNode = memberProperty(step.input, scheduleField)?.children?.[1];
      if (scheduleNode?.type === 'string' && !leafProperty(step, scheduleField)?.enum?.includes(scheduleNode.value as string)) {
        const label = Object.keys(A1111_SCHEDULE_TYPES).find((k) => k.toLowerCase() === (scheduleNode.value as string).toLowerCase());
        const value = label !== undefined ? A1111_SCHEDULE_TYPES[label][step.engine] : undefined;
        if (label !== undefined && value !== undefined && leafProperty(step, scheduleField)?.enum?.includes(value) !== false) {
          out.push(
            findingOn(ctx.doc, a1111SamplerName, scheduleNode, `"${label}" is the A1111 schedule type; on ${step.engine} write ${scheduleField} "${value}".`, {
              supersedes: ['invalid-enum'],
              fixes: [{ title: `Use ${scheduleField} "${value}"`, isPreferred: true, edits: editsFor(ctx.doc, [{ kind: 'set', path: pathOfNode(scheduleNode), value }]) }],
            }),
          );
        }
      }
    }
    return out;
  },
};

export const FOREIGN_FIELD_RULES: readonly Rule[] = [fieldOfOtherEngine, fieldOfOtherEcosystem, a1111SamplerName];
