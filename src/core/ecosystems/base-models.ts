// Base model families as generation parameters reveal them, and the input the contract has for
// each (engine, ecosystem and the discriminators that pick its imageGen leaf). Part of the
// ecosystem table: import reads it to turn "this image was made with Flux" into a workflow.
// Signals, strongest first: a checkpoint AIR's ecosystem, Civitai's `baseModel` name, settings
// only one family writes (Forge's `Distilled CFG Scale`), the text encoders Forge lists as
// `Module N`, the model's file name; the size only as a last resort (see `familyFromSize`).
import { NATIVE_AREA_BAND, ECOSYSTEMS, type Engine } from './table';

export type BaseModelFamilyId = 'sd1' | 'sdxl' | 'anima' | 'flux1' | 'flux2Dev' | 'flux2Klein' | 'zImageTurbo' | 'zImageBase' | 'qwen' | 'wan' | 'krea2Turbo' | 'krea2Raw';

export interface BaseModelFamily {
  readonly id: BaseModelFamilyId;
  readonly label: string;
  /**
   * The imageGen input's discriminating values per engine we would write, preferred first.
   * `operation` is added by the caller (`createImage`, or `createVariant` for a second pass).
   */
  readonly inputs: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Where the checkpoint AIR goes on each engine; absent when the family ships its own model. */
  readonly modelField?: Partial<Record<string, 'model' | 'diffuserModel'>>;
  /** Whether the model field must be filled (else the service's own model is used). */
  readonly modelRequired: boolean;
  /** AIR ecosystem tags of its resources (compared case-insensitively). */
  readonly airEcosystems: readonly string[];
  /** Civitai's `baseModel` names (site API, `Civitai resources`). */
  readonly civitaiBaseModel: RegExp;
  /** A checkpoint or diffusion model file name of the family. */
  readonly modelName?: RegExp;
  /** Text encoders Forge lists as `Module N:` for this family. */
  readonly textEncoder?: RegExp;
  /** Settings only this family's tools write. */
  readonly settingKeys?: readonly string[];
}

/** The order matters where patterns overlap: the first family that matches wins. */
export const BASE_MODEL_FAMILIES: readonly BaseModelFamily[] = [
  {
    id: 'flux2Klein',
    label: 'Flux.2 Klein',
    inputs: [{ engine: 'sdcpp', ecosystem: 'flux2Klein' }],
    modelRequired: false,
    airEcosystems: ['flux2klein'],
    civitaiBaseModel: /^flux\.?2\s*klein/i,
    modelName: /flux[._ -]?2[._ -]?klein/i,
  },
  {
    id: 'flux2Dev',
    label: 'Flux.2 Dev',
    inputs: [{ engine: 'sdcpp', ecosystem: 'flux2Dev' }, { engine: 'comfy', ecosystem: 'flux2Dev' }],
    modelRequired: false,
    airEcosystems: ['flux2'],
    civitaiBaseModel: /^flux\.?2/i,
    modelName: /flux[._ -]?2/i,
  },
  {
    id: 'krea2Turbo',
    label: 'Krea 2 Turbo',
    inputs: [{ engine: 'comfy', ecosystem: 'krea2', model: 'turbo' }],
    modelRequired: false,
    airEcosystems: ['krea2turbo'],
    civitaiBaseModel: /^krea\s*2.*turbo/i,
    modelName: /krea[-_ ]?2.*turbo/i,
  },
  {
    id: 'krea2Raw',
    label: 'Krea 2',
    inputs: [{ engine: 'comfy', ecosystem: 'krea2', model: 'raw' }],
    modelRequired: false,
    airEcosystems: ['krea2'],
    civitaiBaseModel: /^krea\s*2/i,
    modelName: /krea[-_ ]?2/i,
  },
  {
    // sdcpp's flux1 input requires clip-L, T5-XXL and VAE AIRs in the contract (the recipe says
    // they default); comfy takes the checkpoint alone, so comfy is written.
    id: 'flux1',
    label: 'Flux.1',
    inputs: [{ engine: 'comfy', ecosystem: 'flux1' }],
    modelField: { comfy: 'model', sdcpp: 'diffuserModel' },
    modelRequired: true,
    airEcosystems: ['flux1'],
    civitaiBaseModel: /^flux\.?1/i,
    modelName: /flux[._ -]?1|flux[._ -]?(dev|schnell|krea)|(^|[^a-z])flux(?![._ -]?2)/i,
    textEncoder: /^(t5[-_ ]?xxl|clip[-_ ]?l|ae)([._-]|$)/i,
    settingKeys: ['Distilled CFG Scale'],
  },
  {
    id: 'zImageTurbo',
    label: 'Z-Image Turbo',
    inputs: [{ engine: 'sdcpp', ecosystem: 'zImage', model: 'turbo' }],
    modelField: { sdcpp: 'diffuserModel' },
    modelRequired: false,
    airEcosystems: ['zimageturbo'],
    civitaiBaseModel: /^z[-_ ]?image[-_ ]?turbo/i,
    modelName: /z[-_ ]?image[-_ ]?turbo/i,
  },
  {
    id: 'zImageBase',
    label: 'Z-Image',
    inputs: [{ engine: 'sdcpp', ecosystem: 'zImage', model: 'base' }],
    modelField: { sdcpp: 'diffuserModel' },
    modelRequired: false,
    airEcosystems: ['zimage', 'zimagebase'],
    civitaiBaseModel: /^z[-_ ]?image/i,
    modelName: /z[-_ ]?image/i,
    textEncoder: /^qwen[-_ ]?3[-_ ]?4b/i,
  },
  {
    id: 'anima',
    label: 'Anima',
    inputs: [{ engine: 'sdcpp', ecosystem: 'anima' }, { engine: 'comfy', ecosystem: 'anima' }],
    modelField: { sdcpp: 'diffuserModel', comfy: 'diffuserModel' },
    modelRequired: false,
    airEcosystems: ['anima'],
    civitaiBaseModel: /^anima/i,
    // `animagine` is an SDXL family: the word must end at `anima`.
    modelName: /(^|[^a-z])anima(?![a-z])/i,
    textEncoder: /^qwen[-_ ]?3[-_ ]?0?[._]?6b/i,
  },
  {
    id: 'qwen',
    label: 'Qwen-Image',
    inputs: [{ engine: 'sdcpp', ecosystem: 'qwen', model: '20b' }],
    modelRequired: false,
    airEcosystems: ['qwen'],
    civitaiBaseModel: /^qwen/i,
    modelName: /qwen[-_ ]?image/i,
    textEncoder: /^qwen[-_ ]?2[._]?5[-_ ]?vl/i,
  },
  {
    id: 'wan',
    label: 'Wan',
    inputs: [{ engine: 'wan', version: 'v2.2', provider: 'fal' }],
    modelRequired: false,
    airEcosystems: ['wan'],
    civitaiBaseModel: /^wan/i,
    modelName: /(^|[^a-z])wan[-_ ]?2/i,
    textEncoder: /^umt5/i,
  },
  {
    id: 'sdxl',
    label: ECOSYSTEMS.sdxl.label,
    inputs: [{ engine: 'sdcpp', ecosystem: 'sdxl' }, { engine: 'comfy', ecosystem: 'sdxl' }],
    modelField: { sdcpp: 'model', comfy: 'model' },
    modelRequired: true,
    airEcosystems: ['sdxl', 'pony', 'illustrious', 'noobai'],
    civitaiBaseModel: /^(sdxl|pony|illustrious|noobai)/i,
    modelName: /xl|pony|illustrious|noobai/i,
  },
  {
    id: 'sd1',
    label: ECOSYSTEMS.sd1.label,
    inputs: [{ engine: 'sdcpp', ecosystem: 'sd1' }, { engine: 'comfy', ecosystem: 'sd1' }],
    modelField: { sdcpp: 'model', comfy: 'model' },
    modelRequired: true,
    airEcosystems: ['sd1'],
    civitaiBaseModel: /^sd\s*1(\.\d)?/i,
    modelName: /(^|[^a-z0-9])(sd[-_ ]?1[._]?[45]|v1-5)([^0-9]|$)/i,
  },
];

export function familyById(id: BaseModelFamilyId): BaseModelFamily {
  return BASE_MODEL_FAMILIES.find((f) => f.id === id)!;
}

export function familyOfAirEcosystem(ecosystem: string): BaseModelFamily | undefined {
  const e = ecosystem.toLowerCase();
  return BASE_MODEL_FAMILIES.find((f) => f.airEcosystems.includes(e));
}

export function familyOfCivitaiBaseModel(baseModel: string): BaseModelFamily | undefined {
  return BASE_MODEL_FAMILIES.find((f) => f.civitaiBaseModel.test(baseModel.trim()));
}

export function familyOfModelName(name: string): BaseModelFamily | undefined {
  return BASE_MODEL_FAMILIES.find((f) => f.modelName?.test(name));
}

export function familyOfTextEncoder(module: string): BaseModelFamily | undefined {
  const file = module.trim().split(/[\\/]/).pop() ?? '';
  return BASE_MODEL_FAMILIES.find((f) => f.textEncoder?.test(file));
}

export function familyOfSettingKey(key: string): BaseModelFamily | undefined {
  const k = key.trim().toLowerCase();
  return BASE_MODEL_FAMILIES.find((f) => f.settingKeys?.some((s) => s.toLowerCase() === k));
}

/**
 * The last resort, from the first-pass size: below the band around SDXL's ~1 MP area is SD1
 * (512×968 is 0.5 MP, an SD1 portrait), else SDXL. Images of the newer families come at the same
 * ~1 MP, so the size cannot tell them apart.
 */
export function familyFromSize(width: number, height: number): BaseModelFamily {
  const native = ECOSYSTEMS.sdxl.native;
  return familyById(width * height < NATIVE_AREA_BAND.min * native.width * native.height ? 'sd1' : 'sdxl');
}

/** The engines a family can be written for, preferred first. */
export function familyEngines(family: BaseModelFamily): Engine[] {
  return family.inputs.map((i) => i.engine).filter((e): e is Engine => e === 'sdcpp' || e === 'comfy');
}
