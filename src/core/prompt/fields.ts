// Finds the prompt strings of a workflow document (imageGen `input.prompt` / `input.negativePrompt`)
// and pairs each with its tokens, its way back to document offsets, and the step's model profile.
import { nodeAtOffset, nodeAtPointer, formatPointer, type JsonNode, type WorkflowDocument } from '../workflow/document';
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

/** imageGen steps with an object `input`, in file order. */
export function promptSteps(doc: WorkflowDocument, userProfiles?: readonly ModelProfile[]): PromptStep[] {
  const root = doc.value;
  if (!isRecord(root) || !Array.isArray(root.steps)) return [];
  const out: PromptStep[] = [];
  root.steps.forEach((step, index) => {
    if (!isRecord(step) || step.$type !== 'imageGen' || !isRecord(step.input)) return;
    const pointer = formatPointer(['steps', index]);
    const inputNode = nodeAtPointer(doc, `${pointer}/input`);
    if (!inputNode || inputNode.type !== 'object') return;
    out.push({ index, pointer, input: step.input, inputNode, profile: profileForInput(step.input, userProfiles) });
  });
  return out;
}

function fieldOf(doc: WorkflowDocument, step: PromptStep, field: PromptFieldName): PromptField | undefined {
  const value = step.input[field];
  if (typeof value !== 'string') return undefined;
  const pointer = `${step.pointer}/input/${field}`;
  const node = nodeAtPointer(doc, pointer);
  if (!node || node.type !== 'string') return undefined;
  const view = jsonStringView(doc.text, node.offset, node.length, value);
  return { step, field, pointer, node, view, prompt: tokenizePrompt(value, { embeddings: knownEmbeddingNames(doc, step).flatMap((e) => (e.name ? [e.name] : [])) }) };
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
