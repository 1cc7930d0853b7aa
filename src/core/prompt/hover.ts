// Hover text for a tag inside a prompt string: what a special tag means for the step's profile,
// the Danbooru tag it is (category, posts, aliases; the canonical tag when it is an alias), what
// weight the tag really gets, and what `<lora:…>` and BREAK do. Markdown out; the adapter wraps it.
import type { WorkflowDocument } from '../workflow/document';
import { specialTagOf, type ModelProfile } from '../ecosystems/profiles';
import { promptFieldAt } from './fields';
import { toDecodedOffset, toDocumentSpan } from './json-string';
import { formatNumber } from './edits';
import { EMPHASIS_FACTOR, type PromptTag } from './tokenize';
import type { TagIndex } from '../tags/tag-index';
import { formatTag, lookupName, tagDocumentation, tagStyleOf } from './tag-style';

export interface PromptHoverOptions {
  /** The Danbooru tag index; without it hovers say nothing about Danbooru. */
  readonly tags?: TagIndex;
  /** Link the tag's Danbooru wiki page (off by default: its examples include NSFW images). */
  readonly wikiLinks?: boolean;
}

export interface PromptHover {
  readonly offset: number;
  readonly length: number;
  readonly markdown: string;
}

const KIND_TITLE = { quality: 'Quality tag', score: 'Score tag', temporal: 'Temporal tag', rating: 'Rating tag', people: 'People count' } as const;

function weightLine(tag: PromptTag): string | undefined {
  if (tag.weight === 1) return undefined;
  const parts: string[] = [];
  if (tag.explicitWeight !== undefined) parts.push(`explicit weight ${formatNumber(tag.explicitWeight)}`);
  if (tag.emphasisLevels > 0) parts.push(`${tag.emphasisLevels} level(s) of \`( )\`, ×${EMPHASIS_FACTOR} each`);
  if (tag.emphasisLevels < 0) parts.push(`${-tag.emphasisLevels} level(s) of \`[ ]\`, ÷${EMPHASIS_FACTOR} each`);
  const how = parts.length ? ` (${parts.join(', ')})` : ' (from an enclosing group)';
  return `Attention weight **${formatNumber(tag.weight)}**${how}.`;
}

export function promptHover(doc: WorkflowDocument, offset: number, userProfiles?: readonly ModelProfile[], options: PromptHoverOptions = {}): PromptHover | undefined {
  const field = promptFieldAt(doc, offset, userProfiles);
  if (!field) return undefined;
  const cursor = toDecodedOffset(field.view, offset);
  const token = field.prompt.tokens.find((t) => cursor >= t.offset && cursor < t.offset + t.length);
  if (!token) return undefined;
  const span = toDocumentSpan(field.view, token.offset, token.length);
  const profile = field.step.profile;

  if (token.kind === 'break') {
    return { ...span, markdown: '**BREAK** ends the current 75-token CLIP chunk here: what follows is encoded in a new chunk, so it does not share context with what came before.' };
  }
  if (token.kind === 'network') {
    return {
      ...span,
      markdown:
        `**\`<${token.type}:…>\`** is A1111 syntax. The Civitai service does not read it from the prompt: ` +
        'list the LoRA in the step\'s `loras` map as `"<AIR>": strength` instead (the `prompt-a1111-lora` quick fix does this when the name is an AIR).',
    };
  }
  const lines: string[] = [];
  const special = profile ? specialTagOf(profile, token.key) : undefined;
  if (special && profile) {
    const where = special.polarity === 'negative' ? ' — belongs in the negative prompt' : special.polarity === 'positive' ? ' — belongs in the prompt' : '';
    lines.push(`**${KIND_TITLE[special.kind]}** · ${profile.name}${where}`, '', special.explanation);
    if ((special.kind === 'quality' || special.kind === 'score') && profile.qualityTagPosition && field.field === 'prompt') {
      lines.push('', `${profile.name} wants quality tags at the **${profile.qualityTagPosition}** of the prompt.`);
    }
    if (special.polarity === 'negative' && field.field === 'prompt') lines.push('', '⚠ This tag steers *towards* what it names when it is in the prompt: move it to the negative prompt.');
  } else if (profile?.qualityTags.some((q) => q.toLowerCase() === token.key)) {
    lines.push(`**Quality tag** · ${profile.name}`, '', `Goes at the ${profile.qualityTagPosition ?? 'start or end'} of the prompt.`);
  }
  if (token.embedding) {
    lines.push('**Embedding** (textual inversion)', '', token.name.toLowerCase().startsWith('embedding:')
      ? 'ComfyUI\'s `embedding:name` form. The service loads embeddings listed in the step\'s `embeddings` (AIRs) and the prompt refers to them by name.'
      : 'Named in this step\'s `metadata.embeddingNames`; the embedding itself must be listed in `embeddings`.');
  }
  if (options.tags && profile && !token.embedding) {
    const style = tagStyleOf(profile);
    const name = lookupName(token.name, style);
    const known = options.tags.get(name);
    const canonical = known ? undefined : options.tags.canonicalOf(name);
    const tag = known ?? canonical;
    if (tag) {
      lines.push(...(lines.length ? [''] : []), tagDocumentation(tag.name, tag.category, tag.postCount, tag.aliases, undefined, options.wikiLinks === true));
      if (canonical) lines.push('', `\`${token.name}\` is an alias: write \`${formatTag(canonical, style)}\`, the tag the model learned.`);
    }
  }
  const weight = weightLine(token);
  if (weight) lines.push(...(lines.length ? [''] : []), weight);
  if (lines.length === 0) return undefined;
  return { ...span, markdown: lines.join('\n') };
}
