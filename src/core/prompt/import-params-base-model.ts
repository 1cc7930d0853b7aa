// Which base model family made the image, from every signal the block holds, strongest first:
// our own export's `Civitai ecosystem`, a checkpoint AIR, Civitai's `baseModel`, a known model
// hash, the AIRs of the LoRAs, settings only one family's tools write, Forge's text-encoder
// `Module N` lines, the model's file name, and only then the size.
import {
  BASE_MODEL_FAMILIES,
  familyById,
  familyFromSize,
  familyOfAirEcosystem,
  familyOfCivitaiBaseModel,
  familyOfModelName,
  familyOfSettingKey,
  familyOfTextEncoder,
  type BaseModelFamily,
} from '../ecosystems/base-models';
import { ANIMAGINE_XL_4_VERSIONS } from '../ecosystems/profiles';
import { parseAir } from '../air';
import type { GenerationSetting } from './import-params-layout';
import type { ImportedResource } from './import-params-civitai';

export interface FamilyDecision {
  readonly family: BaseModelFamily;
  /** Why, for the note: "the checkpoint AIR urn:air:…". */
  readonly from: string;
  /** True when nothing but the size (or nothing at all) spoke. */
  readonly guessed: boolean;
}

export interface FamilySignals {
  readonly settings: readonly GenerationSetting[];
  readonly resources: readonly ImportedResource[];
  readonly declaredEcosystem?: string;
  readonly size?: { width: number; height: number };
}

export function decideFamily(s: FamilySignals): FamilyDecision {
  const get = (key: string) => s.settings.find((x) => x.key.toLowerCase() === key.toLowerCase())?.value;
  if (s.declaredEcosystem) {
    const declared = familyOfDeclaredEcosystem(s.declaredEcosystem, s.settings);
    if (declared) return { family: declared, from: 'the ecosystem named in the parameters', guessed: false };
  }
  const checkpoint = s.resources.find((r) => r.kind === 'checkpoint' && r.air);
  const checkpointFamily = checkpoint?.air && familyOfAir(checkpoint.air);
  if (checkpointFamily) return { family: checkpointFamily, from: `the checkpoint AIR ${checkpoint!.air}`, guessed: false };
  const model = get('Model');
  const modelAirFamily = model && familyOfAir(model);
  if (modelAirFamily) return { family: modelAirFamily, from: `the Model AIR ${model}`, guessed: false };

  const baseModels = [get('Base model'), get('baseModel'), ...s.resources.filter((r) => r.kind === 'checkpoint').map((r) => r.baseModel), ...s.resources.map((r) => r.baseModel)];
  for (const b of baseModels) {
    const f = b && familyOfCivitaiBaseModel(b);
    if (f) return { family: f, from: `Civitai's base model "${b}"`, guessed: false };
  }
  const hash = get('Model hash')?.toLowerCase();
  const known = hash && ANIMAGINE_XL_4_VERSIONS.find((v) => v.autoV2Hash === hash);
  if (known) return { family: familyById('sdxl'), from: `the model hash ${hash} (Animagine XL 4.0 ${known.name})`, guessed: false };
  for (const r of s.resources) {
    const f = r.air && familyOfAir(r.air);
    if (f) return { family: f, from: `the ${r.kind} AIR ${r.air}`, guessed: false };
  }
  for (const x of s.settings) {
    const f = familyOfSettingKey(x.key);
    if (f) return { family: f, from: `the "${x.key}" setting, which only ${f.label} tools write`, guessed: false };
  }
  for (const x of s.settings) {
    if (!/^module( \d+)?$/i.test(x.key.trim())) continue;
    const f = familyOfTextEncoder(x.value);
    if (f) return { family: f, from: `the text encoder ${x.value}`, guessed: false };
  }
  for (const name of [model, get('Hires checkpoint'), ...s.resources.filter((r) => r.kind === 'checkpoint').map((r) => r.name)]) {
    const f = name && familyOfModelName(name);
    if (f) return { family: f, from: `the model name "${name}"`, guessed: false };
  }
  if (s.size) {
    const f = familyFromSize(s.size.width, s.size.height);
    const mp = ((s.size.width * s.size.height) / 1_000_000).toFixed(2);
    return { family: f, from: `the size ${s.size.width}×${s.size.height} (${mp} MP)`, guessed: true };
  }
  return { family: familyById('sdxl'), from: 'nothing in the parameters (a default)', guessed: true };
}

function familyOfAir(air: string): BaseModelFamily | undefined {
  const parsed = /^urn:air:/i.test(air) ? parseAir(air) : undefined;
  return parsed?.ecosystem ? familyOfAirEcosystem(parsed.ecosystem) : undefined;
}

/** Our export writes the input's `ecosystem`; Z-Image needs its model variant too. */
function familyOfDeclaredEcosystem(ecosystem: string, settings: readonly GenerationSetting[]): BaseModelFamily | undefined {
  const lower = ecosystem.toLowerCase();
  if (lower === 'zimage') {
    const cfg = Number(settings.find((x) => x.key.toLowerCase() === 'cfg scale')?.value);
    return familyById(Number.isFinite(cfg) && cfg <= 2 ? 'zImageTurbo' : 'zImageBase');
  }
  return BASE_MODEL_FAMILIES.find((f) => f.inputs.some((i) => i.ecosystem?.toLowerCase() === lower));
}
