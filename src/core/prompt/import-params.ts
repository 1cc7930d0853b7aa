// Import the "generation parameters" that AUTOMATIC1111, Forge, SD.Next, ComfyUI savers and
// Civitai's site write into images and offer to copy, as a workflow: the first step reproduces
// the image (engine, ecosystem and operation chosen from the base model the block reveals), a
// second step reproduces a hires fix, and notes say what was guessed, dropped or left to choose.
//
// The pieces: the block's layout (import-params-layout), extra networks in the prompt and AddNet
// (import-params-networks), Civitai's resources (import-params-civitai), the base model
// (import-params-base-model), the contract's input for it (import-params-target) and the hires
// pass (import-params-hires). Everything is synchronous except resolving Civitai version ids,
// which `importGenerationParametersResolving` does through a resolver the caller gives.
import type { Engine } from '../ecosystems/table';
import { familyEngines, type BaseModelFamily, type BaseModelFamilyId } from '../ecosystems/base-models';
import { resolveSamplerName } from '../ecosystems/samplers';
import { ANIMAGINE_XL_4_MODEL_ID, ANIMAGINE_XL_4_VERSIONS } from '../ecosystems/profiles';
import { parseAir } from '../air';
import { parseGenerationParameters, type GenerationParameters } from './import-params-layout';
import { extractNetworks, isAddNetKey, isLoraNetwork, readAddNetLoras } from './import-params-networks';
import {
  kindOfVersion,
  parseAdditionalNetworks,
  parseCivitaiResources,
  unresolvedVersionIds,
  withResolved,
  type ImportedResource,
  type ModelVersionInfo,
  type ModelVersionResolver,
} from './import-params-civitai';
import { decideFamily } from './import-params-base-model';
import { inputDiscriminators, shapeInput, type ImportedValues } from './import-params-target';
import { hiresStep, isADetailerKey, isHiresKey } from './import-params-hires';

export { parseGenerationParameters, parseSettings, type GenerationParameters, type GenerationSetting } from './import-params-layout';

export interface ImportNote {
  readonly severity: 'info' | 'warning';
  readonly message: string;
}

export interface ImportedStep {
  $type: 'imageGen' | 'imageUpscaler';
  name: string;
  input: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface ImportResult {
  /** The workflow body, ready to be written as `*.civitai.json`. */
  readonly workflow: { steps: ImportedStep[] };
  readonly notes: readonly ImportNote[];
  /** The first step's ecosystem (or engine, for inputs without one, e.g. Wan). */
  readonly ecosystem: string;
  readonly engine: string;
  readonly family: BaseModelFamilyId;
  /** False when the model field holds the placeholder the user must replace. */
  readonly modelChosen: boolean;
}

export interface ImportOptions {
  /** Prefer this engine where both can express the parameters (default sdcpp, the guides' default). */
  readonly engine?: Engine;
  /** Model versions already looked up (by `importGenerationParametersResolving`). */
  readonly resolved?: ReadonlyMap<number, ModelVersionInfo>;
  /** The same, by lower-cased file hash (`Model hash`, `Lora hashes`, `TI hashes`, AddNet). */
  readonly resolvedHashes?: ReadonlyMap<string, ModelVersionInfo>;
}

/** Our own keys (written by `export-params.ts`) so a round trip keeps what A1111 has no word for. */
export const ECOSYSTEM_KEY = 'Civitai ecosystem';
export const ENGINE_KEY = 'Civitai engine';
/** The `Version:` our export writes (followed by the extension version when known). */
export const EXPORT_VERSION = 'civitai-workflows';
export const FIRST_STEP_NAME = 'imported';

/** Placeholder for a checkpoint the user must choose; it fails the contract's AIR pattern on purpose. */
export function modelPlaceholder(ecosystem: string): string {
  return `choose a checkpoint: urn:air:${ecosystem}:checkpoint:civitai:<modelId>@<versionId>`;
}

/** Settings that become fields (or are read as signals) rather than metadata. */
const ABSORBED = new Set([
  'steps', 'sampler', 'schedule type', 'scheduler', 'sampler sigma', 'cfg scale', 'distilled cfg scale', 'seed', 'size',
  'clip skip', 'batch size', 'civitai resources', 'additional networks', 'lora hashes', 'model', 'model hash',
  'base model', 'basemodel', ECOSYSTEM_KEY.toLowerCase(), ENGINE_KEY.toLowerCase(),
]);

export function importGenerationParameters(text: string, options: ImportOptions = {}): ImportResult | undefined {
  const params = parseGenerationParameters(text);
  return params ? buildWorkflow(params, options) : undefined;
}

/**
 * As `importGenerationParameters`, after looking up the Civitai version ids the block lists
 * without an AIR. A resolver that fails leaves them unresolved (reported like any other).
 */
export async function importGenerationParametersResolving(text: string, resolver: ModelVersionResolver | undefined, options: ImportOptions = {}): Promise<ImportResult | undefined> {
  const params = parseGenerationParameters(text);
  if (!params) return undefined;
  const resources = readResources(params, () => undefined);
  const ids = unresolvedVersionIds(resources);
  let resolved = options.resolved;
  let resolvedHashes = options.resolvedHashes;
  if (resolver && ids.length) {
    try {
      resolved = new Map([...(options.resolved ?? []), ...(await resolver(ids))]);
    } catch {
      // Unresolved ids are reported by the build.
    }
  }
  const hashes = hashesToLookUp(params, withResolved(resources, resolved ?? new Map()));
  if (resolver?.byHash && hashes.length) {
    try {
      resolvedHashes = new Map([...(options.resolvedHashes ?? []), ...(await resolver.byHash(hashes))]);
    } catch {
      // As above.
    }
  }
  return buildWorkflow(params, { ...options, ...(resolved ? { resolved } : {}), ...(resolvedHashes ? { resolvedHashes } : {}) });
}

/**
 * File hashes worth a lookup: the checkpoint's when nothing else names it by AIR or version, the
 * prompt's LoRAs and AddNet's when Civitai lists no LoRAs, the embeddings when it lists none.
 */
function hashesToLookUp(params: GenerationParameters, resources: readonly ImportedResource[]): string[] {
  const get = (key: string) => params.settings.find((s) => s.key.toLowerCase() === key.toLowerCase())?.value;
  const out: string[] = [];
  const model = get('Model');
  const checkpointKnown = resources.some((r) => r.kind === 'checkpoint' && r.air) || (model !== undefined && /^urn:air:/i.test(model));
  const modelHash = get('Model hash');
  // A hash the ecosystem table already knows needs no lookup.
  if (!checkpointKnown && modelHash && !ANIMAGINE_XL_4_VERSIONS.some((v) => v.autoV2Hash === modelHash.toLowerCase())) out.push(modelHash);
  if (!resources.some((r) => r.kind === 'lora')) {
    const loraHashes = parseHashes(get('Lora hashes'));
    const inPrompt = new Set(extractNetworks(params.prompt).networks.filter(isLoraNetwork).map((n) => n.name));
    for (const [name, hash] of Object.entries(loraHashes)) if (inPrompt.has(name)) out.push(hash);
    for (const a of readAddNetLoras(params.settings)) if (a.hash) out.push(a.hash);
  }
  if (!resources.some((r) => r.kind === 'embedding')) out.push(...Object.values(parseHashes(get('TI hashes'))));
  return out.map((h) => h.toLowerCase());
}

/** The resources the block lists: `Additional networks` AIRs and `Civitai resources` entries. */
function readResources(params: GenerationParameters, warn: (m: string) => void, resolved?: ReadonlyMap<number, ModelVersionInfo>): ImportedResource[] {
  const out: ImportedResource[] = [];
  for (const s of params.settings) {
    const key = s.key.toLowerCase();
    if (key === 'additional networks') out.push(...parseAdditionalNetworks(s.value));
    else if (key === 'civitai resources') {
      const list = parseCivitaiResources(s.value);
      if (list) out.push(...list);
      else warn('"Civitai resources" is not the JSON list it should be: ignored (kept in metadata).');
    }
  }
  return resolved ? withResolved(out, resolved) : out;
}

export function buildWorkflow(params: GenerationParameters, options: ImportOptions = {}): ImportResult {
  const notes: ImportNote[] = [];
  const info = (message: string) => notes.push({ severity: 'info', message });
  const warn = (message: string) => notes.push({ severity: 'warning', message });
  const lookup = new Map<string, string>();
  for (const s of params.settings) if (!lookup.has(s.key.toLowerCase())) lookup.set(s.key.toLowerCase(), s.value);
  const get = (key: string) => lookup.get(key.toLowerCase());
  const kept: Record<string, string> = {};
  const keep = (key: string, value: string) => {
    kept[key] = value;
  };

  const byHash = (hash: string | undefined, kind: ImportedResource['kind']) => {
    const info = hash ? options.resolvedHashes?.get(hash.toLowerCase()) : undefined;
    return info && kindOfVersion(info) === kind ? info : undefined;
  };
  const resources = readResources(params, warn, options.resolved);
  // A checkpoint found by its `Model hash` counts as a listed one (AIR, base model and name).
  const hashedCheckpoint = resources.some((r) => r.kind === 'checkpoint' && r.air) ? undefined : byHash(get('Model hash'), 'checkpoint');
  if (hashedCheckpoint) {
    const i = resources.findIndex((r) => r.kind === 'checkpoint');
    const found: ImportedResource = { kind: 'checkpoint', air: hashedCheckpoint.air, ...(hashedCheckpoint.baseModel ? { baseModel: hashedCheckpoint.baseModel } : {}), name: [hashedCheckpoint.modelName, hashedCheckpoint.versionName].filter(Boolean).join(' ') };
    if (i >= 0) resources[i] = found;
    else resources.push(found);
  }
  const badResources = get('Civitai resources') !== undefined && parseCivitaiResources(get('Civitai resources')!) === undefined;
  if (badResources) keep('Civitai resources', get('Civitai resources')!);

  // Size (rounded to the contract's multiple of 16).
  const size = /^(\d+)\s*x\s*(\d+)$/i.exec(get('Size') ?? '');
  let width = size ? Number(size[1]) : undefined;
  let height = size ? Number(size[2]) : undefined;

  // Base model, engine.
  const decision = decideFamily({ settings: params.settings, resources, declaredEcosystem: get(ECOSYSTEM_KEY), ...(width && height ? { size: { width, height } } : {}) });
  const family = decision.family;

  const engines = familyEngines(family);
  let engine: string = inputDiscriminators(family, '').engine;
  if (engines.length) {
    const declared = get(ENGINE_KEY);
    const preferred = declared === 'sdcpp' || declared === 'comfy' ? declared : options.engine ?? 'sdcpp';
    engine = engines.includes(preferred) ? preferred : engines[0];
  }

  // Sampler and schedule.
  const sampler: Record<string, string> = {};
  const samplerName = get('Sampler');
  // A1111/Forge write `Schedule type`, Comfy savers `Scheduler`, SD.Next `Sampler sigma` (its
  // `Scheduler` is a diffusers class name): the first one that names a schedule we know.
  const scheduleCandidates = [get('Schedule type'), get('Scheduler'), get('Sampler sigma')].filter((v): v is string => v !== undefined);
  const scheduleName = scheduleCandidates.find((v) => samplerName !== undefined && resolveSamplerName(samplerName, v)?.unknownSchedule === undefined) ?? scheduleCandidates[0];
  if (samplerName && engines.length) {
    const label = `${samplerName}${scheduleName && !/^(automatic|default)$/i.test(scheduleName) ? ` / ${scheduleName}` : ''}`;
    const resolved = resolveSamplerName(samplerName, scheduleName);
    if (!resolved || (!resolved.sdcpp && !resolved.comfy)) {
      keep('Sampler', samplerName);
      if (scheduleName) keep('Schedule type', scheduleName);
      warn(`Sampler "${label}" has no counterpart on sdcpp or comfy: the engine's default sampler is used (the name is kept in metadata).`);
    } else {
      const other = engine === 'sdcpp' ? 'comfy' : 'sdcpp';
      if (!resolved[engine as Engine] && resolved[other] && engines.includes(other)) {
        engine = other;
        info(`Engine ${engine}: sampler "${label}" exists only among ${engine === 'comfy' ? "ComfyUI's" : "sdcpp's"} samplers.`);
      }
      const fields = resolved[engine as Engine];
      if (fields && engine === 'sdcpp') Object.assign(sampler, { sampleMethod: (fields as { sampleMethod: string }).sampleMethod }, 'schedule' in fields && fields.schedule ? { schedule: fields.schedule } : {});
      else if (fields && engine === 'comfy') Object.assign(sampler, { sampler: (fields as { sampler: string }).sampler }, 'scheduler' in fields && fields.scheduler ? { scheduler: fields.scheduler } : {});
      else {
        keep('Sampler', samplerName);
        warn(`Sampler "${label}" has no counterpart on ${engine}: its default sampler is used.`);
      }
      if (resolved.unknownSchedule) {
        keep('Schedule type', resolved.unknownSchedule);
        warn(`Schedule "${resolved.unknownSchedule}" is not one we can map: the engine's default schedule is used.`);
      }
    }
  } else if (samplerName) {
    keep('Sampler', samplerName);
    if (scheduleName) keep('Schedule type', scheduleName);
    info(`Sampler "${samplerName}" kept in metadata: the ${family.label} input takes no sampler.`);
  }

  // Networks: from the prompt, AddNet, and Civitai's lists.
  const prompt = extractNetworks(params.prompt);
  const negative = params.negativePrompt !== undefined ? extractNetworks(params.negativePrompt) : undefined;
  const promptNetworks = [...prompt.networks, ...(negative?.networks ?? [])];
  const loras: Record<string, number> = {};
  const embeddings: string[] = [];
  const unresolved: string[] = [];
  const listed = resources.filter((r) => r.kind === 'lora' || r.kind === 'embedding');
  for (const r of listed) {
    if (r.air && r.kind === 'lora') loras[r.air] = r.strength ?? 1;
    else if (r.air) embeddings.push(r.air);
    else unresolved.push(describeResource(r));
  }
  const loraHashes = parseHashes(get('Lora hashes'));
  const promptLoras = promptNetworks.filter(isLoraNetwork);
  // When Civitai lists the LoRAs, its list is the authority: the prompt tokens name the same files.
  const listsLoras = listed.some((r) => r.kind === 'lora');
  let foundByHash = 0;
  for (const n of promptLoras) {
    const hashed = listsLoras ? undefined : byHash(loraHashes[n.name], 'lora');
    if (/^urn:air:/i.test(n.name) && parseAir(n.name)) loras[n.name] = n.strength;
    else if (hashed) {
      loras[hashed.air] = n.strength;
      foundByHash++;
    } else if (!listsLoras) unresolved.push(`LoRA "${n.name}"${loraHashes[n.name] ? ` (hash ${loraHashes[n.name]})` : ''} at ${n.strength}`);
  }
  if (!listsLoras) {
    for (const a of readAddNetLoras(params.settings)) {
      const hashed = byHash(a.hash, 'lora');
      if (hashed) {
        loras[hashed.air] = a.strength;
        foundByHash++;
      } else unresolved.push(`LoRA "${a.name}"${a.hash ? ` (hash ${a.hash})` : ''} at ${a.strength} (Additional Networks extension)`);
    }
  }
  if (!listed.some((r) => r.kind === 'embedding')) {
    for (const hash of Object.values(parseHashes(get('TI hashes')))) {
      const hashed = byHash(hash, 'embedding');
      if (hashed && !embeddings.includes(hashed.air)) {
        embeddings.push(hashed.air);
        foundByHash++;
      }
    }
  }
  if (foundByHash) info(`${foundByHash} LoRA(s) or embedding(s) found on Civitai by the file hash the parameters give.`);
  if (promptLoras.length) info(`Removed ${promptLoras.length} <lora:…> token(s) from the prompts: the service takes LoRAs from \`loras\` by AIR, not from the prompt text.`);
  const others = promptNetworks.filter((n) => !isLoraNetwork(n));
  if (others.length) {
    keep('Other networks', others.map((n) => `<${n.type}:${n.name}:${n.strength}>`).join(', '));
    info(`Removed ${listAtMost(others.map((n) => `<${n.type}:${n.name}>`), 12)} from the prompts: ${[...new Set(others.map((n) => n.type))].join(', ')} networks are not LoRAs and the service has no field for them (kept in metadata).`);
  }

  // Model.
  const checkpoint = resources.find((r) => r.kind === 'checkpoint');
  const modelSetting = get('Model');
  const modelHash = get('Model hash')?.toLowerCase();
  let modelAir: string | undefined;
  if (checkpoint?.air && parseAir(checkpoint.air)) modelAir = checkpoint.air;
  else if (modelSetting && /^urn:air:/i.test(modelSetting) && parseAir(modelSetting)) modelAir = modelSetting;
  else {
    const known = modelHash ? ANIMAGINE_XL_4_VERSIONS.find((v) => v.autoV2Hash === modelHash) : undefined;
    if (known && family.id === 'sdxl') modelAir = `urn:air:sdxl:checkpoint:civitai:${ANIMAGINE_XL_4_MODEL_ID}@${known.versionId}`;
  }
  const ecosystemName = inputDiscriminators(family, engine).ecosystem ?? engine;
  let modelChosen = true;
  let model: string | undefined;
  let chooseModel: string | undefined;
  if (family.modelRequired) {
    if (modelAir) {
      model = modelAir;
      info(`Model ${modelAir}.`);
    } else {
      model = modelPlaceholder(ecosystemName);
      modelChosen = false;
      const named = modelSetting ? ` "${modelSetting}"${modelHash ? ` (hash ${modelHash})` : ''}` : checkpoint ? ` ${describeResource(checkpoint)}` : '';
      chooseModel = `Choose the checkpoint: the parameters name${named || ' no model'} but no AIR. Replace the placeholder in "${family.modelField?.[engine] ?? 'model'}" with the checkpoint's AIR (urn:air:${ecosystemName}:checkpoint:civitai:<modelId>@<versionId>).`;
      if (modelSetting) keep('Model', modelSetting);
      if (modelHash) keep('Model hash', modelHash);
      if (checkpoint && !checkpoint.air) keep('Checkpoint without AIR', describeResource(checkpoint));
    }
  } else if (modelAir || modelSetting || checkpoint) {
    const field = family.modelField?.[engine];
    info(`${family.label} runs the service's own model: the parameters' model is not used${field ? ` (a fine-tune would go in ${field})` : ''}; kept in metadata.`);
    if (modelAir) keep('Model AIR', modelAir);
    if (modelSetting) keep('Model', modelSetting);
    if (modelHash) keep('Model hash', modelHash);
  }
  // One warning for everything the user still has to find: the checkpoint, then the rest by name.
  if (unresolved.length) keep('Resources without AIR', unresolved.join('; '));
  const notFound = unresolved.length
    ? `Not found as AIRs, so not in the workflow: ${listAtMost(unresolved, 12)}. Find each on Civitai and add it to \`loras\` ("urn:air:${ecosystemName}:lora:civitai:<modelId>@<versionId>": strength) or \`embeddings\`.`
    : undefined;
  if (chooseModel || notFound) warn([chooseModel, notFound].filter(Boolean).join(' '));

  // Numbers.
  if (width !== undefined && height !== undefined && (width % 16 || height % 16)) {
    const w = Math.max(16, Math.round(width / 16) * 16);
    const h = Math.max(16, Math.round(height / 16) * 16);
    keep('Size', `${width}x${height}`);
    info(`Size ${width}×${height} rounded to ${w}×${h}: the service takes multiples of 16.`);
    width = w;
    height = h;
  } else if (!size && get('Size')) {
    keep('Size', get('Size')!);
    warn(`Size "${get('Size')}" is not WIDTHxHEIGHT: the contract default size is used.`);
  }
  const distilled = number(get('Distilled CFG Scale'));
  let cfg = number(get('CFG scale'));
  if (distilled !== undefined && family.id === 'flux1') {
    // Forge runs Flux at CFG 1 and steers it with the distilled guidance, which is what cfgScale means here.
    if (cfg !== undefined && cfg !== 1) keep('CFG scale', String(cfg));
    cfg = distilled;
  } else if (distilled !== undefined) keep('Distilled CFG Scale', String(distilled));
  let seed = integer(get('Seed'));
  if (seed !== undefined && seed < 0) {
    info(`Seed ${seed} means "random" in A1111: no seed is set.`);
    seed = undefined;
  } else if (seed !== undefined && !Number.isSafeInteger(seed)) {
    keep('Seed', get('Seed')!);
    warn(`Seed ${get('Seed')} is beyond what JSON numbers keep exactly here: left out (kept in metadata).`);
    seed = undefined;
  }
  const batch = integer(get('Batch size'));
  if (get('Clip skip') !== undefined && integer(get('Clip skip')) === undefined) keep('Clip skip', get('Clip skip')!);
  const values: ImportedValues = {
    ...(model !== undefined ? { model } : {}),
    prompt: prompt.prompt,
    ...(negative?.prompt ? { negativePrompt: negative.prompt } : {}),
    ...(width !== undefined && height !== undefined ? { width, height } : {}),
    ...(integer(get('Steps')) !== undefined ? { steps: integer(get('Steps')) } : {}),
    ...(cfg !== undefined ? { cfgScale: cfg } : {}),
    ...(Object.keys(sampler).length ? { sampler } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(batch !== undefined && batch > 1 ? { quantity: Math.min(batch, 12) } : {}),
    ...(integer(get('Clip skip')) !== undefined ? { clipSkip: integer(get('Clip skip')) } : {}),
    ...(Object.keys(loras).length ? { loras } : {}),
    ...(embeddings.length ? { embeddings } : {}),
  };
  const shaped = shapeInput(family, engine, 'createImage', values);
  for (const d of shaped.dropped) {
    const key = d.field === 'negativePrompt' ? 'Negative prompt' : d.field === 'clipSkip' ? 'Clip skip' : d.field;
    keep(key, typeof d.value === 'string' ? d.value : JSON.stringify(d.value));
  }
  if (shaped.dropped.length) info(`Not written (the ${family.label} input on ${engine} has no field for it, kept in metadata): ${shaped.dropped.map((d) => d.field).join(', ')}.`);

  // Everything else goes to metadata, and is named in one note.
  const adetailer: string[] = [];
  for (const s of params.settings) {
    const lower = s.key.toLowerCase();
    if (ABSORBED.has(lower) || isAddNetKey(s.key)) continue;
    if (lower === 'version' && s.value.startsWith(EXPORT_VERSION)) continue; // our own export marker
    keep(s.key, s.value);
    if (isADetailerKey(s.key)) adetailer.push(s.key);
  }
  for (const a of readAddNetLoras(params.settings)) keep(`AddNet ${a.name}`, `${a.hash ?? ''} ${a.strength}`.trim());

  const what = `Ecosystem ${ecosystemName} (${family.label})`;
  if (decision.guessed && decision.from.startsWith('nothing')) notes.unshift({ severity: 'warning', message: `${what}: the parameters name no model and no size, so this is a default. Check it.` });
  else if (decision.guessed) notes.unshift({ severity: 'info', message: `${what}: guessed from ${decision.from}, as nothing else in the parameters names the base model. Change it if the image came from another model family.` });
  else notes.unshift({ severity: 'info', message: `${what}: from ${decision.from}.` });

  const steps: ImportedStep[] = [{ $type: 'imageGen', name: FIRST_STEP_NAME, input: shaped.input }];
  const second = hiresStep(params.settings, family, engine, FIRST_STEP_NAME, values);
  if (second) {
    steps.push(second.step);
    info(second.note);
    if (values.quantity && values.quantity > 1) info('The hires step refines the first image of the batch only.');
  } else if (params.settings.some((s) => isHiresKey(s.key))) info('Hires fix settings were kept in metadata: they give no usable target size.');
  if (adetailer.length) info('ADetailer (detect and inpaint faces or hands) cannot be expressed as a workflow step: its settings are kept in metadata.');
  const denoise = number(get('Denoising strength'));
  if (denoise !== undefined && denoise > 0 && !second) info(`Denoising strength ${denoise} suggests img2img; imported as createImage. For img2img use createVariant with the source image.`);
  const unmapped = Object.keys(kept).filter((k) => k !== 'Resources without AIR' && k !== 'Checkpoint without AIR');
  if (unmapped.length) info(`Kept in the step's metadata (no field for them): ${listAtMost(unmapped, 24).replace(/; /g, ', ')}.`);
  if (Object.keys(kept).length) steps[0].metadata = { importedParameters: kept };
  return { workflow: { steps }, notes, ecosystem: ecosystemName, engine, family: family.id, modelChosen };
}

/** The first `max` items, and how many more (a note never floods). */
function listAtMost(items: readonly string[], max: number): string {
  return items.length <= max ? items.join('; ') : `${items.slice(0, max).join('; ')}; and ${items.length - max} more (all in the step's metadata)`;
}

function describeResource(r: ImportedResource): string {
  const what = r.kind === 'other' ? 'resource' : r.kind;
  const name = r.name ? `"${r.name}"` : 'unnamed';
  const version = r.modelVersionId !== undefined ? ` (version ${r.modelVersionId}, https://civitai.com/api/v1/model-versions/${r.modelVersionId})` : '';
  return `${what} ${name}${version}${r.kind === 'lora' ? ` at ${r.strength ?? 1}` : ''}`;
}

function parseHashes(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (raw ?? '').split(',')) {
    const i = part.lastIndexOf(':');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
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

export type { BaseModelFamily };
