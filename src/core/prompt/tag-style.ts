// Danbooru tags as a model profile wants them written, and the other way round, plus the test of
// whether a prompt is written in tags at all (the tag checks stay off natural-language prompts).
import { SPACED_ESCAPED_TAGS, type ModelProfile, type TagStyle } from '../ecosystems/profiles';
import type { TagCategory, TagIndex, TagInfo } from '../tags/tag-index';
import { escapeTagName, type TokenizedPrompt } from './tokenize';

export function tagStyleOf(profile: ModelProfile | undefined): TagStyle {
  return profile?.tagStyle ?? SPACED_ESCAPED_TAGS;
}

/** The prompt text for a tag: `firefly_(honkai:_star_rail)` → `firefly \(honkai: star rail\)`. */
export function formatTag(tag: Pick<TagInfo, 'name' | 'category'>, style: TagStyle): string {
  let text = style.spaces ? tag.name.replace(/_/g, ' ') : tag.name;
  text = style.escapeParentheses ? escapeTagName(text) : text;
  return tag.category === 'artist' && style.artistPrefix ? style.artistPrefix + text : text;
}

/** A prompt tag's name as the index knows it: without the profile's artist prefix. */
export function lookupName(name: string, style: TagStyle): string {
  return style.artistPrefix && name.startsWith(style.artistPrefix) ? name.slice(style.artistPrefix.length) : name;
}

export const CATEGORY_LABEL: Readonly<Record<TagCategory, string>> = {
  general: 'general',
  artist: 'artist',
  copyright: 'copyright (series)',
  character: 'character',
  meta: 'meta',
};

/** `1537942` → `1,537,942 posts`; the quality tags have none. */
export function postCountText(count: number): string {
  // By hand: toLocaleString builds an ICU formatter per call, ~60 times per completion.
  return count < 0 ? 'quality tag' : `${String(count).replace(/\B(?=(\d{3})+$)/g, ',')} post${count === 1 ? '' : 's'}`;
}

/** Words a tag may have and still read as a tag (`looking at viewer`, `firefly (honkai: star rail)`). */
const MAX_TAG_WORDS = 4;

/**
 * Whether the prompt is written in tags: at least two comma-separated tags, nearly all of them
 * short, and at least half of them known to the index (names or aliases). A sentence-like prompt
 * ("a cat sitting on a red sofa in the evening light") fails one of the three.
 */
export function isTagStylePrompt(prompt: TokenizedPrompt, index: TagIndex, style: TagStyle = SPACED_ESCAPED_TAGS): boolean {
  const tags = prompt.tags.filter((t) => !t.embedding);
  if (tags.length < 2) return false;
  const short = tags.filter((t) => t.name.split(' ').length <= MAX_TAG_WORDS).length;
  if (short < tags.length * 0.8) return false;
  const known = tags.filter((t) => index.knows(lookupName(t.name, style))).length;
  return known >= tags.length * 0.5;
}

/** Markdown shared by completion items and hovers. */
export function tagDocumentation(name: string, category: TagCategory, postCount: number, aliases: readonly string[], viaAlias?: string, wikiLink = false): string {
  const lines = [`**${name}** · Danbooru ${CATEGORY_LABEL[category]} tag · ${postCountText(postCount)}`];
  if (viaAlias) lines.push('', `\`${viaAlias}\` is an alias: the canonical tag is inserted.`);
  const shown = aliases.filter((a) => !a.startsWith('/'));
  if (shown.length) lines.push('', `Aliases: ${shown.slice(0, 12).map((a) => `\`${a}\``).join(', ')}${shown.length > 12 ? ` and ${shown.length - 12} more` : ''}`);
  if (wikiLink) lines.push('', `[Danbooru wiki](https://danbooru.donmai.us/wiki_pages/${encodeURIComponent(name)})`);
  return lines.join('\n');
}
