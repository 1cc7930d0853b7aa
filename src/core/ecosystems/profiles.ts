// Model profiles: how to prompt a model family or one checkpoint (tag order, quality tags and
// where they go, special tags, a negative-prompt preset, recommended cfg / steps / sampler / sizes).
// Part of the ecosystem table: the ecosystem profiles take their numbers from `ECOSYSTEMS`
// (`table.ts`); only facts the table does not hold are written here, each with its source.
// Users add or override profiles through the `civitai.modelProfiles` setting (validated here).
import * as z from '../zod-mini';
import {
  COMFY_TO_SDCPP_SAMPLER,
  ECOSYSTEMS,
  isEcosystemId,
  type EcosystemId,
  type NumericRange,
  type Size,
} from './table';

/** The kinds of tags a tag-ordered prompt is built from, in the order a profile wants them. */
export type TagCategory =
  | 'quality'
  | 'people'
  | 'character'
  | 'series'
  | 'rating'
  | 'general'
  | 'temporal';

export type SpecialTagKind = 'quality' | 'score' | 'temporal' | 'rating' | 'people';

export interface SpecialTag {
  readonly tag: string;
  readonly kind: SpecialTagKind;
  /** Whether it belongs in the prompt (positive) or the negative prompt, or either (neutral). */
  readonly polarity: 'positive' | 'negative' | 'neutral';
  readonly explanation: string;
}

/** A ready-made run of tags offered as one completion. */
export interface TagSequence {
  readonly label: string;
  readonly text: string;
  readonly explanation: string;
}

export interface SamplerAdvice {
  /** The name people use (A1111 label), e.g. `Euler a`. */
  readonly label: string;
  readonly sdcpp?: string;
  readonly comfy?: string;
}

/** How Danbooru tags are written into a prompt for the model (Danbooru itself writes `long_hair`). */
export interface TagStyle {
  /** `long hair` rather than `long_hair`: how SD-family anime checkpoints' prompts are written. */
  readonly spaces: boolean;
  /** `firefly \(honkai: star rail\)`: brackets in a name escaped so attention syntax reads them as text. */
  readonly escapeParentheses: boolean;
  /** Written before artist tags (Anima: `@`), empty for none. */
  readonly artistPrefix: string;
}

/** The style Animagine XL 4.0's card writes (`firefly \(honkai: star rail\)`) and A1111's tag autocomplete inserts. */
export const SPACED_ESCAPED_TAGS: TagStyle = { spaces: true, escapeParentheses: true, artistPrefix: '' };

export interface ModelProfile {
  /** Stable id: `ecosystem:sd1`, `animagine-xl-4`, `user:<name>`. */
  readonly id: string;
  readonly name: string;
  readonly ecosystem: EcosystemId;
  /** AIR prefix that selects the profile; absent for the per-ecosystem profiles. */
  readonly air?: string;
  readonly origin: 'builtin' | 'user';
  readonly cfgScale: NumericRange;
  readonly recommendedCfgScale?: number;
  readonly steps: NumericRange;
  readonly recommendedSteps?: number;
  readonly sampler?: SamplerAdvice;
  readonly resolutions: readonly Size[];
  /** The sequence of tag categories the model was trained on / the guide recommends. */
  readonly tagOrder: readonly TagCategory[];
  /** Positive quality boosters the position rule looks for. */
  readonly qualityTags: readonly string[];
  /** Where the quality tags go; absent when the guide gives no position. */
  readonly qualityTagPosition?: 'start' | 'end';
  readonly specialTags: readonly SpecialTag[];
  readonly sequences: readonly TagSequence[];
  readonly negativePrompt?: string;
  /** Whether the text encoder is CLIP with its 77-token window (SD1, SDXL). */
  readonly clipTokenWindow: boolean;
  /** How completed Danbooru tags are written; SPACED_ESCAPED_TAGS when absent. */
  readonly tagStyle?: TagStyle;
  /** Where the facts come from, and caveats; shown in hovers and the preview. */
  readonly notes: readonly string[];
}

// ---- Shared special tags (booru conventions the SD-family anime checkpoints are trained on) ----

const PEOPLE_TAGS: SpecialTag[] = [
  { tag: '1girl', kind: 'people', polarity: 'neutral', explanation: 'People count: exactly one female character. Tag-ordered models expect the count first.' },
  { tag: '1boy', kind: 'people', polarity: 'neutral', explanation: 'People count: exactly one male character.' },
  { tag: '1other', kind: 'people', polarity: 'neutral', explanation: 'People count: one character that is neither tagged girl nor boy.' },
  { tag: '2girls', kind: 'people', polarity: 'neutral', explanation: 'People count: two female characters. Multi-character scenes need careful prompting.' },
  { tag: '2boys', kind: 'people', polarity: 'neutral', explanation: 'People count: two male characters.' },
  { tag: 'multiple girls', kind: 'people', polarity: 'neutral', explanation: 'People count: more than one female character, count unspecified.' },
  { tag: 'solo', kind: 'people', polarity: 'neutral', explanation: 'Only one character in the picture; pairs well with 1girl / 1boy.' },
  { tag: 'no humans', kind: 'people', polarity: 'neutral', explanation: 'No people at all: scenery, objects, animals.' },
];

const BASIC_QUALITY_TAGS: SpecialTag[] = [
  { tag: 'masterpiece', kind: 'quality', polarity: 'positive', explanation: 'Quality booster: steers towards the best-rated training images.' },
  { tag: 'best quality', kind: 'quality', polarity: 'positive', explanation: 'Quality booster, usually paired with masterpiece.' },
  { tag: 'low quality', kind: 'quality', polarity: 'negative', explanation: 'Quality tag for the negative prompt: steers away from poorly rated images.' },
  { tag: 'worst quality', kind: 'quality', polarity: 'negative', explanation: 'Quality tag for the negative prompt: steers away from the worst-rated images.' },
];

// ---- Per-ecosystem profiles: numbers from the table, prompt advice from the guides ----

function ecosystemProfile(
  id: EcosystemId,
  advice: Pick<ModelProfile, 'tagOrder' | 'qualityTags' | 'qualityTagPosition' | 'negativePrompt' | 'clipTokenWindow' | 'notes' | 'sequences' | 'tagStyle'>,
): ModelProfile {
  const facts = ECOSYSTEMS[id];
  return {
    id: `ecosystem:${id}`,
    name: facts.label,
    ecosystem: id,
    origin: 'builtin',
    cfgScale: facts.cfgSweetSpot,
    steps: facts.stepsTypical,
    resolutions: facts.wellBehavedSizes,
    specialTags: [...BASIC_QUALITY_TAGS, ...PEOPLE_TAGS],
    ...advice,
  };
}

const LEADING_QUALITY: TagSequence = {
  label: 'masterpiece, best quality',
  text: 'masterpiece, best quality',
  explanation: 'The quality boosters the guide puts at the start of the prompt.',
};

export const ECOSYSTEM_PROFILES: Readonly<Record<EcosystemId, ModelProfile>> = {
  sd1: ecosystemProfile('sd1', {
    tagOrder: ['quality', 'people', 'general'],
    qualityTags: ['masterpiece', 'best quality'],
    qualityTagPosition: 'start',
    negativePrompt: 'worst quality, low quality, blurry, bad anatomy, bad hands',
    clipTokenWindow: true,
    sequences: [LEADING_QUALITY],
    notes: ['SD1 guide: Booru-style tags; lead with quality tags (masterpiece, best quality, …); a negative prompt is strongly recommended.'],
  }),
  sdxl: ecosystemProfile('sdxl', {
    tagOrder: ['quality', 'people', 'general'],
    qualityTags: ['masterpiece', 'best quality'],
    // The SDXL guide says quality tags "still help" but gives no position, so none is enforced.
    negativePrompt: 'worst quality, low quality, blurry',
    clipTokenWindow: true,
    sequences: [LEADING_QUALITY],
    notes: ['SDXL guide: tags or natural language both work; quality tags still help (position not prescribed).'],
  }),
  anima: ecosystemProfile('anima', {
    tagOrder: ['quality', 'people', 'general'],
    qualityTags: ['masterpiece', 'best quality'],
    qualityTagPosition: 'start',
    negativePrompt: 'worst quality, low quality, blurry, bad anatomy, deformed hands',
    // The Anima guide does not document a CLIP text encoder, so the 77-token window is not assumed.
    clipTokenWindow: false,
    // Anima's model card writes artist tags with an `@` prefix (`@artist name`); not in the Civitai
    // guide (shared/reference), recorded from issue 17.
    tagStyle: { ...SPACED_ESCAPED_TAGS, artistPrefix: '@' },
    sequences: [LEADING_QUALITY],
    notes: ['Anima guide: Booru-style tags work best; lead with quality boosters (masterpiece, best quality, …).'],
  }),
};

// ---- Animagine XL 4.0 (Civitai model 1188071), from its model card ----

export const ANIMAGINE_XL_4_MODEL_ID = 1188071;
/**
 * Known versions of the Animagine XL 4.0 model page. v4.0's version id and AutoV2 hash are
 * published on Civitai (the hash matches `Model hash: 1d5b43ff75` in the card's example block).
 * The v4.0 Opt version id is not in the card; any version of model 1188071 gets the profile.
 */
export const ANIMAGINE_XL_4_VERSIONS: ReadonlyArray<{ name: string; versionId: number; autoV2Hash: string }> = [
  { name: 'v4.0', versionId: 1337429, autoV2Hash: '1d5b43ff75' },
];

const animagineQuality = (tag: string, polarity: SpecialTag['polarity'], explanation: string): SpecialTag => ({ tag, kind: 'quality', polarity, explanation });
const animagineScore = (tag: string, polarity: SpecialTag['polarity'], explanation: string): SpecialTag => ({ tag, kind: 'score', polarity, explanation });
const rating = (tag: string, explanation: string): SpecialTag => ({ tag, kind: 'rating', polarity: 'neutral', explanation });

const ANIMAGINE_FIRST_YEAR = 2005;
const ANIMAGINE_LAST_YEAR = 2025;

function animagineYearTags(): SpecialTag[] {
  const out: SpecialTag[] = [];
  for (let y = ANIMAGINE_LAST_YEAR; y >= ANIMAGINE_FIRST_YEAR; y--) {
    out.push({
      tag: `year ${y}`,
      kind: 'temporal',
      polarity: 'neutral',
      explanation: `Temporal tag: steers the drawing style towards anime art from ${y}. The card lists year ${ANIMAGINE_FIRST_YEAR} to year ${ANIMAGINE_LAST_YEAR}.`,
    });
  }
  return out;
}

const ANIMAGINE_QUALITY_SUFFIX = 'masterpiece, high score, great score, absurdres';

export const ANIMAGINE_XL_4_PROFILE: ModelProfile = {
  id: 'animagine-xl-4',
  name: 'Animagine XL 4.0',
  ecosystem: 'sdxl',
  air: `urn:air:sdxl:checkpoint:civitai:${ANIMAGINE_XL_4_MODEL_ID}@`,
  origin: 'builtin',
  cfgScale: { min: 4, max: 7 },
  recommendedCfgScale: 5,
  steps: { min: 25, max: 28 },
  recommendedSteps: 28,
  sampler: { label: 'Euler a', comfy: 'euler_ancestral', sdcpp: COMFY_TO_SDCPP_SAMPLER.euler_ancestral },
  // The card's resolution list is an image; it trained at SDXL's resolution and warns that larger
  // sizes (e.g. 1536×1536) degrade, so SDXL's well-behaved sizes are the recommendation.
  resolutions: ECOSYSTEMS.sdxl.wellBehavedSizes,
  tagOrder: ['people', 'character', 'series', 'rating', 'general', 'quality'],
  qualityTags: ['masterpiece', 'best quality', 'high score', 'great score', 'good score', 'absurdres'],
  qualityTagPosition: 'end',
  specialTags: [
    animagineQuality('masterpiece', 'positive', 'Quality tag: the top quality class. The card puts quality tags at the end of the prompt.'),
    animagineQuality('best quality', 'positive', 'Quality tag: high quality class.'),
    animagineQuality('low quality', 'negative', 'Quality tag for the negative prompt: low quality class.'),
    animagineQuality('worst quality', 'negative', 'Quality tag for the negative prompt: the lowest quality class.'),
    { tag: 'absurdres', kind: 'quality', polarity: 'positive', explanation: 'Very high resolution source images; part of the card\'s quality suffix.' },
    animagineScore('high score', 'positive', 'Score tag: steers quality more strongly than quality tags in this model. Part of the recommended suffix.'),
    animagineScore('great score', 'positive', 'Score tag: very well-scored images. Part of the recommended suffix.'),
    animagineScore('good score', 'positive', 'Score tag: well-scored images.'),
    animagineScore('average score', 'negative', 'Score tag: middling images; the recommended negative prompt lists it.'),
    animagineScore('bad score', 'negative', 'Score tag: poorly scored images; belongs in the negative prompt.'),
    animagineScore('low score', 'negative', 'Score tag: the lowest scores; belongs in the negative prompt.'),
    ...animagineYearTags(),
    rating('safe', 'Rating tag: safe-for-work content. The card puts the rating right after the series.'),
    rating('sensitive', 'Rating tag: suggestive but not explicit content.'),
    rating('nsfw', 'Rating tag: not-safe-for-work content. Use responsibly and within the platform\'s policies.'),
    rating('explicit', 'Rating tag: explicit content. Use responsibly and within the platform\'s policies.'),
    ...PEOPLE_TAGS.filter((t) => ['1girl', '1boy', '1other'].includes(t.tag)).map((t) => ({
      ...t,
      explanation: `${t.explanation} Animagine's tag order starts with 1girl / 1boy / 1other.`,
    })),
    ...PEOPLE_TAGS.filter((t) => !['1girl', '1boy', '1other'].includes(t.tag)),
  ],
  sequences: [
    { label: ANIMAGINE_QUALITY_SUFFIX, text: ANIMAGINE_QUALITY_SUFFIX, explanation: 'The quality suffix the card adds at the end of every prompt.' },
    {
      label: '1girl, character, series, rating, …, quality suffix',
      text: `1girl, character name, series name, safe, solo, looking at viewer, ${ANIMAGINE_QUALITY_SUFFIX}`,
      explanation: 'The card\'s tag order: people count, character, series, rating, everything else, quality tags last. Replace the placeholders.',
    },
  ],
  negativePrompt:
    'lowres, bad anatomy, bad hands, text, error, missing finger, extra digits, fewer digits, cropped, worst quality, low quality, low score, bad score, average score, signature, watermark, username, blurry',
  clipTokenWindow: true,
  notes: [
    'Animagine XL 4.0 model card: tag order "1girl/1boy/1other, character, series, rating, everything else, quality tags last"; cfg 4–7 (5); 25–28 steps (28); Euler a.',
    'Clip skip does not apply: SDXL has no clipSkip field.',
  ],
};

export const BUILTIN_MODEL_PROFILES: readonly ModelProfile[] = [ANIMAGINE_XL_4_PROFILE];

// ---- User profiles from the `civitai.modelProfiles` setting ----

const SIZE_RE = /^(\d+)x(\d+)$/;

/** Mirrors the setting's JSON schema in package.json; zod is the trust boundary. */
export const userModelProfileSchema = z.object({
  name: z.string().check(z.minLength(1)),
  air: z.string().check(z.minLength(1)),
  cfgScale: z.optional(z.tuple([z.number(), z.number()])),
  steps: z.optional(z.tuple([z.int(), z.int()])),
  qualityTags: z.optional(z.array(z.string())),
  qualityTagPosition: z.optional(z.enum(['start', 'end'])),
  negativePrompt: z.optional(z.string()),
  sampler: z.optional(z.string()),
  resolutions: z.optional(z.array(z.string().check(z.regex(SIZE_RE)))),
});
export type UserModelProfileSetting = z.infer<typeof userModelProfileSchema>;

export interface UserProfilesResult {
  profiles: ModelProfile[];
  /** One line per rejected entry, for the output channel or a warning. */
  problems: string[];
}

/**
 * Validates the setting and turns each entry into a profile, merged over the built-in profile
 * with the same AIR prefix, or else over the ecosystem named in the AIR (`urn:air:<eco>:…`).
 */
export function parseUserProfiles(raw: unknown): UserProfilesResult {
  const profiles: ModelProfile[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) return { profiles, problems: ['civitai.modelProfiles must be an array of profiles.'] };
  raw.forEach((entry, i) => {
    const parsed = userModelProfileSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`civitai.modelProfiles[${i}]: ${issue.path.join('.') || 'entry'}: ${issue.message}`);
      return;
    }
    const p = parsed.data;
    const base = BUILTIN_MODEL_PROFILES.find((b) => b.air !== undefined && b.air === p.air) ?? ECOSYSTEM_PROFILES[ecosystemOfAir(p.air) ?? 'sdxl'];
    if (!base.air && !ecosystemOfAir(p.air)) {
      problems.push(`civitai.modelProfiles[${i}] (${p.name}): the AIR does not name an ecosystem (urn:air:sd1|sdxl|anima:…); SDXL advice is used as the base.`);
    }
    profiles.push({
      ...base,
      id: `user:${p.name}`,
      name: p.name,
      air: p.air,
      origin: 'user',
      ...(p.cfgScale ? { cfgScale: range(p.cfgScale), recommendedCfgScale: undefined } : {}),
      ...(p.steps ? { steps: range(p.steps), recommendedSteps: undefined } : {}),
      ...(p.qualityTags ? { qualityTags: p.qualityTags } : {}),
      ...(p.qualityTagPosition ? { qualityTagPosition: p.qualityTagPosition } : {}),
      ...(p.negativePrompt !== undefined ? { negativePrompt: p.negativePrompt } : {}),
      ...(p.sampler ? { sampler: samplerAdvice(p.sampler) } : {}),
      ...(p.resolutions ? { resolutions: p.resolutions.map(parseSize) } : {}),
      ...(p.qualityTags ? { sequences: [{ label: p.qualityTags.join(', '), text: p.qualityTags.join(', '), explanation: `Quality tags from your profile "${p.name}".` }] } : {}),
      notes: [`Your profile "${p.name}" (civitai.modelProfiles), based on ${base.name}.`, ...base.notes],
    });
  });
  return { profiles, problems };
}

function range([a, b]: [number, number]): NumericRange {
  return { min: Math.min(a, b), max: Math.max(a, b) };
}

function parseSize(s: string): Size {
  const m = SIZE_RE.exec(s)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

function samplerAdvice(name: string): SamplerAdvice {
  if (Object.prototype.hasOwnProperty.call(COMFY_TO_SDCPP_SAMPLER, name)) return { label: name, comfy: name, sdcpp: COMFY_TO_SDCPP_SAMPLER[name] };
  const comfy = Object.entries(COMFY_TO_SDCPP_SAMPLER).find(([, sd]) => sd === name)?.[0];
  return { label: name, sdcpp: comfy ? name : undefined, comfy };
}

// ---- Selecting a step's profile ----

/** The ecosystem segment of an AIR (`urn:air:sdxl:checkpoint:…` → `sdxl`), if it is one we know. */
export function ecosystemOfAir(air: string): EcosystemId | undefined {
  const m = /^(?:urn:)?air:([^:]+):/i.exec(air.trim());
  const eco = m?.[1].toLowerCase();
  return isEcosystemId(eco) ? eco : undefined;
}

/** What profile selection needs from a step input (any shape: the file may be broken). */
export interface ProfileQuery {
  ecosystem?: unknown;
  model?: unknown;
}

/**
 * The profile for a step: by the AIR in `model` (longest matching prefix; user profiles win a
 * tie), else by its ecosystem. Undefined for ecosystems without a profile (not tag-based).
 */
export function profileForInput(input: ProfileQuery, userProfiles: readonly ModelProfile[] = activeUserProfiles): ModelProfile | undefined {
  const model = typeof input.model === 'string' ? input.model.trim().toLowerCase() : undefined;
  if (model) {
    // The longest matching AIR prefix; on a tie the user's profile (listed first) wins. A plain
    // loop: rules ask this for every step of every lint.
    let best: ModelProfile | undefined;
    for (const list of [userProfiles, BUILTIN_MODEL_PROFILES]) {
      for (const p of list) {
        if (p.air && p.air.length > (best?.air?.length ?? -1) && model.startsWith(p.air.toLowerCase())) best = p;
      }
    }
    if (best) return best;
  }
  if (isEcosystemId(input.ecosystem)) return ECOSYSTEM_PROFILES[input.ecosystem];
  return undefined;
}

// The one process-wide place the editor's settings land, so rules (whose context carries only the
// document) see the user's profiles. The CLI leaves it empty: built-in profiles only.
let activeUserProfiles: readonly ModelProfile[] = [];

export function setActiveUserProfiles(profiles: readonly ModelProfile[]): void {
  activeUserProfiles = profiles;
}

export function getActiveUserProfiles(): readonly ModelProfile[] {
  return activeUserProfiles;
}

/** Every profile a user could be writing for: for completions of profile names, docs, tests. */
export function allProfiles(userProfiles: readonly ModelProfile[] = activeUserProfiles): ModelProfile[] {
  return [...userProfiles, ...BUILTIN_MODEL_PROFILES, ...Object.values(ECOSYSTEM_PROFILES)];
}

/** The special tag a tag key names in a profile, if any. */
export function specialTagOf(profile: ModelProfile, key: string): SpecialTag | undefined {
  return profile.specialTags.find((t) => t.tag === key);
}
