// prompt-token-window: the exact CLIP token count (clip-tokens.ts) against the 75-token chunk.
import type { Finding } from '../findings';
import type { Rule } from '../rules/types';
import { getActiveUserProfiles } from '../ecosystems/profiles';
import { promptFields } from './fields';
import { CLIP_CHUNK_TOKENS, promptTokenCount } from './clip-tokens';
import { promptFinding } from './prompt-finding';

export const promptTokenWindowRule: Rule = {
  code: 'prompt-token-window',
  severity: 'info',
  title: 'The prompt is longer than one CLIP window (75 tokens)',
  description:
    'CLIP text encoders (SD1, SDXL) read 77 tokens at a time: a start marker, 75 tokens of text, an end marker. Longer prompts are cut into 75-token chunks encoded separately and joined, so a tag split across a boundary loses context and later chunks tend to count less. The count is exact: CLIP\'s own tokenizer, counted as AUTOMATIC1111 counts (attention syntax and `<lora:…>` removed, a full chunk breaks after its last comma when that comma is among its final 20 tokens, `BREAK` starts a new chunk). Put `BREAK` where you want a chunk to end, or shorten the prompt.',
  check(ctx) {
    const out: Finding[] = [];
    for (const f of promptFields(ctx.doc, getActiveUserProfiles())) {
      if (!f.step.profile?.clipTokenWindow) continue;
      // Every token covers at least one UTF-8 byte and cleaning never adds bytes: a prompt of at
      // most 75 bytes fits one chunk, without loading the vocabulary.
      if (utf8Length(f.prompt.text) <= CLIP_CHUNK_TOKENS) continue;
      const count = promptTokenCount(f.prompt);
      const firstSpill = count.tagChunks.findIndex((c) => c > 1);
      if (count.chunks.length <= 1 || firstSpill < 0) continue;
      const tag = f.prompt.tags[firstSpill];
      const end = f.prompt.text.trimEnd().length;
      const label = f.field === 'prompt' ? 'prompt' : 'negative prompt';
      const sizes = count.chunks.map((c) => c.tokens).join(' + ');
      out.push(
        promptFinding(
          ctx.doc,
          promptTokenWindowRule,
          f,
          { offset: tag.offset, length: Math.max(tag.length, end - tag.offset) },
          `${count.tokens} CLIP tokens: the ${label} is encoded in ${count.chunks.length} chunks of ${CLIP_CHUNK_TOKENS} (${sizes}), and from \`${tag.name}\` on the text is in chunk 2 or later. Put the tags that matter most first, add \`BREAK\` where a chunk should end, or shorten it.`,
        ),
      );
    }
    return out;
  },
};

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 2 : 3; // a surrogate pair: 2 + 2
  }
  return n;
}
