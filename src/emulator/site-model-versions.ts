// The one site-API route the extension uses, `GET /api/v1/model-versions/{id}` (Civitai site
// reference, "Model versions"), so import can resolve `Civitai resources` offline and in tests.
// It answers from a small catalog: the versions the docs and our profiles name, plus whatever the
// caller passes (`EmulatorOptions.modelVersions`). Unknown ids are 404, as on the site. No token is
// needed (the site's auth is "mixed"); one that comes is accepted and not checked.
import { ANIMAGINE_XL_4_MODEL_ID, ANIMAGINE_XL_4_VERSIONS } from '../core/ecosystems/profiles';

export interface SiteModelVersion {
  readonly id: number;
  readonly modelId: number;
  readonly name: string;
  readonly baseModel: string;
  readonly air: string;
  readonly model: { readonly name: string; readonly type: string };
  /** The primary file's hashes (`AutoV2`, `AutoV3`, `SHA256`…), for the by-hash route. */
  readonly hashes?: Readonly<Record<string, string>>;
}

export const SITE_MODEL_VERSIONS_PATH = '/api/v1/model-versions/';

/** The catalog every emulator starts with. */
export const BUILTIN_MODEL_VERSIONS: readonly SiteModelVersion[] = [
  // The site reference's own example.
  { id: 2514310, modelId: 827184, name: 'v16.0', baseModel: 'Illustrious', air: 'urn:air:sdxl:checkpoint:civitai:827184@2514310', model: { name: 'WAI-illustrious-SDXL', type: 'Checkpoint' }, hashes: { AutoV2: 'A5F58EB1C3', AutoV3: '22D8CB95B807' } },
  ...ANIMAGINE_XL_4_VERSIONS.map((v) => ({
    id: v.versionId,
    modelId: ANIMAGINE_XL_4_MODEL_ID,
    name: v.name,
    baseModel: 'SDXL 1.0',
    air: `urn:air:sdxl:checkpoint:civitai:${ANIMAGINE_XL_4_MODEL_ID}@${v.versionId}`,
    model: { name: 'Animagine XL 4.0', type: 'Checkpoint' },
    hashes: { AutoV2: v.autoV2Hash.toUpperCase() },
  })),
];

export interface SiteReply {
  status: number;
  body: unknown;
}

/**
 * The answer for `path` when it is a model-version path (`/{id}` or `/by-hash/{hash}`, any of the
 * file's hashes, case-insensitively), else undefined.
 */
export function modelVersionReply(path: string, catalog: ReadonlyMap<number, SiteModelVersion>): SiteReply | undefined {
  if (!path.startsWith(SITE_MODEL_VERSIONS_PATH)) return undefined;
  const rest = path.slice(SITE_MODEL_VERSIONS_PATH.length);
  let version: SiteModelVersion | undefined;
  if (rest.startsWith('by-hash/')) {
    const hash = rest.slice('by-hash/'.length).toLowerCase();
    version = [...catalog.values()].find((v) => Object.values(v.hashes ?? {}).some((h) => h.toLowerCase() === hash));
    if (!version) return { status: 404, body: { error: `No model version has a file with hash ${hash.slice(0, 64)}.` } };
  } else {
    if (!/^\d{1,12}$/.test(rest)) return { status: 404, body: { error: `No model version "${rest.slice(0, 40)}".` } };
    version = catalog.get(Number(rest));
    if (!version) return { status: 404, body: { error: `No model version with id ${rest}.` } };
  }
  const { hashes, ...fields } = version;
  return {
    status: 200,
    body: {
      ...fields,
      status: 'Published',
      availability: 'Public',
      trainedWords: [],
      files: hashes ? [{ name: `${version.model.name}.safetensors`, type: 'Model', primary: true, hashes }] : [],
      images: [],
      downloadUrl: `https://civitai.com/api/download/models/${version.id}`,
    },
  };
}

export function modelVersionCatalog(extra: readonly SiteModelVersion[] = []): Map<number, SiteModelVersion> {
  return new Map([...BUILTIN_MODEL_VERSIONS, ...extra].map((v) => [v.id, v]));
}
