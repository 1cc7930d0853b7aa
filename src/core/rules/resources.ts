// Resources named by AIR: the right kind in the right field, from the step's ecosystem, written in
// full, and LoRA strengths in the usual range.
import type { Finding, Fix } from '../findings';
import { AIR_ECOSYSTEM_TAGS, LORA_STRENGTH_TYPICAL } from '../ecosystems/table';
import { airKindOfType, formatAir, missingAirParts, parseAir, type AirKind, type ParsedAir } from '../air';
import type { JsonNode } from '../workflow/document';
import { editsFor, memberValue, pathOfNode } from '../workflow/steps';
import type { Rule, RuleContext } from './types';
import { findingOn, knownSteps, rangeText, type KnownStep } from './support';

const KIND_LABEL: Record<AirKind, string> = { checkpoint: 'checkpoint', lora: 'LoRA', embedding: 'embedding', vae: 'VAE' };

/** One AIR written in a step: where it is, what the field expects, how to rewrite it. */
export interface ResourceRef {
  step: KnownStep;
  field: string;
  expected: AirKind;
  air: ParsedAir;
  /** The string node holding the AIR (for loras, the key). */
  node: JsonNode;
  /** How to replace the AIR text: loras keys are renamed, other values are set. */
  replace: (newAir: string) => Fix['edits'];
}

// Three rules read the same resources: parse every AIR once per lint.
const resourcesCache = new WeakMap<RuleContext, readonly ResourceRef[]>();

export function resourcesOf(ctx: RuleContext): readonly ResourceRef[] {
  let refs = resourcesCache.get(ctx);
  if (!refs) {
    refs = collectResources(ctx);
    resourcesCache.set(ctx, refs);
  }
  return refs;
}

function collectResources(ctx: RuleContext): ResourceRef[] {
  const out: ResourceRef[] = [];
  for (const step of knownSteps(ctx.steps)) {
    const single: Array<[string, AirKind]> = [['model', 'checkpoint'], ['diffuserModel', 'checkpoint'], ['vaeModel', 'vae']];
    for (const [field, expected] of single) {
      const node = memberValue(step.input, field);
      const air = node?.type === 'string' ? parseAir(node.value as string) : undefined;
      if (node && air) out.push({ step, field, expected, air, node, replace: (a) => editsFor(ctx.doc, [{ kind: 'set', path: pathOfNode(node), value: a }]) });
    }
    const loras = memberValue(step.input, 'loras');
    for (const property of loras?.type === 'object' ? loras.children ?? [] : []) {
      const key = property.children?.[0];
      const air = key ? parseAir(String(key.value)) : undefined;
      const valueNode = property.children?.[1];
      if (key && air && valueNode) {
        out.push({ step, field: 'loras', expected: 'lora', air, node: key, replace: (a) => editsFor(ctx.doc, [{ kind: 'rename', path: pathOfNode(valueNode), to: a }]) });
      }
    }
    const embeddings = memberValue(step.input, 'embeddings');
    for (const item of embeddings?.type === 'array' ? embeddings.children ?? [] : []) {
      const air = item.type === 'string' ? parseAir(item.value as string) : undefined;
      if (air) out.push({ step, field: 'embeddings', expected: 'embedding', air, node: item, replace: (a) => editsFor(ctx.doc, [{ kind: 'set', path: pathOfNode(item), value: a }]) });
    }
  }
  return out;
}

export const airEcosystemMismatch: Rule = {
  code: 'air-ecosystem-mismatch',
  severity: 'warning',
  title: 'A resource made for another ecosystem',
  description:
    'Resources only work on the ecosystem they were made for: "only SD1-tagged LoRAs work on the sd1 ecosystem" (SD1 guide; the SDXL ' +
    'and Anima guides say the same); the guides list a mismatch as a cause of "LoRA has no effect". The ecosystem is read from the AIR ' +
    '(urn:air:{ecosystem}:…); an AIR without one is not judged.',
  check(ctx: RuleContext): Finding[] {
    return resourcesOf(ctx)
      .filter((r) => r.air.ecosystem !== undefined && !AIR_ECOSYSTEM_TAGS[r.step.ecosystem].includes(r.air.ecosystem))
      .map((r) => {
        const kind = KIND_LABEL[airKindOfType(r.air.type) ?? r.expected];
        return findingOn(
          ctx.doc,
          airEcosystemMismatch,
          r.node,
          `This ${kind} is tagged for "${r.air.ecosystem}" but the step's ecosystem is "${r.step.ecosystem}": only ` +
            `${r.step.ecosystem}-tagged resources work there. Pick the ${r.step.ecosystem} version of it, or change the step's ecosystem.`,
        );
      });
  },
};

export const airWrongType: Rule = {
  code: 'air-wrong-type',
  severity: 'error',
  title: 'A resource of the wrong kind for its field',
  description:
    '"model" and "diffuserModel" take a checkpoint, "loras" LoRAs (LyCORIS/LoCon/DoRA too), "embeddings" textual inversions and ' +
    '"vaeModel" a VAE. The AIR\'s type says which it is (urn:air:…:{type}:…); a checkpoint in loras or a LoRA as the model cannot load.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const r of resourcesOf(ctx)) {
      const actual = airKindOfType(r.air.type);
      if (actual === undefined || actual === r.expected) continue;
      const where: Record<AirKind, string> = { checkpoint: '"model"', lora: '"loras"', embedding: '"embeddings"', vae: '"vaeModel"' };
      out.push(
        findingOn(
          ctx.doc,
          airWrongType,
          r.node,
          `"${r.field}" takes a ${KIND_LABEL[r.expected]}, but this AIR is a ${KIND_LABEL[actual]}; ` +
            `a ${KIND_LABEL[actual]} belongs in ${where[actual]}.`,
        ),
      );
    }
    return out;
  },
};

export const airIncomplete: Rule = {
  code: 'air-incomplete',
  severity: 'hint',
  title: 'An AIR the contract accepts but that is not written in full',
  description:
    'The contract\'s AIR pattern makes everything but source:id optional, so "civitai:4384" passes. The canonical form is ' +
    'urn:air:{ecosystem}:{type}:{source}:{id}@{version}: without the version the run is not pinned to a model version, and without ' +
    'ecosystem and type nothing (neither this extension nor a reader) can check that the resource suits the step.',
  fix: 'Adds the urn:air: prefix, and fills in the step\'s ecosystem and the field\'s type when they are missing. A missing version cannot be guessed.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const r of resourcesOf(ctx)) {
      const missing = missingAirParts(r.air);
      if (missing.length === 0) continue;
      const full = formatAir({
        ...r.air,
        ecosystem: r.air.ecosystem ?? r.step.ecosystem,
        type: r.air.type ?? AIR_TYPE_FOR_KIND[r.expected],
      });
      const fixes: Fix[] = [];
      if (full !== r.air.raw) {
        // Filling in ecosystem/type is an assumption about the resource, so it is offered, not preferred.
        const onlyPrefix = missing.every((m) => m === 'urn:air: prefix' || m === 'version');
        fixes.push({ title: `Write as ${full}`, isPreferred: onlyPrefix, edits: r.replace(full) });
      }
      const versionNote = missing.includes('version') ? ' Without @version the run is not pinned to one model version; copy the AIR from the model page.' : '';
      out.push(
        findingOn(ctx.doc, airIncomplete, r.node, `This AIR lacks its ${missing.join(', ')} (full form urn:air:{ecosystem}:{type}:{source}:{id}@{version}).${versionNote}`, { fixes }),
      );
    }
    return out;
  },
};

const AIR_TYPE_FOR_KIND: Record<AirKind, string> = { checkpoint: 'checkpoint', lora: 'lora', embedding: 'embedding', vae: 'vae' };

export const loraStrengthUnusual: Rule = {
  code: 'lora-strength-unusual',
  severity: 'hint',
  title: 'A LoRA strength outside the usual range',
  description:
    `The guides call ${rangeText(LORA_STRENGTH_TYPICAL)} typical for style LoRAs; character and concept LoRAs often sit higher. Far ` +
    'below, a LoRA may barely show; 0 disables it and a negative strength inverts it.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const loras = memberValue(step.input, 'loras');
      for (const property of loras?.type === 'object' ? loras.children ?? [] : []) {
        const value = property.children?.[1];
        if (value?.type !== 'number') continue;
        const strength = value.value as number;
        const { min, max } = LORA_STRENGTH_TYPICAL;
        if (strength >= min && strength <= max) continue;
        const why =
          strength === 0
            ? 'at 0 it does nothing'
            : strength < 0
              ? 'a negative strength inverts the LoRA'
              : strength < min
                ? 'this low it may barely show'
                : 'above 1 is usual only for character or concept LoRAs';
        out.push(findingOn(ctx.doc, loraStrengthUnusual, value, `LoRA strength ${strength} is outside the typical ${rangeText(LORA_STRENGTH_TYPICAL)}: ${why}.`));
      }
    }
    return out;
  },
};

export const airNotAnAir: Rule = {
  code: 'air-not-an-air',
  severity: 'error',
  title: 'A LoRA key or embedding that is not an AIR',
  description:
    'Every step that takes LoRAs as a map (`"loras": { "<AIR>": <strength> }`) or embeddings as a list names each resource ' +
    'by its AIR (urn:air:{ecosystem}:{type}:{source}:{id}@{version}). The contract types the map\'s keys only as strings, so ' +
    '`"hello": 0.8` passes it; the service then cannot find the resource and the run goes on without it.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const report = (node: JsonNode, field: string, text: string): void => {
      out.push(
        findingOn(ctx.doc, airNotAnAir, node, `${JSON.stringify(text)} is not an AIR: \`${field}\` names each resource as urn:air:{ecosystem}:{type}:{source}:{id}@{version} (copy it from the model page). The service cannot find this one and runs without it.`, {
          supersedes: ['invalid-format'],
        }),
      );
    };
    for (const step of ctx.steps) {
      const loras = memberValue(step.input, 'loras');
      for (const property of loras?.type === 'object' ? loras.children ?? [] : []) {
        const key = property.children?.[0];
        if (key && typeof key.value === 'string' && !parseAir(key.value)) report(key, 'loras', key.value);
      }
      const embeddings = memberValue(step.input, 'embeddings');
      for (const item of embeddings?.type === 'array' ? embeddings.children ?? [] : []) {
        if (item.type === 'string' && !parseAir(item.value as string)) report(item, 'embeddings', item.value as string);
      }
    }
    return out;
  },
};

export const RESOURCE_RULES: readonly Rule[] = [airNotAnAir, airWrongType, airEcosystemMismatch, airIncomplete, loraStrengthUnusual];
