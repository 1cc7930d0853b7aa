// What the status bar says about the prompt under the cursor: "47/75 · chunk 1" (the exact CLIP
// tokens of the chunk holding the cursor), or that the step's text encoder is not CLIP.
import type { WorkflowDocument } from '../workflow/document';
import type { ModelProfile } from '../ecosystems/profiles';
import { promptFieldAt } from './fields';
import { toDecodedOffset } from './json-string';
import { CLIP_CHUNK_TOKENS, chunkAt, promptTokenCount } from './clip-tokens';

export interface PromptTokenStatus {
  /** Short text: `47/75 · chunk 1`, `12/75 · chunk 2 of 2`, or `Anima: no CLIP count`. */
  readonly text: string;
  /** Markdown-free longer explanation. */
  readonly tooltip: string;
  readonly tokens?: number;
  readonly chunk?: number;
  readonly chunks?: number;
}

export function promptTokenStatus(doc: WorkflowDocument, offset: number, userProfiles?: readonly ModelProfile[]): PromptTokenStatus | undefined {
  const field = promptFieldAt(doc, offset, userProfiles);
  const profile = field?.step.profile;
  if (!field || !profile) return undefined;
  const label = field.field === 'prompt' ? 'Prompt' : 'Negative prompt';
  if (!profile.clipTokenWindow) {
    return {
      text: `${profile.name}: no CLIP count`,
      tooltip: `${label}: ${profile.name} does not use a CLIP text encoder, so there are no 75-token chunks to count.`,
    };
  }
  const count = promptTokenCount(field.prompt);
  const chunk = chunkAt(count, toDecodedOffset(field.view, offset));
  const inChunk = count.chunks[chunk - 1]?.tokens ?? 0;
  const of = count.chunks.length > 1 ? ` of ${count.chunks.length}` : '';
  const sizes = count.chunks.map((c) => c.tokens).join(' + ');
  return {
    text: `${inChunk}/${CLIP_CHUNK_TOKENS} · chunk ${chunk}${of}`,
    tooltip:
      `${label}: ${count.tokens} CLIP tokens in ${count.chunks.length} chunk${count.chunks.length === 1 ? '' : 's'} of ${CLIP_CHUNK_TOKENS} (${sizes}); ` +
      `the cursor is in chunk ${chunk}. AUTOMATIC1111 would show ${count.a1111Count}/${Math.max(1, Math.ceil(count.a1111Count / CLIP_CHUNK_TOKENS)) * CLIP_CHUNK_TOKENS}.`,
    tokens: inChunk,
    chunk,
    chunks: count.chunks.length,
  };
}
