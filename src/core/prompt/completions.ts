// Completion data inside `prompt` / `negativePrompt` strings: the profile's special tags
// (quality, score, temporal, rating, people count), its recommended sequences, a negative-prompt
// preset, the names of the step's embeddings and, given the tag index, the Danbooru tags matching
// what is typed. Core computes items, their order and the document range they replace (the tag
// being typed); the editor adapter only converts them.
import type { WorkflowDocument } from '../workflow/document';
import type { ModelProfile, SpecialTag, SpecialTagKind } from '../ecosystems/profiles';
import { knownEmbeddingNames, promptFieldAt, type PromptField } from './fields';
import { escapeJsonStringContent, toDecodedOffset, toDocumentOffset } from './json-string';
import { escapeTagName, tagKey } from './tokenize';
import type { TagCategory, TagIndex, TagUsage } from '../tags/tag-index';
import { CATEGORY_LABEL, formatTag, postCountText, tagDocumentation, tagStyleOf } from './tag-style';

export type PromptCompletionKind = SpecialTagKind | 'sequence' | 'negative-preset' | 'embedding' | 'danbooru';

export interface PromptCompletionItem {
  readonly label: string;
  readonly kind: PromptCompletionKind;
  /** Text for the document: already escaped for the JSON string. */
  readonly insertText: string;
  /** When true, `insertText` is a snippet (`${1:placeholder}`). */
  readonly isSnippet?: boolean;
  readonly filterText: string;
  /** Orders profile recommendations first. */
  readonly sortText: string;
  readonly detail: string;
  /** Markdown. */
  readonly documentation: string;
  /** Danbooru tags: the tag's name (for usage counts), category and posts. */
  readonly tag?: { readonly name: string; readonly category: TagCategory; readonly postCount: number; readonly alias?: string };
}

export interface PromptCompletionOptions {
  /** The Danbooru tag index; without it only the profile's own items are offered. */
  readonly tags?: TagIndex;
  /** The user's picks, blended into the ranking. */
  readonly usage?: TagUsage;
  /** Danbooru items at most (default 40: more than the suggest widget shows, and each costs a little). */
  readonly tagLimit?: number;
}

export interface PromptCompletions {
  /** Document span the items replace: the tag being typed (may be empty at the cursor). */
  readonly offset: number;
  readonly length: number;
  readonly items: readonly PromptCompletionItem[];
  readonly field: PromptField;
}

const KIND_LABEL: Record<PromptCompletionKind, string> = {
  quality: 'quality tag',
  score: 'score tag',
  temporal: 'temporal tag',
  rating: 'rating tag',
  people: 'people count',
  sequence: 'recommended sequence',
  'negative-preset': 'negative prompt preset',
  embedding: 'embedding',
  danbooru: 'Danbooru tag',
};

const KIND_ORDER: Record<PromptCompletionKind, number> = {
  sequence: 0,
  'negative-preset': 0,
  quality: 1,
  score: 2,
  people: 3,
  rating: 4,
  temporal: 5,
  embedding: 6,
  danbooru: 7,
};
/** Quality and score tags the profile wants at the other end of the prompt sort after the Danbooru tags. */
const ELSEWHERE_ORDER = 8;

/** Characters that end the tag being typed. */
const TAG_END = new Set([',', '(', ')', '[', ']', '<', '>', ':']);

function isEscapedAt(text: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; k >= 0 && text[k] === '\\'; k--) n++;
  return n % 2 === 1;
}

/** Decoded [start, end) of the tag around `cursor`: after the last separator, up to the next. */
export function currentTagSpan(text: string, cursor: number): { start: number; end: number } {
  let start = cursor;
  while (start > 0 && !(TAG_END.has(text[start - 1]) && !isEscapedAt(text, start - 1))) start--;
  while (start < cursor && /\s/.test(text[start])) start++;
  let end = cursor;
  while (end < text.length && !(TAG_END.has(text[end]) && !isEscapedAt(text, end))) end++;
  while (end > cursor && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** True while the cursor is inside (or typing) a `<lora:…>`-style token. */
function insideNetwork(text: string, cursor: number): boolean {
  const open = text.lastIndexOf('<', cursor - 1);
  return open >= 0 && !text.slice(open, cursor).includes('>');
}

function tagItem(profile: ModelProfile, tag: SpecialTag, wantedHere = true): PromptCompletionItem {
  return {
    label: tag.tag,
    kind: tag.kind,
    insertText: escapeJsonStringContent(escapeTagName(tag.tag)),
    filterText: tag.tag,
    sortText: `${wantedHere ? KIND_ORDER[tag.kind] : ELSEWHERE_ORDER}-${tag.tag}`,
    detail: `${profile.name} · ${KIND_LABEL[tag.kind]}`,
    documentation: tag.explanation,
  };
}

function civitaiPageOf(air: string): string | undefined {
  const m = /civitai:(\d+)@(\d+)/.exec(air);
  return m ? `https://civitai.com/models/${m[1]}?modelVersionId=${m[2]}` : undefined;
}

export function promptCompletions(doc: WorkflowDocument, offset: number, userProfiles?: readonly ModelProfile[], options: PromptCompletionOptions = {}): PromptCompletions | undefined {
  const field = promptFieldAt(doc, offset, userProfiles);
  if (!field) return undefined;
  const text = field.prompt.text;
  const cursor = toDecodedOffset(field.view, offset);
  if (insideNetwork(text, cursor)) return undefined;
  const span = currentTagSpan(text, cursor);
  const docStart = toDocumentOffset(field.view, span.start);
  const docEnd = toDocumentOffset(field.view, span.end);
  // Tags already in this prompt (other than the one being typed) are not offered again.
  const present = new Set(field.prompt.tags.filter((t) => !(t.offset <= span.start && span.end <= t.offset + t.length)).map((t) => t.key));

  const items: PromptCompletionItem[] = [];
  const profile = field.step.profile;
  if (profile) {
    const negative = field.field === 'negativePrompt';
    // Quality and score tags lead where the profile puts them: at the start for "start" profiles,
    // at the end for "end" ones (Animagine); elsewhere they still come, after the Danbooru tags.
    const tagsBefore = field.prompt.tags.some((t) => t.offset + t.length <= span.start);
    const tagsAfter = field.prompt.tags.some((t) => t.offset >= span.end && t.offset > span.start);
    const wanted = (tag: SpecialTag) =>
      negative || (tag.kind !== 'quality' && tag.kind !== 'score') || !profile.qualityTagPosition || (profile.qualityTagPosition === 'start' ? !tagsBefore : !tagsAfter);
    for (const tag of profile.specialTags) {
      if (present.has(tag.tag)) continue;
      const fits = negative ? tag.polarity === 'negative' || tag.kind === 'rating' : tag.polarity !== 'negative';
      if (fits) items.push(tagItem(profile, tag, wanted(tag)));
    }
    if (!negative) {
      for (const seq of profile.sequences) {
        items.push({
          label: seq.label,
          kind: 'sequence',
          insertText: escapeJsonStringContent(seq.text),
          filterText: seq.text,
          sortText: `0-${seq.label}`,
          detail: `${profile.name} · ${KIND_LABEL.sequence}`,
          documentation: `${seq.explanation}\n\nTag order for ${profile.name}: ${profile.tagOrder.join(' → ')}.`,
        });
      }
    } else if (profile.negativePrompt) {
      items.push({
        label: `${profile.name} negative prompt`,
        kind: 'negative-preset',
        insertText: escapeJsonStringContent(profile.negativePrompt),
        filterText: profile.negativePrompt,
        sortText: '0-preset',
        detail: `${profile.name} · ${KIND_LABEL['negative-preset']}`,
        documentation: `The recommended negative prompt for ${profile.name}:\n\n\`${profile.negativePrompt}\``,
      });
    }
  }
  for (const e of knownEmbeddingNames(doc, field.step)) {
    const page = civitaiPageOf(e.air);
    if (e.name) {
      if (present.has(e.name.toLowerCase())) continue;
      items.push({
        label: e.name,
        kind: 'embedding',
        insertText: escapeJsonStringContent(e.name),
        filterText: e.name,
        sortText: `${KIND_ORDER.embedding}-${e.name}`,
        detail: `embedding · ${e.air}`,
        documentation: `Textual inversion listed in this step's \`embeddings\`; the prompt refers to it by name.`,
      });
    } else {
      items.push({
        label: `embedding ${e.air}`,
        kind: 'embedding',
        insertText: '${1:embedding name}',
        isSnippet: true,
        filterText: `embedding ${e.air}`,
        sortText: `${KIND_ORDER.embedding}-${e.air}`,
        detail: 'embedding · name unknown',
        documentation:
          `This step lists the embedding \`${e.air}\`; the prompt refers to an embedding by its name, which the AIR does not carry. ` +
          `Type the trigger name shown on its Civitai page${page ? ` (${page})` : ''}, or record it in the step's \`metadata.embeddingNames\` ({ "<AIR>": "name" }) to have it offered here.`,
      });
    }
  }
  if (options.tags && profile) items.push(...danbooruItems(options, text.slice(span.start, cursor), present, profile, new Set(items.map((i) => tagKey(i.label)))));
  // The editor filters the profile's items by what was typed (fuzzy); Danbooru items are already
  // the best matches of the whole index.
  return { offset: docStart, length: docEnd - docStart, items, field };
}

function danbooruItems(options: PromptCompletionOptions, typed: string, present: ReadonlySet<string>, profile: ModelProfile, offered: ReadonlySet<string>): PromptCompletionItem[] {
  const style = tagStyleOf(profile);
  const query = style.artistPrefix && typed.startsWith(style.artistPrefix) ? typed.slice(style.artistPrefix.length) : typed;
  const matches = options.tags!.search(query, { limit: options.tagLimit ?? 40, usage: options.usage });
  const out: PromptCompletionItem[] = [];
  matches.forEach((m, rank) => {
    const key = tagKey(m.tag.name);
    if (present.has(key) || offered.has(key)) return;
    const text = formatTag(m.tag, style);
    // Shown without the escapes the prompt needs: `smile (rz)`, inserted as `smile \(rz\)`.
    const shown = formatTag(m.tag, { ...style, escapeParentheses: false });
    const posts = postCountText(m.tag.postCount);
    out.push({
      label: m.alias ? `${m.alias} → ${shown}` : shown,
      kind: 'danbooru',
      insertText: escapeJsonStringContent(text),
      // What the editor's fuzzy filter compares with the typed text: the alias that matched, the
      // name, or (for a match inside a word, which the filter would drop) the typed text itself.
      filterText: m.kind === 'substring' ? `${typed} ${shown}` : m.alias ?? shown,
      sortText: `${KIND_ORDER.danbooru}-${String(rank).padStart(4, '0')}`,
      detail: `${CATEGORY_LABEL[m.tag.category]} · ${posts}`,
      documentation: tagDocumentation(m.tag.name, m.tag.category, m.tag.postCount, m.tag.aliases, m.alias),
      tag: { name: m.tag.name, category: m.tag.category, postCount: m.tag.postCount, ...(m.alias ? { alias: m.alias } : {}) },
    });
  });
  return out;
}
