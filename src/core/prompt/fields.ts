// Finds the prompt strings of a workflow document (imageGen `input.prompt` / `input.negativePrompt`)
// and pairs each with its tokens, its way back to document offsets, and the step's model profile.
import { nodeAtOffset, formatPointer, type JsonNode, type WorkflowDocument } from '../workflow/document';
import { profileForInput, type ModelProfile } from '../ecosystems/profiles';
import { jsonStringView, type JsonStringView } from './json-string';
import { tokenizePrompt, type TokenizedPrompt } from './tokenize';

export type PromptFieldName = 'prompt' | 'negativePrompt';
export const PROMPT_FIELDS: readonly PromptFieldName[] = ['prompt', 'negativePrompt'];

export interface PromptStep {
  readonly index: number;
  /** `/steps/<index>`. */
  readonly pointer: string;
  /** The step's `input` object as parsed (may be partial or odd: the file is user input). */
  readonly input: Readonly<Record<string, unknown>>;
  readonly inputNode: JsonNode;
  readonly profile: ModelProfile | undefined;
}

export interface PromptField {
  readonly step: PromptStep;
  readonly field: PromptFieldName;
  readonly pointer: string;
  /** The string literal node. */
  readonly node: JsonNode;
  readonly view: JsonStringView;
  readonly prompt: TokenizedPrompt;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The value node of member `key`, found as `nodeAtPointer` finds it (the first complete member
 * with that key), but one level down from a node we already hold instead of from the root.
 */
function memberNode(object: JsonNode | undefined, key: string): JsonNode | undefined {
  if (object?.type !== 'object') return undefined;
  for (const property of object.children ?? []) {
    const children = property.children;
    if (children && children.length === 2 && children[0].value === key) return children[1];
  }
  return undefined;
}

/** imageGen steps with an object `input`, in file order. */
export function promptSteps(doc: WorkflowDocument, userProfiles?: readonly ModelProfile[]): PromptStep[] {
  const root = doc.value;
  if (!isRecord(root) || !Array.isArray(root.steps)) return [];
  const stepNodes = memberNode(doc.root, 'steps');
  if (stepNodes?.type !== 'array') return [];
  const out: PromptStep[] = [];
  root.steps.forEach((step, index) => {
    if (!isRecord(step) || step.$type !== 'imageGen' || !isRecord(step.input)) return;
    const inputNode = memberNode(stepNodes.children?.[index], 'input');
    if (!inputNode || inputNode.type !== 'object') return;
    out.push({ index, pointer: formatPointer(['steps', index]), input: step.input, inputNode, profile: profileForInput(step.input, userProfiles) });
  });
  return out;
}

/**
 * Prompts longer than this are not read as tags (no prompt rules, completions or hovers): no
 * contract prompt field allows more (the longest maxLength is 10 000), the contract pass already
 * reports the length, and reading a 2 MB "prompt" of 16 000 `<lora:…>` tokens took seconds.
 */
export const MAX_PROMPT_CHARS = 10_000;

function fieldOf(doc: WorkflowDocument, step: PromptStep, field: PromptFieldName): PromptField | undefined {
  const value = step.input[field];
  if (typeof value !== 'string' || value.length > MAX_PROMPT_CHARS) return undefined;
  const node = memberNode(step.inputNode, field);
  if (!node || node.type !== 'string') return undefined;
  const view = jsonStringView(doc.text, node.offset, node.length, value);
  const embeddings = knownEmbeddingNames(doc, step).flatMap((e) => (e.name ? [e.name] : []));
  return { step, field, pointer: `${step.pointer}/input/${field}`, node, view, prompt: tokenizedPrompt(value, embeddings) };
}

// Tokens depend only on the string and the embedding names, not on where the string sits, so they
// are kept across lints: after a keystroke one prompt changed and the other thousands are reused.
// Least recently used entries go first once the cache holds more than TOKEN_CACHE_MAX_ENTRIES
// prompts or TOKEN_CACHE_MAX_CHARS characters of them (a tokenized prompt takes ~30 bytes per
// character of heap, so ~15 MB at most).
export const TOKEN_CACHE_MAX_ENTRIES = 4096;
export const TOKEN_CACHE_MAX_CHARS = 500_000;
const tokenCache = new Map<string, TokenizedPrompt>();
let tokenCacheChars = 0;

function tokenizedPrompt(text: string, embeddings: readonly string[]): TokenizedPrompt {
  // Unambiguous: the plain form and the JSON form differ in their first character.
  const key = embeddings.length === 0 ? `p${text}` : `e${JSON.stringify([text, ...embeddings])}`;
  const hit = tokenCache.get(key);
  if (hit) {
    tokenCache.delete(key);
    tokenCache.set(key, hit);
    return hit;
  }
  const prompt = tokenizePrompt(text, embeddings.length === 0 ? {} : { embeddings });
  tokenCache.set(key, prompt);
  tokenCacheChars += key.length;
  for (const [oldest, old] of tokenCache) {
    if (tokenCache.size <= TOKEN_CACHE_MAX_ENTRIES && tokenCacheChars <= TOKEN_CACHE_MAX_CHARS) break;
    if (old === prompt) break; // never evict what we are about to return
    tokenCache.delete(oldest);
    tokenCacheChars -= oldest.length;
  }
  return prompt;
}

/** Forgets every tokenized prompt (the bench times a lint of prompts never seen before). */
export function clearTokenCache(): void {
  tokenCache.clear();
  tokenCacheChars = 0;
}

/** How many tokenized prompts are kept, and their characters (for tests). */
export function tokenCacheSize(): { entries: number; chars: number } {
  return { entries: tokenCache.size, chars: tokenCacheChars };
}

/** Embedding names recorded in the step's `metadata.embeddingNames` ({ "<AIR>": "name" }) for its listed embeddings. */
export function knownEmbeddingNames(doc: WorkflowDocument, step: PromptStep): Array<{ air: string; name?: string }> {
  const list = Array.isArray(step.input.embeddings) ? step.input.embeddings.filter((e): e is string => typeof e === 'string') : [];
  const root = doc.value as { steps?: unknown[] } | undefined;
  const stepValue = Array.isArray(root?.steps) ? root.steps[step.index] : undefined;
  const metadata = isRecord(stepValue) ? stepValue.metadata : undefined;
  const names = isRecord(metadata) && isRecord(metadata.embeddingNames) ? metadata.embeddingNames : {};
  return list.map((air) => {
    const name = names[air];
    return typeof name === 'string' && name.trim() ? { air, name: name.trim() } : { air };
  });
}

// Every prompt rule asks for the same fields of the same document: tokenize once per document.
const cache = new WeakMap<WorkflowDocument, { profiles: readonly ModelProfile[] | undefined; fields: PromptField[] }>();

/** Every prompt string in the document. */
export function promptFields(doc: WorkflowDocument, userProfiles?: readonly ModelProfile[]): PromptField[] {
  const hit = cache.get(doc);
  if (hit && hit.profiles === userProfiles) return hit.fields;
  const fields = promptSteps(doc, userProfiles).flatMap((step) =>
    PROMPT_FIELDS.map((f) => fieldOf(doc, step, f)).filter((f): f is PromptField => f !== undefined),
  );
  cache.set(doc, { profiles: userProfiles, fields });
  return fields;
}

/** The prompt string whose content contains the document offset (between the quotes). */
export function promptFieldAt(doc: WorkflowDocument, offset: number, userProfiles?: readonly ModelProfile[]): PromptField | undefined {
  const node = nodeAtOffset(doc, offset);
  if (!node || node.type !== 'string') return undefined;
  // Strictly inside the quotes (an unterminated literal has no closing quote).
  const closed = node.length >= 2 && doc.text[node.offset + node.length - 1] === '"';
  if (offset <= node.offset || (closed && offset >= node.offset + node.length)) return undefined;
  return promptFields(doc, userProfiles).find((f) => f.node.offset === node.offset);
}

/** The step whose range contains the offset (for the preview panel following the cursor). */
export function promptStepAt(doc: WorkflowDocument, offset: number, userProfiles?: readonly ModelProfile[]): PromptStep | undefined {
  const steps = promptSteps(doc, userProfiles);
  for (const step of steps) {
    const stepNode = step.inputNode.parent?.parent; // input value → property → step object
    const node = stepNode ?? step.inputNode;
    if (offset >= node.offset && offset <= node.offset + node.length) return step;
  }
  return undefined;
}
