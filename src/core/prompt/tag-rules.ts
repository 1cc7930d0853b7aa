// Danbooru tag checks on tag-style prompts of steps with a model profile: an alias written where
// the canonical tag belongs, and an unknown tag that is one typo away from a known one. Animagine
// XL 4.0 and Anima were trained on Danbooru's canonical tags (snapshot: January 2025), so either
// silently weakens the image. Both stay off natural-language prompts (tag-style.ts) and report
// each distinct tag once.
import type { Finding, Fix } from '../findings';
import type { Rule } from '../rules/types';
import { getActiveUserProfiles, specialTagOf, type ModelProfile } from '../ecosystems/profiles';
import { shippedTagIndex } from '../tags/shipped';
import type { TagIndex, TagInfo } from '../tags/tag-index';
import { promptFields, type PromptField } from './fields';
import { replaceDecoded } from './edits';
import { promptFinding } from './prompt-finding';
import { formatTag, isTagStylePrompt, lookupName, tagStyleOf } from './tag-style';
import type { PromptTag, TokenizedPrompt } from './tokenize';

/** Unknown tags reported per prompt at most: past that the prompt is probably not Danbooru tags. */
export const MAX_UNKNOWN_PER_PROMPT = 10;
/** Tags longer than this are not checked for typos. */
const MAX_TYPO_WORDS = 3;
const MAX_TYPO_LENGTH = 40;

/** What the two checks found in one prompt: indices into `prompt.tags`, each distinct tag once. */
interface TagAnalysis {
  readonly aliases: ReadonlyArray<{ readonly tag: number; readonly canonical: TagInfo }>;
  readonly unknown: ReadonlyArray<{ readonly tag: number; readonly near: readonly TagInfo[] }>;
}
const NOTHING: TagAnalysis = { aliases: [], unknown: [] };

// The analysis depends only on the prompt's text and the profile, so it is kept with the
// tokenized prompt (which lives across lints): a warm lint does no index lookups at all.
const analyses = new WeakMap<TokenizedPrompt, Map<ModelProfile, TagAnalysis>>();

function analysisOf(field: PromptField, index: () => TagIndex): TagAnalysis {
  const profile = field.step.profile;
  if (!profile || field.prompt.tags.length < 2) return NOTHING;
  let byProfile = analyses.get(field.prompt);
  if (!byProfile) analyses.set(field.prompt, (byProfile = new Map()));
  let found = byProfile.get(profile);
  if (!found) byProfile.set(profile, (found = analyse(field.prompt, profile, index())));
  return found;
}

function analyse(prompt: TokenizedPrompt, profile: ModelProfile, index: TagIndex): TagAnalysis {
  const style = tagStyleOf(profile);
  if (!isTagStylePrompt(prompt, index, style)) return NOTHING;
  const aliases: Array<{ tag: number; canonical: TagInfo }> = [];
  const unknown: Array<{ tag: number; near: TagInfo[] }> = [];
  const seen = new Set<string>();
  prompt.tags.forEach((tag, i) => {
    if (tag.embedding || seen.has(tag.key) || DYNAMIC_RE.test(tag.raw)) return;
    seen.add(tag.key);
    const name = lookupName(tag.name, style);
    const canonical = index.canonicalOf(name);
    if (canonical) {
      if (!tag.key.startsWith('/')) aliases.push({ tag: i, canonical });
      return;
    }
    if (unknown.length >= MAX_UNKNOWN_PER_PROMPT) return;
    // Danbooru names are short: a longer phrase is the user's own words, not a mistyped tag.
    if (tag.name.split(' ').length > MAX_TYPO_WORDS || tag.name.length > MAX_TYPO_LENGTH) return;
    if (specialTagOf(profile, tag.key) || profile.qualityTags.some((q) => q.toLowerCase() === tag.key) || index.knows(name)) return;
    const near = index.closest(name, 3);
    if (near.length) unknown.push({ tag: i, near });
  });
  return { aliases, unknown };
}

/** Fields of profiled steps (the index is loaded only when one holds a prompt of two tags or more). */
function tagFields(ctx: Parameters<Rule['check']>[0]): PromptField[] {
  return promptFields(ctx.doc, getActiveUserProfiles()).filter((f) => f.step.profile && f.prompt.tags.length >= 2);
}

/** Dynamic-prompt syntax (`{a|b}`, `__wildcard__`) is prompt-dynamic-syntax's business, not a tag. */
const DYNAMIC_RE = /[{}|]|__\S+__/;

/** Where the tag's name sits in its raw text (inside brackets, before a `:weight`), when it can be told. */
function nameSpan(tag: PromptTag): { offset: number; length: number } | undefined {
  const raw = tag.raw;
  let s = 0;
  let e = raw.length;
  while (s < e && (raw[s] === '(' || raw[s] === '[' || raw[s] === ' ')) s++;
  const weight = /:\s*[+-]?(?:\d+\.?\d*|\.\d+)\s*[)\]]*\s*$/.exec(raw.slice(s));
  if (weight) e = s + weight.index;
  while (e > s && (raw[e - 1] === ')' || raw[e - 1] === ']' || raw[e - 1] === ' ') && raw[e - 2] !== '\\') e--;
  const written = raw.slice(s, e).replace(/\\(.)/g, '$1').replace(/\s+/g, ' ');
  return written === tag.name ? { offset: tag.offset + s, length: e - s } : undefined;
}

function replacementFix(field: PromptField, tag: PromptTag, title: string, text: string, preferred: boolean): Fix | undefined {
  const span = nameSpan(tag);
  if (!span) return undefined;
  return { title, edits: [replaceDecoded(field.view, span.offset, span.offset + span.length, text)], isPreferred: preferred };
}

export const promptTagAliasRule: Rule = {
  code: 'prompt-tag-alias',
  severity: 'hint',
  title: 'A Danbooru alias is used instead of its canonical tag',
  description:
    'Danbooru folds aliases (`blond`, `blonde`) into one canonical tag (`blonde_hair`), and images were captioned with the canonical tag, so that is the one the model learned. Checked on tag-style prompts of SD1, SDXL and Anima steps against the shipped Danbooru snapshot (January 2025).',
  fix: 'Replaces the alias with the canonical tag, written in the profile\'s style.',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of tagFields(ctx)) {
      const style = tagStyleOf(f.step.profile);
      for (const { tag: i, canonical } of analysisOf(f, shippedTagIndex).aliases) {
        const tag = f.prompt.tags[i];
        const text = formatTag(canonical, style);
        const fix = replacementFix(f, tag, `Use the canonical tag \`${text}\``, text, true);
        out.push(promptFinding(ctx.doc, promptTagAliasRule, f, tag, `\`${tag.name}\` is a Danbooru alias of \`${text}\`: the model learned the canonical tag, write \`${text}\`.`, fix ? [fix] : []));
      }
    }
    return out;
  },
};

export const promptUnknownTagRule: Rule = {
  code: 'prompt-unknown-tag',
  severity: 'hint',
  title: 'A tag is not a Danbooru tag, but one close to it is',
  description:
    'In a prompt written in Danbooru tags, a tag the model never saw is read as loose words; when a known tag is one or two letters away it is most likely a typo. Only reported on tag-style prompts (short comma-separated tags, at least half of them known), once per distinct tag and at most ' +
    `${MAX_UNKNOWN_PER_PROMPT} per prompt; tags with no close match (new characters, your own words) are left alone.`,
  fix: 'Replaces the tag with the closest known tag (one fix per candidate, at most three).',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of tagFields(ctx)) {
      const style = tagStyleOf(f.step.profile);
      for (const { tag: i, near } of analysisOf(f, shippedTagIndex).unknown) {
        const tag = f.prompt.tags[i];
        const texts = near.map((t) => formatTag(t, style));
        const fixes = texts.flatMap((text, k) => replacementFix(f, tag, `Change to \`${text}\``, text, k === 0 && near.length === 1) ?? []);
        out.push(promptFinding(ctx.doc, promptUnknownTagRule, f, tag, `\`${tag.name}\` is not a Danbooru tag; did you mean ${texts.map((t) => `\`${t}\``).join(' or ')}?`, fixes));
      }
    }
    return out;
  },
};

export const TAG_RULES: readonly Rule[] = [promptTagAliasRule, promptUnknownTagRule];
