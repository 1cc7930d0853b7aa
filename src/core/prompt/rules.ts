// Prompt rules: checks on the text of `prompt` / `negativePrompt`, in the shared rule catalog.
// Syntax and weight rules apply to steps with a model profile (the tag-based SD1 / SDXL / Anima
// ecosystems, whose engines read A1111 attention syntax); the empty-prompt and `<lora:…>` rules
// apply to every imageGen step.
import type { Finding, Fix, Severity } from '../findings';
import { rangeOf, type WorkflowDocument } from '../workflow/document';
import type { Rule, RuleContext } from '../rules/types';
import { IMAGE_GEN_LEAVES } from '../schema/image-gen-leaves.generated';
import { getActiveUserProfiles } from '../ecosystems/profiles';
import { promptFields, type PromptField } from './fields';
import { toDocumentSpan } from './json-string';
import { formatNumber, replaceDecoded, rewriteDecoded, spliceAll } from './edits';
import { editsFor } from '../workflow/steps';
import { segmentRemovalSpan, tokenizePrompt, type PromptTag, type TokenizedPrompt } from './tokenize';
import { promptTokenWindowRule } from './clip-rules';
import { TAG_RULES } from './tag-rules';

/** Sane attention weights. Past ~2 the scaled embedding is far outside anything seen in training
 * and images "burn" (saturated colours, broken anatomy); below ~0.1 the tag contributes next to
 * nothing, so deleting it says the same thing more clearly. A1111's own UI steps weights within
 * 0–2 for the same reason. */
export const SANE_WEIGHT = { min: 0.1, max: 2.0 } as const;

function fieldsOf(ctx: RuleContext): PromptField[] {
  return promptFields(ctx.doc, getActiveUserProfiles());
}

function makeFinding(
  doc: WorkflowDocument,
  code: string,
  severity: Severity,
  field: PromptField,
  span: { offset: number; length: number } | undefined,
  message: string,
  fixes?: Fix[],
): Finding {
  // Without a span (e.g. an empty prompt) the whole string literal carries the finding.
  const docSpan = span && span.length > 0 ? toDocumentSpan(field.view, span.offset, span.length) : { offset: field.node.offset, length: field.node.length };
  return {
    code,
    severity,
    message,
    pointer: field.pointer,
    offset: docSpan.offset,
    length: docSpan.length,
    range: rangeOf(doc, docSpan.offset, docSpan.length),
    ...(fixes && fixes.length ? { fixes } : {}),
  };
}

const quote = (s: string) => `\`${s}\``;
const fieldLabel = (f: PromptField) => (f.field === 'prompt' ? 'prompt' : 'negative prompt');

// ---- prompt-empty ----

export const promptEmptyRule: Rule = {
  code: 'prompt-empty',
  severity: 'warning',
  title: 'The prompt has no tags',
  description:
    'An empty (or commas-only) prompt leaves the image to chance; the service accepts it (minLength 0 in the contract), so this is a warning. Write what the image should show; the profile\'s completions offer a starting structure.',
  check(ctx) {
    return fieldsOf(ctx)
      .filter((f) => f.field === 'prompt' && f.prompt.tags.length === 0 && f.prompt.networks.length === 0)
      .map((f) => {
        const hint = f.step.profile?.sequences[0] ? ` For ${f.step.profile.name}, start from e.g. "${f.step.profile.sequences[f.step.profile.sequences.length - 1].text}".` : '';
        return makeFinding(ctx.doc, promptEmptyRule.code, promptEmptyRule.severity, f, undefined, `The prompt is empty: describe what the image should show.${hint}`);
      });
  },
};

// ---- prompt-quality-tag-position ----

function isQualitySegment(prompt: TokenizedPrompt, index: number, quality: ReadonlySet<string>): boolean | undefined {
  const tags = prompt.tags.filter((t) => t.segment === index);
  if (tags.length === 0) return undefined; // empty, networks or BREAK only: neutral
  return tags.every((t) => quality.has(t.key));
}

export const promptQualityTagPositionRule: Rule = {
  code: 'prompt-quality-tag-position',
  severity: 'warning',
  title: 'Quality tags are not where the model profile wants them',
  description:
    'SD1 and Anima guides: lead the prompt with quality boosters. Animagine XL 4.0 model card: quality tags go at the end (the model was trained with tag ordering). The SDXL guide gives no position, so plain SDXL steps are not checked. User profiles set the position with `qualityTagPosition`.',
  fix: 'Moves the misplaced quality tags to the start or the end of the prompt, keeping their weights.',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of fieldsOf(ctx)) {
      const profile = f.step.profile;
      if (f.field !== 'prompt' || !profile?.qualityTagPosition || profile.qualityTags.length === 0) continue;
      const quality = new Set(profile.qualityTags.map((t) => t.toLowerCase()));
      const kinds = f.prompt.segments.map((s) => isQualitySegment(f.prompt, s.index, quality));
      const content = kinds.flatMap((k, i) => (k === false ? [i] : []));
      if (content.length === 0) continue;
      const atEnd = profile.qualityTagPosition === 'end';
      const boundary = atEnd ? content[content.length - 1] : content[0];
      const misplaced = kinds.flatMap((k, i) => (k === true && (atEnd ? i < boundary : i > boundary) ? [i] : []));
      if (misplaced.length === 0) continue;
      const names = misplaced.flatMap((i) => f.prompt.tags.filter((t) => t.segment === i).map((t) => t.name));
      const movable = misplaced.every((i) => f.prompt.segments[i].selfContained && !f.prompt.tokens.some((t) => t.segment === i && t.kind !== 'tag'));
      const fixes: Fix[] = [];
      if (movable) {
        const next = moveSegments(f.prompt.text, misplaced, atEnd);
        fixes.push({ title: `Move ${names.join(', ')} to the ${atEnd ? 'end' : 'start'} of the prompt`, edits: [rewriteDecoded(f.view, next)], isPreferred: true });
      }
      const where = atEnd ? 'at the end of the prompt, after every other tag' : 'at the start of the prompt, before the other tags';
      const why = atEnd ? `${profile.name} was trained with tag ordering: quality tags last.` : `The ${profile.name} guidance is to lead with quality boosters.`;
      for (const i of misplaced) {
        const seg = f.prompt.segments[i];
        out.push(
          makeFinding(ctx.doc, promptQualityTagPositionRule.code, promptQualityTagPositionRule.severity, f, seg, `${quote(f.prompt.text.slice(seg.offset, seg.offset + seg.length))} is a quality tag: put quality tags ${where}. ${why}${movable ? '' : ' (No automatic fix: the tag shares brackets or a BREAK with its neighbours.)'}`, fixes),
        );
      }
    }
    return out;
  },
};

/** The prompt with the given segments removed and re-added, in order, at the start or the end. */
export function moveSegments(text: string, indices: readonly number[], toEnd: boolean): string {
  const original = tokenizePrompt(text);
  const moved = indices.map((i) => text.slice(original.segments[i].offset, original.segments[i].offset + original.segments[i].length));
  let current = text;
  for (const i of [...indices].sort((a, b) => b - a)) {
    const span = segmentRemovalSpan(tokenizePrompt(current), i);
    current = spliceAll(current, [{ ...span, newText: '' }]);
  }
  const rest = tokenizePrompt(current).segments.filter((s) => s.length > 0);
  if (rest.length === 0) return moved.join(', ');
  if (toEnd) {
    const last = rest[rest.length - 1];
    const at = last.offset + last.length;
    return current.slice(0, at) + ', ' + moved.join(', ') + current.slice(at);
  }
  const first = rest[0];
  return current.slice(0, first.offset) + moved.join(', ') + ', ' + current.slice(first.offset);
}

// ---- prompt-duplicate-tag ----

export const promptDuplicateTagRule: Rule = {
  code: 'prompt-duplicate-tag',
  severity: 'warning',
  title: 'A tag appears more than once',
  description:
    'A repeated tag spends tokens of the 75-token window twice and silently strengthens the tag. Tags compare case-insensitively, `_` and space alike, weights ignored. Use one tag with a weight, e.g. `(tag:1.2)`, to strengthen it. A tag repeated many times is one finding (on its first repeat, with the count), not one per repeat.',
  fix: 'Removes every repeat of the tag (each with its comma), keeping the first; when the repeats have other weights than the first, lint --fix leaves the choice to you.',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of fieldsOf(ctx)) {
      if (!f.step.profile) continue;
      // Tokens per segment counted once: asking per repeat was quadratic in a flooded prompt.
      const tokensInSegment = new Map<number, number>();
      for (const t of f.prompt.tokens) tokensInSegment.set(t.segment, (tokensInSegment.get(t.segment) ?? 0) + 1);
      const groups = new Map<string, PromptTag[]>();
      for (const tag of f.prompt.tags) {
        const group = groups.get(tag.key);
        if (group) group.push(tag);
        else groups.set(tag.key, [tag]);
      }
      // In the order of the first repeats, as the prompt reads.
      const repeated = [...groups.values()].filter((g) => g.length > 1).sort((a, b) => a[1].offset - b[1].offset);
      for (const [first, ...repeats] of repeated) {
        const removable = repeats.filter((tag) => f.prompt.segments[tag.segment].selfContained && tokensInSegment.get(tag.segment) === 1 && tag.segment !== first.segment);
        const otherWeights = [...new Set(repeats.filter((t) => t.weight !== first.weight).map((t) => t.weight))];
        const fixes: Fix[] = [];
        if (removable.length > 0) {
          const next = spliceAll(f.prompt.text, removable.map((tag) => ({ ...segmentRemovalSpan(f.prompt, tag.segment), newText: '' })));
          const what = removable.length === 1 ? `the repeated ${quote(first.name)}` : `the ${removable.length} repeats of ${quote(first.name)}`;
          // With different weights, which one to keep is the user's call: offered, not applied by --fix.
          fixes.push({ title: `Remove ${what}`, edits: [rewriteDecoded(f.view, next)], isPreferred: otherWeights.length === 0 });
        }
        const count = repeats.length === 1 ? `${quote(first.name)} is already in the ${fieldLabel(f)}: remove this repeat` : `${quote(first.name)} appears ${repeats.length + 1} times in the ${fieldLabel(f)}: keep one`;
        const weights = otherWeights.length > 0 ? ` The repeats have different weights (${[first.weight, ...otherWeights.slice(0, 4)].map(formatNumber).join(', ')}${otherWeights.length > 4 ? ', …' : ''}); keep the one you mean.` : '';
        out.push(makeFinding(ctx.doc, promptDuplicateTagRule.code, promptDuplicateTagRule.severity, f, repeats[0], `${count} (raise the first one's weight instead if you wanted more of it).${weights}`, fixes));
      }
    }
    return out;
  },
};

// ---- prompt-unbalanced-brackets / prompt-malformed-weight ----

export const promptUnbalancedBracketsRule: Rule = {
  code: 'prompt-unbalanced-brackets',
  severity: 'warning',
  title: 'A ( or [ is never closed, or a ) or ] has no opener',
  description:
    'In A1111 attention syntax an unclosed `(` emphasises (×1.1) everything after it and an unclosed `[` weakens it; a stray `)` or `]` is read as text. Brackets that are part of a tag name must be escaped: `firefly \\(honkai: star rail\\)`. No automatic fix: only you know where the group should end.',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of fieldsOf(ctx)) {
      if (!f.step.profile) continue;
      for (const p of f.prompt.problems) {
        if (p.kind === 'unclosed-bracket') {
          const closer = p.text === '(' ? ')' : ']';
          const effect = p.text === '(' ? 'emphasised ×1.1' : 'weakened ÷1.1';
          out.push(makeFinding(ctx.doc, promptUnbalancedBracketsRule.code, promptUnbalancedBracketsRule.severity, f, p, `This ${quote(p.text)} is never closed, so everything after it is ${effect}. Add the matching ${quote(closer)}, or escape it as ${quote('\\' + p.text)} if it is part of a tag name.`));
        } else if (p.kind === 'unopened-bracket') {
          const opener = p.text === ')' ? '(' : '[';
          out.push(makeFinding(ctx.doc, promptUnbalancedBracketsRule.code, promptUnbalancedBracketsRule.severity, f, p, `This ${quote(p.text)} has no matching ${quote(opener)} and is read as text. Remove it, add the ${quote(opener)}, or escape it as ${quote('\\' + p.text)}.`));
        }
      }
    }
    return out;
  },
};

export const promptMalformedWeightRule: Rule = {
  code: 'prompt-malformed-weight',
  severity: 'warning',
  title: 'A (tag:weight) group is malformed',
  description:
    '`(tag:1.2` lacks its `)`, so the weight is not applied as meant; `(tag:abc)` has no number after the colon, so A1111 syntax reads the whole group as text emphasised ×1.1 — when the brackets belong to the name (`honkai (series)`), escape them instead; `(:1.2)` weights nothing.',
  fix: 'Adds the missing `)` after the weight.',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of fieldsOf(ctx)) {
      if (!f.step.profile) continue;
      for (const p of f.prompt.problems) {
        if (p.kind === 'weight-missing-paren' && p.insertCloseAt !== undefined) {
          const fix: Fix = { title: 'Add the missing `)`', edits: [replaceDecoded(f.view, p.insertCloseAt, p.insertCloseAt, ')')], isPreferred: true };
          out.push(makeFinding(ctx.doc, promptMalformedWeightRule.code, promptMalformedWeightRule.severity, f, p, `${quote(p.text)} is missing its closing ${quote(')')}: write ${quote(p.text + ')')}.`, [fix]));
        } else if (p.kind === 'weight-not-a-number') {
          out.push(makeFinding(ctx.doc, promptMalformedWeightRule.code, promptMalformedWeightRule.severity, f, p, `In ${quote(p.text)} the text after the last ${quote(':')} is not a number, so it is read as text emphasised ×1.1. Write a weight like ${quote('(tag:1.2)')}, or escape the brackets (${quote('\\(')} ${quote('\\)')}) if they are part of the tag name.`));
        } else if (p.kind === 'empty-weighted-group') {
          out.push(makeFinding(ctx.doc, promptMalformedWeightRule.code, promptMalformedWeightRule.severity, f, p, `${quote(p.text)} gives a weight to nothing: put the tag before the colon or remove the group.`));
        }
      }
    }
    return out;
  },
};

// ---- prompt-weight-range ----

export const promptWeightRangeRule: Rule = {
  code: 'prompt-weight-range',
  severity: 'warning',
  title: `An attention weight is outside ${SANE_WEIGHT.min}–${SANE_WEIGHT.max}`,
  description:
    `Weights scale the tag's text embedding. Past ${SANE_WEIGHT.max} the conditioning leaves the range the model was trained on and images burn (over-saturated, distorted); below ${SANE_WEIGHT.min} the tag does almost nothing — remove it, or move it to the negative prompt if you want less of it. Nested brackets multiply (×1.1 per \`( )\`), so deep nesting counts too.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const f of fieldsOf(ctx)) {
      if (!f.step.profile) continue;
      for (const tag of f.prompt.tags) {
        if (tag.weight >= SANE_WEIGHT.min && tag.weight <= SANE_WEIGHT.max) continue;
        const how = tag.explicitWeight !== undefined && tag.explicitWeight === tag.weight ? 'its weight' : `its effective weight (nested brackets multiply)`;
        const advice = tag.weight > SANE_WEIGHT.max ? `bring it to ${SANE_WEIGHT.max} or less (1.1–1.5 is the usual range)` : `remove the tag, or put it in the negative prompt if you want less of it`;
        out.push(makeFinding(ctx.doc, promptWeightRangeRule.code, promptWeightRangeRule.severity, f, tag, `${quote(tag.name)}: ${how} is ${formatNumber(tag.weight)}, outside ${SANE_WEIGHT.min}–${SANE_WEIGHT.max}; ${advice}.`));
      }
    }
    return out;
  },
};

// ---- prompt-a1111-lora ----

const AIR_RE = /^urn:air:[^:\s]+:[^:\s]+:[^:\s]+:[^\s]+$/i;

function leafHasLoras(input: Readonly<Record<string, unknown>>): boolean {
  const key = `${String(input.engine)}/${String(input.ecosystem)}/${String(input.operation ?? 'createImage')}`;
  const leaf = (IMAGE_GEN_LEAVES as Readonly<Record<string, { properties: Readonly<Record<string, unknown>> }>>)[key];
  return leaf !== undefined && Object.prototype.hasOwnProperty.call(leaf.properties, 'loras');
}

export const promptA1111LoraRule: Rule = {
  code: 'prompt-a1111-lora',
  severity: 'warning',
  title: '`<lora:…>` in a prompt is not read by the service',
  description:
    'The orchestrator takes LoRAs from the step\'s `loras` map (`{ "<AIR>": strength }`), not from A1111 `<lora:name:weight>` / `<lyco:…>` tokens in the text, which are passed to the text encoder as ordinary words. When the token names an AIR the fix moves it; a plain file name must first be looked up on Civitai.',
  fix: 'Removes the token from the prompt and adds its AIR and strength to `loras`.',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of fieldsOf(ctx)) {
      for (const net of f.prompt.networks) {
        const strength = net.strength ?? 1;
        const span = segmentRemovalSpan(f.prompt, net.segment);
        const onlyToken = f.prompt.tokens.filter((t) => t.segment === net.segment).length === 1;
        const removal = onlyToken ? span : { offset: net.offset, length: net.length };
        const isAir = AIR_RE.test(net.name);
        const fixes: Fix[] = [];
        let message: string;
        if (isAir && leafHasLoras(f.step.input)) {
          const loras = f.step.input.loras;
          const already = typeof loras === 'object' && loras !== null && Object.prototype.hasOwnProperty.call(loras, net.name);
          const remove = replaceDecoded(f.view, removal.offset, removal.offset + removal.length, '');
          // Both changes in one edit (the loras change keeps the file's formatting and creates
          // the map when absent); separate edits could overlap when the file gets re-laid out.
          const nextPrompt = spliceAll(f.prompt.text, [{ ...removal, newText: '' }]);
          const inputPath = ['steps', f.step.index, 'input'];
          const edits = already
            ? [remove]
            : editsFor(ctx.doc.text, [
                { kind: 'set', path: [...inputPath, f.field], value: nextPrompt },
                { kind: 'set', path: [...inputPath, 'loras', net.name], value: strength },
              ]);
          if (edits.length) {
            fixes.push({ title: already ? `Remove ${quote(net.raw)} (already in loras)` : `Move to loras: "${net.name}": ${formatNumber(strength)}`, edits, isPreferred: true });
          }
          message = `${quote(net.raw)} is A1111 syntax the service does not read: list the LoRA in the step's ${quote('loras')} instead (${quote(`"${net.name}": ${formatNumber(strength)}`)}).`;
        } else if (isAir) {
          message = `${quote(net.raw)} is A1111 syntax the service does not read, and this step's input has no ${quote('loras')} field: remove it.`;
        } else if (net.type === 'hypernet') {
          message = `${quote(net.raw)}: hypernetworks are not supported by the service; remove the token.`;
        } else {
          message = `${quote(net.raw)} is A1111 syntax the service does not read. Find "${net.name || '(no name)'}" on Civitai, then add its AIR to the step's ${quote('loras')} (${quote(`"urn:air:<ecosystem>:lora:civitai:<modelId>@<versionId>": ${formatNumber(strength)}`)}) and remove the token.`;
        }
        out.push(makeFinding(ctx.doc, promptA1111LoraRule.code, promptA1111LoraRule.severity, f, net, message, fixes));
      }
    }
    return out;
  },
};

export const PROMPT_RULES: readonly Rule[] = [
  promptEmptyRule,
  promptQualityTagPositionRule,
  promptDuplicateTagRule,
  promptUnbalancedBracketsRule,
  promptMalformedWeightRule,
  promptWeightRangeRule,
  promptA1111LoraRule,
  promptTokenWindowRule,
  ...TAG_RULES,
];

export { promptTokenWindowRule };
