// Import the "generation parameters" text that AUTOMATIC1111 / Forge / Civitai write into images
// and offer to copy:
//
//   <prompt, possibly several lines>
//   Negative prompt: <negative prompt, possibly several lines>
//   Steps: 25, Sampler: Euler a, Schedule type: Automatic, CFG scale: 6, Seed: 1, Size: 832x1216, …
//
// Values containing `,` `:` or `"` are JSON-quoted; `Civitai resources` is a bare JSON array.
// The result is a workflow in the current shape (engine + ecosystem + operation) plus notes that
// say what was guessed, what was dropped and what the user still has to choose.
import * as z from '../zod-mini';
import {
  ECOSYSTEMS,
  isEcosystemId,
  resolveA1111Sampler,
  type Engine,
  type EcosystemId,
} from '../ecosystems/table';
import { ANIMAGINE_XL_4_MODEL_ID, ANIMAGINE_XL_4_VERSIONS, ecosystemOfAir } from '../ecosystems/profiles';
import { tokenizePrompt, segmentRemovalSpan } from './tokenize';
import { spliceAll } from './edits';

// ---- Parsing the text ----

export interface GenerationSetting {
  readonly key: string;
  /** The value with JSON quoting removed. */
  readonly value: string;
}

export interface GenerationParameters {
  readonly prompt: string;
  readonly negativePrompt?: string;
  /** The `Key: value` settings in the order written. */
  readonly settings: readonly GenerationSetting[];
}

const NEGATIVE_PREFIX = /^negative prompt:\s?/i;
const KEY_RE = /^([A-Za-z][\w \-/().+]*?):\s*/;

/** Parses the text; undefined when there is nothing that looks like a prompt or settings. */
export function parseGenerationParameters(text: string): GenerationParameters | undefined {
  const lines = text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '').trim().split('\n');
  if (lines.length === 1 && lines[0].trim() === '') return undefined;
  // The settings line: the last line that starts with `Steps:` or holds at least three settings.
  let settingsAt = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (/^Steps:\s*\d+/i.test(line) || (i === lines.length - 1 && !NEGATIVE_PREFIX.test(line) && parseSettings(line).length >= 3)) {
      settingsAt = i;
      break;
    }
  }
  const settings = settingsAt >= 0 ? parseSettings(lines.slice(settingsAt).join(', ')) : [];
  const body = settingsAt >= 0 ? lines.slice(0, settingsAt) : lines;
  const negAt = body.findIndex((l) => NEGATIVE_PREFIX.test(l.trim()));
  const promptLines = negAt >= 0 ? body.slice(0, negAt) : body;
  const prompt = tidy(promptLines.join('\n'));
  const negativePrompt = negAt >= 0 ? tidy([body[negAt].trim().replace(NEGATIVE_PREFIX, ''), ...body.slice(negAt + 1)].join('\n')) : undefined;
  if (prompt === '' && negativePrompt === undefined && settings.length === 0) return undefined;
  return { prompt, ...(negativePrompt !== undefined ? { negativePrompt } : {}), settings };
}

/** Trims whitespace and a dangling trailing comma (a habit of multi-line prompts). */
function tidy(s: string): string {
  return s.trim().replace(/,\s*$/, '').trim();
}

/** Reads `Key: value, Key: "quoted, value", Key: [json]` pairs; skips what it cannot read. */
export function parseSettings(line: string): GenerationSetting[] {
  const out: GenerationSetting[] = [];
  let p = 0;
  while (p < line.length) {
    while (p < line.length && /[\s,]/.test(line[p])) p++;
    if (p >= line.length) break;
    const m = KEY_RE.exec(line.slice(p));
    if (!m) {
      const comma = line.indexOf(',', p);
      p = comma < 0 ? line.length : comma + 1;
      continue;
    }
    const key = m[1].trim();
    p += m[0].length;
    let value: string;
    if (line[p] === '"') {
      const end = scanString(line, p);
      const raw = line.slice(p, end);
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
      }
      p = end;
    } else if (line[p] === '[' || line[p] === '{') {
      const end = scanBalanced(line, p);
      value = line.slice(p, end);
      p = end;
    } else {
      const comma = line.indexOf(',', p);
      const end = comma < 0 ? line.length : comma;
      value = line.slice(p, end).trim();
      p = end;
    }
    out.push({ key, value });
  }
  return out;
}

function scanString(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i + 1;
  }
  return s.length;
}

function scanBalanced(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = scanString(s, i) - 1;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return s.length;
}

// ---- Building the workflow ----

export interface ImportNote {
  readonly severity: 'info' | 'warning';
  readonly message: string;
}

export interface ImportResult {
  /** The workflow body, ready to be written as `*.civitai.json`. */
  readonly workflow: { steps: Array<{ $type: 'imageGen'; name: string; input: Record<string, unknown>; metadata?: Record<string, unknown> }> };
  readonly notes: readonly ImportNote[];
  readonly ecosystem: EcosystemId;
  readonly engine: Engine;
  /** False when `model` holds the placeholder the user must replace. */
  readonly modelChosen: boolean;
}

export interface ImportOptions {
  /** Prefer this engine where both can express the parameters (default sdcpp, the guides' default). */
  readonly engine?: Engine;
}

/** The `Civitai resources` entries, validated: they come from whatever wrote the image. */
const civitaiResourceSchema = z.looseObject({
  type: z.optional(z.string()),
  air: z.optional(z.string()),
  modelId: z.optional(z.number()),
  modelVersionId: z.optional(z.number()),
  modelName: z.optional(z.string()),
  modelVersionName: z.optional(z.string()),
  weight: z.optional(z.number()),
});
const civitaiResourcesSchema = z.array(civitaiResourceSchema);
type CivitaiResource = z.infer<typeof civitaiResourceSchema>;

/** Our own keys (written by `export-params.ts`) so a round trip keeps what A1111 has no word for. */
export const ECOSYSTEM_KEY = 'Civitai ecosystem';
export const ENGINE_KEY = 'Civitai engine';
/** The `Version:` our export writes (followed by the extension version when known). */
export const EXPORT_VERSION = 'civitai-workflows';

/** Placeholder for a checkpoint the user must choose; it fails the contract's AIR pattern on purpose. */
export function modelPlaceholder(ecosystem: EcosystemId): string {
  return `choose a checkpoint: urn:air:${ecosystem}:checkpoint:civitai:<modelId>@<versionId>`;
}

const LORA_TYPES = new Set(['lora', 'lycoris', 'locon', 'dora']);
const EMBEDDING_TYPES = new Set(['embed', 'embedding', 'textualinversion', 'textual inversion']);
const HIRES_KEY = /^hires /i;
/** Settings that describe the run but have no counterpart in an imageGen input. */
const ABSORBED = new Set(['steps', 'sampler', 'schedule type', 'cfg scale', 'seed', 'size', 'clip skip', 'batch size', 'civitai resources', 'lora hashes', 'model', 'model hash', ECOSYSTEM_KEY.toLowerCase(), ENGINE_KEY.toLowerCase()]);

export function importGenerationParameters(text: string, options: ImportOptions = {}): ImportResult | undefined {
  const params = parseGenerationParameters(text);
  return params ? buildWorkflow(params, options) : undefined;
}

export function buildWorkflow(params: GenerationParameters, options: ImportOptions = {}): ImportResult {
  const notes: ImportNote[] = [];
  const info = (message: string) => notes.push({ severity: 'info', message });
  const warn = (message: string) => notes.push({ severity: 'warning', message });
  const get = (key: string) => params.settings.find((s) => s.key.toLowerCase() === key.toLowerCase())?.value;
  const kept: Record<string, string> = {};
  const keep = (key: string, value: string) => {
    kept[key] = value;
  };

  // Resources listed by Civitai (AIRs when present).
  const resources = readResources(get('Civitai resources'), warn);
  const checkpoint = resources.find((r) => (r.type ?? '').toLowerCase() === 'checkpoint');
  const modelSetting = get('Model');
  const modelHash = get('Model hash')?.toLowerCase();
  const knownVersion = ANIMAGINE_XL_4_VERSIONS.find((v) => v.autoV2Hash === modelHash || v.versionId === checkpoint?.modelVersionId);

  let modelAir: string | undefined;
  let modelFrom = '';
  if (checkpoint?.air && ecosystemOfAir(checkpoint.air)) {
    modelAir = checkpoint.air;
    modelFrom = 'the checkpoint AIR in Civitai resources';
  } else if (modelSetting && ecosystemOfAir(modelSetting)) {
    modelAir = modelSetting;
    modelFrom = 'the Model setting';
  } else if (checkpoint?.air) {
    warn(`The checkpoint ${checkpoint.air} is not an SD1, SDXL or Anima model, which is all this import handles: the ecosystem is guessed instead.`);
  }
  if (!modelAir && knownVersion) {
    modelAir = `urn:air:sdxl:checkpoint:civitai:${ANIMAGINE_XL_4_MODEL_ID}@${knownVersion.versionId}`;
    modelFrom = `the model hash ${knownVersion.autoV2Hash} (Animagine XL 4.0 ${knownVersion.name})`;
  }

  // Size.
  const size = /^(\d+)\s*x\s*(\d+)$/i.exec(get('Size') ?? '');
  const width = size ? Number(size[1]) : undefined;
  const height = size ? Number(size[2]) : undefined;

  // Ecosystem: our own key, the model AIR, else the size.
  let ecosystem: EcosystemId;
  const declared = get(ECOSYSTEM_KEY);
  if (isEcosystemId(declared)) {
    ecosystem = declared;
    info(`Ecosystem ${ecosystem}: named in the parameters.`);
  } else if (modelAir) {
    ecosystem = ecosystemOfAir(modelAir)!;
    info(`Ecosystem ${ecosystem}: from ${modelFrom}.`);
  } else if (width !== undefined && height !== undefined) {
    ecosystem = Math.max(width, height) <= 768 ? 'sd1' : 'sdxl';
    const mp = ((width * height) / 1_000_000).toFixed(2);
    info(
      ecosystem === 'sd1'
        ? `Ecosystem sd1: guessed from the size ${width}×${height} (no side above 768 px, SD1's range). Change it if the image came from another model family.`
        : `Ecosystem sdxl: guessed from the size ${width}×${height} (${mp} MP, SDXL's ~1 MP range). Anima images look the same by size: change to "anima" if it was one.`,
    );
  } else {
    ecosystem = 'sdxl';
    warn('Ecosystem sdxl: the parameters name no model AIR and no size, so SDXL is a default. Check it.');
  }
  const facts = ECOSYSTEMS[ecosystem];

  // Engine and sampler.
  let engine: Engine = facts.engines.includes(options.engine ?? 'sdcpp') ? options.engine ?? 'sdcpp' : facts.engines[0];
  const declaredEngine = get(ENGINE_KEY);
  if ((declaredEngine === 'sdcpp' || declaredEngine === 'comfy') && facts.engines.includes(declaredEngine)) engine = declaredEngine;
  const samplerFields: Record<string, string> = {};
  const samplerName = get('Sampler');
  const scheduleType = get('Schedule type');
  if (samplerName) {
    const resolved = resolveA1111Sampler(samplerName, scheduleType);
    const label = `${samplerName}${scheduleType && scheduleType.toLowerCase() !== 'automatic' ? ` / ${scheduleType}` : ''}`;
    if (!resolved || (!resolved.sdcpp && !resolved.comfy)) {
      keep('Sampler', samplerName);
      if (scheduleType) keep('Schedule type', scheduleType);
      warn(`Sampler "${label}" has no counterpart on sdcpp or comfy: the engine's default sampler is used (the name is kept in metadata).`);
    } else {
      if (engine === 'sdcpp' && !resolved.sdcpp && resolved.comfy && facts.engines.includes('comfy')) {
        engine = 'comfy';
        info(`Engine comfy: sampler "${label}" exists only among ComfyUI's samplers.`);
      } else if (engine === 'comfy' && !resolved.comfy && resolved.sdcpp) {
        engine = 'sdcpp';
        info(`Engine sdcpp: sampler "${label}" exists only among sdcpp's samplers.`);
      }
      if (engine === 'sdcpp' && resolved.sdcpp) {
        samplerFields.sampleMethod = resolved.sdcpp.sampleMethod;
        if (resolved.sdcpp.schedule) samplerFields.schedule = resolved.sdcpp.schedule;
      } else if (engine === 'comfy' && resolved.comfy) {
        samplerFields.sampler = resolved.comfy.sampler;
        if (resolved.comfy.scheduler) samplerFields.scheduler = resolved.comfy.scheduler;
      } else {
        keep('Sampler', samplerName);
        warn(`Sampler "${label}" has no counterpart on ${engine}: its default sampler is used.`);
      }
      if (resolved.scheduleType === undefined && scheduleType && scheduleType.toLowerCase() !== 'automatic') {
        keep('Schedule type', scheduleType);
        warn(`Schedule type "${scheduleType}" is not one we can map: the engine's default schedule is used.`);
      }
    }
  }

  // Prompt: A1111 `<lora:…>` tokens are not read by the service; LoRAs go in `loras` by AIR.
  const loras: Record<string, number> = {};
  const loraHashes = parseLoraHashes(get('Lora hashes'));
  const cleaned = extractNetworks(params.prompt);
  const unresolvedLoras: string[] = [];
  for (const net of cleaned.networks) {
    if (/^urn:air:/i.test(net.name)) {
      loras[net.name] = net.strength;
      continue;
    }
    const hash = loraHashes[net.name];
    unresolvedLoras.push(`${net.name}${hash ? ` (hash ${hash})` : ''} at ${net.strength}`);
  }
  for (const r of resources.filter((r) => LORA_TYPES.has((r.type ?? '').toLowerCase()))) {
    if (r.air) loras[r.air] = r.weight ?? 1;
    else unresolvedLoras.push(`${r.modelName ?? 'LoRA'}${r.modelVersionId ? ` (version ${r.modelVersionId}, see https://civitai.com/api/v1/model-versions/${r.modelVersionId})` : ''} at ${r.weight ?? 1}`);
  }
  if (cleaned.networks.length) info(`Removed ${cleaned.networks.length} <lora:…> token(s) from the prompt: the service takes LoRAs from \`loras\`, not from the prompt text.`);
  if (unresolvedLoras.length) {
    keep('LoRAs to add', unresolvedLoras.join('; '));
    warn(`LoRA(s) named without an AIR: ${unresolvedLoras.join('; ')}. Find each on Civitai and add it to \`loras\` as "urn:air:${ecosystem}:lora:civitai:<modelId>@<versionId>": strength.`);
  }
  const embeddings = resources.filter((r) => EMBEDDING_TYPES.has((r.type ?? '').toLowerCase()) && r.air).map((r) => r.air!);
  if (embeddings.length && engine !== 'sdcpp') {
    keep('Embeddings', embeddings.join(', '));
    warn('Embeddings were listed, but only the sdcpp engine takes `embeddings`: kept in metadata.');
  }

  // Model.
  const needsModel = ecosystem !== 'anima';
  let modelChosen = true;
  let model: string | undefined;
  if (needsModel) {
    if (modelAir) {
      model = modelAir;
      info(`Model ${modelAir}: from ${modelFrom}.`);
    } else {
      model = modelPlaceholder(ecosystem);
      modelChosen = false;
      const named = modelSetting ? ` "${modelSetting}"${modelHash ? ` (hash ${modelHash})` : ''}` : '';
      const version = checkpoint?.modelVersionId ? ` Civitai resources give version ${checkpoint.modelVersionId}: https://civitai.com/api/v1/model-versions/${checkpoint.modelVersionId} shows its model id.` : '';
      warn(`Choose the checkpoint: the parameters name${named || ' no model'} but no AIR. Replace the placeholder in "model" with the checkpoint's AIR (urn:air:${ecosystem}:checkpoint:civitai:<modelId>@<versionId>).${version}`);
      if (modelSetting) keep('Model', modelSetting);
      if (modelHash) keep('Model hash', modelHash);
    }
  } else if (modelAir || modelSetting) {
    info('Anima ships its own model: the Model setting is not used (an override would go in diffuserModel).');
    if (modelSetting) keep('Model', modelSetting);
  }

  // Numbers.
  const input: Record<string, unknown> = { engine, ecosystem, operation: 'createImage' };
  if (model !== undefined) input.model = model;
  input.prompt = cleaned.prompt;
  if (params.negativePrompt) input.negativePrompt = params.negativePrompt;
  if (width !== undefined && height !== undefined) {
    input.width = width;
    input.height = height;
  } else if (get('Size')) {
    keep('Size', get('Size')!);
    warn(`Size "${get('Size')}" is not WIDTHxHEIGHT: the contract default size is used.`);
  }
  const steps = integer(get('Steps'));
  if (steps !== undefined) input.steps = steps;
  const cfg = number(get('CFG scale'));
  if (cfg !== undefined) input.cfgScale = cfg;
  Object.assign(input, samplerFields);
  const clipSkip = integer(get('Clip skip'));
  if (clipSkip !== undefined) {
    if (facts.clipSkip) input.clipSkip = clipSkip;
    else {
      keep('Clip skip', String(clipSkip));
      info(`Clip skip ${clipSkip} dropped: ${facts.label} has no clipSkip field (the service would refuse it).`);
    }
  }
  const seed = integer(get('Seed'));
  if (seed !== undefined) {
    if (Number.isSafeInteger(seed)) input.seed = seed;
    else {
      keep('Seed', get('Seed')!);
      warn(`Seed ${get('Seed')} is beyond what JSON numbers keep exactly here: left out (kept in metadata).`);
    }
  }
  const batch = integer(get('Batch size'));
  if (batch !== undefined && batch > 1) input.quantity = Math.min(batch, 12);
  if (Object.keys(loras).length) input.loras = loras;
  if (embeddings.length && engine === 'sdcpp') input.embeddings = embeddings;

  // Everything else goes to metadata, and is named in one note.
  const hires: string[] = [];
  for (const s of params.settings) {
    const lower = s.key.toLowerCase();
    if (ABSORBED.has(lower)) continue;
    if (lower === 'version' && s.value.startsWith(EXPORT_VERSION)) continue; // our own export marker
    keep(s.key, s.value);
    if (HIRES_KEY.test(s.key)) hires.push(s.key);
  }
  if (hires.length) info('Hires fix settings were kept in metadata: imageGen has no hires pass; chain an imageUpscaler step to enlarge the result.');
  const denoise = get('Denoising strength');
  if (denoise && !hires.length) info(`Denoising strength ${denoise} suggests img2img; imported as createImage. For img2img use createVariant with the source image.`);
  const unmapped = Object.keys(kept).filter((k) => k !== 'LoRAs to add');
  if (unmapped.length) info(`Kept in the step's metadata (no imageGen field): ${unmapped.join(', ')}.`);

  const step = {
    $type: 'imageGen' as const,
    name: 'imported',
    input,
    ...(Object.keys(kept).length ? { metadata: { importedParameters: kept } } : {}),
  };
  return { workflow: { steps: [step] }, notes, ecosystem, engine, modelChosen };
}

function readResources(raw: string | undefined, warn: (m: string) => void): CivitaiResource[] {
  if (!raw) return [];
  try {
    const parsed = civitaiResourcesSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  warn('"Civitai resources" is not the JSON list it should be: ignored.');
  return [];
}

function parseLoraHashes(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (raw ?? '').split(',')) {
    const i = part.lastIndexOf(':');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** The prompt without its extra-network tokens, and those tokens. */
function extractNetworks(prompt: string): { prompt: string; networks: Array<{ name: string; strength: number }> } {
  let current = prompt;
  const networks = tokenizePrompt(prompt).networks.map((n) => ({ name: n.name, strength: n.strength ?? 1 }));
  // Remove right to left, re-reading the prompt each time so the spans stay right.
  for (;;) {
    const t = tokenizePrompt(current);
    const last = t.networks[t.networks.length - 1];
    if (!last) break;
    const alone = t.tokens.filter((x) => x.segment === last.segment).length === 1;
    const span = alone ? segmentRemovalSpan(t, last.segment) : { offset: last.offset, length: last.length };
    current = spliceAll(current, [{ ...span, newText: '' }]);
  }
  return { prompt: tidy(current.replace(/[ \t]+\n/g, '\n')), networks };
}

function number(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function integer(v: string | undefined): number | undefined {
  const n = number(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}
