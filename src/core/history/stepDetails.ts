// What the results panel's details pane shows for a step: everything needed to make its images
// again (prompts as tag chips, model and LoRAs with readable names where known, sampler, steps,
// cfg…), read from the input the service echoed back. Pure; no guessing of values it did not run.
import { parseAir } from '../air';
import { profileForInput, specialTagOf } from '../ecosystems/profiles';
import { tokenizePrompt } from '../prompt/tokenize';
import { IMAGE_GEN_LEAVES, type ImageGenLeaf } from '../schema/image-gen-leaves.generated';
import type { DetailChip, Resource, StepDetails } from '../messages/results';
import type { StepSnapshot } from './snapshot';

const SHORTENED = /… \(\d+ characters\)$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * The heading of a step: its own name when the author gave one, else "Step 1 · imageGen" (the
 * service names unnamed steps by their index, which read as a count: "0 imageGen").
 */
export function stepTitle(name: string, type: string, index: number): string {
  return /^\d+$/.test(name.trim()) || name.trim() === '' ? `Step ${index + 1} · ${type}` : name;
}

/** An AIR in words: "Civitai checkpoint 4384, version 128713". */
export function describeAir(air: string): string {
  const parsed = parseAir(air);
  if (!parsed) return air;
  const source = parsed.source === 'civitai' ? 'Civitai' : parsed.source;
  const kind = parsed.type ?? 'resource';
  return `${source} ${kind} ${parsed.id}${parsed.version ? `, version ${parsed.version}` : ''}`;
}

/**
 * Names the step's metadata records for its resources: `metadata.resourceNames` and
 * `metadata.embeddingNames` ({ "<AIR>": "name" }), the convention the prompt features read too.
 */
function recordedNames(step: StepSnapshot): Map<string, string> {
  const names = new Map<string, string>();
  const metadata = (step as { metadata?: unknown }).metadata;
  if (!isRecord(metadata)) return names;
  for (const field of ['embeddingNames', 'resourceNames']) {
    const map = metadata[field];
    if (!isRecord(map)) continue;
    for (const [air, name] of Object.entries(map)) if (typeof name === 'string' && name.trim()) names.set(air, name.trim());
  }
  return names;
}

function resource(air: string, names: Map<string, string>, strength: number | null = null, fallbackName: string | null = null): Resource {
  return { air, name: names.get(air) ?? fallbackName, description: describeAir(air), strength };
}

function chips(text: string | null, input: Record<string, unknown>): DetailChip[] {
  if (!text) return [];
  const profile = profileForInput(input);
  return tokenizePrompt(text).tokens.map((t) => ({
    kind: t.kind,
    text: t.kind === 'tag' ? t.name : t.kind === 'network' ? t.raw : 'BREAK',
    weight: t.kind === 'tag' ? t.weight : 1,
    special: t.kind === 'tag' && profile ? specialTagOf(profile, t.key)?.kind ?? null : null,
  }));
}

const SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['sampler', 'Sampler'],
  ['sampleMethod', 'Sampler'],
  ['scheduler', 'Schedule'],
  ['schedule', 'Schedule'],
  ['steps', 'Steps'],
  ['cfgScale', 'CFG scale'],
  ['guidanceScale', 'Guidance'],
  ['clipSkip', 'Clip skip'],
  ['strength', 'Strength'],
  ['denoiseStrength', 'Denoise strength'],
  ['quantity', 'Images'],
];

function shown(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.$ref === 'string') return `from ${value.$ref}`;
  return null;
}

/** Reproduction details of a step that generates from a prompt; null for other step types. */
export function buildStepDetails(step: StepSnapshot): StepDetails | null {
  const input = step.input;
  if (!isRecord(input) || (typeof input.prompt !== 'string' && step.$type !== 'imageGen')) return null;
  const names = recordedNames(step);
  const prompt = str(input.prompt);
  const negativePrompt = str(input.negativePrompt);
  const modelAir = str(input.model) ?? str(input.diffuserModel) ?? str(input.checkpointModel);
  // A profile made for this very model (Animagine XL 4.0, the user's own) names it.
  const profile = modelAir ? profileForInput(input) : undefined;
  const profileName = profile?.air && modelAir?.toLowerCase().startsWith(profile.air.toLowerCase()) ? profile.name : null;
  const loras = isRecord(input.loras)
    ? Object.entries(input.loras).map(([air, w]) => resource(air, names, typeof w === 'number' ? w : null))
    : [];
  const embeddings = Array.isArray(input.embeddings)
    ? input.embeddings.filter((e): e is string => typeof e === 'string').map((air) => resource(air, names))
    : [];
  // A field left out ran with the contract's default: show it, marked as such.
  const leaf = (IMAGE_GEN_LEAVES as Readonly<Record<string, ImageGenLeaf>>)[`${String(input.engine)}/${String(input.ecosystem)}/${String(input.operation ?? 'createImage')}`];
  const settings: Array<{ label: string; value: string }> = [];
  for (const [field, label] of SETTINGS) {
    if (settings.some((s) => s.label === label)) continue;
    const written = shown(input[field]);
    const fallback = leaf && field in leaf.properties ? shown(leaf.properties[field]?.default) : null;
    if (written !== null) settings.push({ label, value: written });
    else if (fallback !== null) settings.push({ label, value: `${fallback} (default)` });
  }
  const strings = [prompt, negativePrompt, modelAir].filter((s): s is string => s !== null);
  return {
    engine: str(input.engine),
    ecosystem: str(input.ecosystem),
    operation: str(input.operation),
    prompt,
    promptChips: chips(prompt, input),
    negativePrompt,
    negativeChips: chips(negativePrompt, input),
    model: modelAir ? resource(modelAir, names, null, profileName) : null,
    loras,
    embeddings,
    settings,
    fromImage: input.image !== undefined || Array.isArray(input.images),
    shortened: strings.some((s) => SHORTENED.test(s)),
  };
}
