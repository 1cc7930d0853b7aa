// Published videoGen prices (the "Cost" sections of the video recipes), as products of table
// lookups: total = Π factor[key] (× duration when `perSecond`). A factor's key joins the values
// of its fields with "/"; `?field` reads "yes"/"no" for a boolean or a non-empty list. Defaults
// are the recipes' parameter tables (the contract's video leaves are not in the generated table).
// Prices the pages describe without numbers, or that hang on what only the service measures (a
// source video's length), are `unpublished` with the reason.
import type { PriceMatch } from './prices';

export interface VideoFactor {
  by: readonly string[];
  values: Readonly<Record<string, number>>;
}

export type VideoPrice =
  | { kind: 'table'; perSecond: boolean; factors: readonly VideoFactor[] }
  | { kind: 'unpublished'; why: string };

export interface VideoPriceEntry {
  match: PriceMatch;
  source: string;
  price: VideoPrice;
  /** Values used when the step leaves a field out (the recipe's parameter table). */
  defaults?: Readonly<Record<string, string | number | boolean>>;
}

/** `{a: {x: 1}}`-style rows → "a/x" keys. */
function grid(rows: Readonly<Record<string, Readonly<Record<string, number>>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [row, cols] of Object.entries(rows)) for (const [col, v] of Object.entries(cols)) out[`${row}/${col}`] = v;
  return out;
}

const each = (keys: readonly string[], value: Readonly<Record<string, number>>): Record<string, Record<string, number>> =>
  Object.fromEntries(keys.map((k) => [k, value]));

export const VIDEO_PRICES: readonly VideoPriceEntry[] = [
  {
    match: { engine: 'veo3' },
    source: 'veo3.md',
    defaults: { duration: 8, mode: 'standard', generateAudio: true },
    price: {
      kind: 'table',
      perSecond: false,
      factors: [
        { by: ['duration'], values: { 4: 1667, 6: 2500, 8: 3333 } },
        { by: ['mode'], values: { standard: 1, fast: 0.6, lite: 0.3 } },
        { by: ['?generateAudio'], values: { yes: 1, no: 0.67 } },
      ],
    },
  },
  {
    match: { engine: 'seedance' },
    source: 'seedance.md',
    defaults: { model: 'v2', resolution: '720p', duration: 5 },
    price: {
      kind: 'table',
      perSecond: true,
      factors: [
        {
          by: ['model', '?referenceVideos', 'resolution'],
          values: grid({
            ...each(['v2/no', 'v2/yes'], { '480p': 90, '720p': 200, '1080p': 490 }),
            ...each(['v2-fast/no', 'v2-fast/yes'], { '480p': 55, '720p': 120 }),
            'v2-mini/no': { '480p': 44, '720p': 98, '1080p': 223 },
            'v2-mini/yes': { '480p': 26, '720p': 59, '1080p': 134 },
            ...each(['v2.5/no', 'v2.5/yes'], { '480p': 134, '720p': 300 }),
          }),
        },
      ],
    },
  },
  {
    match: { engine: 'grok', operation: 'edit-video' },
    source: 'grok-video.md',
    price: { kind: 'unpublished', why: 'edit-video bills the analyzed length of the source video (up to 8 s), which only the service measures' },
  },
  {
    match: { engine: 'grok' },
    source: 'grok-video.md',
    defaults: { operation: 'text-to-video', resolution: '720p', duration: 6 },
    price: {
      kind: 'table',
      perSecond: true,
      factors: [{ by: ['operation', 'resolution'], values: grid({ ...each(['text-to-video', 'image-to-video'], { '480p': 65, '720p': 91 }) }) }],
    },
  },
  {
    match: { engine: 'happyHorse' },
    source: 'happy-horse.md',
    defaults: { resolution: '1080p', duration: 5 },
    price: {
      kind: 'table',
      perSecond: true,
      factors: [
        {
          by: ['version', 'operation', 'resolution'],
          values: grid({
            ...each(['v1.1/textToVideo', 'v1.1/imageToVideo', 'v1.1/referenceToVideo'], { '720p': 182, '1080p': 234 }),
            ...each(['v1.0/textToVideo', 'v1.0/imageToVideo', 'v1.0/referenceToVideo'], { '720p': 182, '1080p': 364 }),
            'v1.0/videoEdit': { '720p': 364, '1080p': 728 },
          }),
        },
      ],
    },
  },
  {
    match: { engine: 'flux', version: 'v3.0' },
    source: 'flux3-video.md',
    defaults: { resolution: '720p', duration: 5 },
    price: {
      kind: 'table',
      perSecond: true,
      factors: [
        {
          by: ['operation', '?draft', 'resolution'],
          values: grid({
            ...each(['textToVideo/no', 'imageToVideo/no', 'firstLastFrameToVideo/no', 'keyframesToVideo/no'], { '720p': 221, '1080p': 377 }),
            ...each(['textToVideo/yes', 'imageToVideo/yes', 'firstLastFrameToVideo/yes', 'keyframesToVideo/yes'], { '720p': 78 }),
            'extendVideo/no': { '720p': 533, '1080p': 689 },
            'extendVideo/yes': { '720p': 156 },
            // draftEnhance always outputs 1080p, whatever `resolution` says.
            'draftEnhance/no': { '720p': 377, '1080p': 377 },
          }),
        },
      ],
    },
  },
  {
    match: { engine: 'wan', version: 'v2.7', operation: 'edit-video' },
    source: 'wan.md',
    price: { kind: 'unpublished', why: 'an edit is as long as its source video, which only the service measures' },
  },
  { match: { engine: 'wan', version: 'v2.7' }, source: 'wan.md', defaults: { duration: 5 }, price: { kind: 'table', perSecond: true, factors: [{ by: [], values: { '': 130 } }] } },
  {
    match: { engine: 'wan', version: 'v2.6' },
    source: 'wan.md',
    defaults: { resolution: '720p', duration: 5 },
    price: { kind: 'table', perSecond: true, factors: [{ by: ['resolution'], values: { '720p': 130, '1080p': 195 } }] },
  },
  {
    match: { engine: 'wan', version: ['v2.5', 'v2.1'] },
    source: 'wan.md',
    defaults: { resolution: '720p', duration: 5 },
    price: { kind: 'table', perSecond: true, factors: [{ by: ['resolution'], values: { '480p': 100, '720p': 200, '1080p': 300 } }] },
  },
  {
    match: { engine: 'kling' },
    source: 'kling.md',
    defaults: { mode: 'Standard', duration: '5' },
    price: {
      kind: 'table',
      perSecond: false,
      factors: [
        {
          by: ['model', 'mode', 'duration'],
          values: grid({
            ...each(['v1/Standard', 'v1.5/Standard', 'v1.6/Standard'], { 5: 600, 10: 1200 }),
            ...each(['v1/Professional', 'v1.5/Professional', 'v1.6/Professional'], { 5: 1050, 10: 2100 }),
            // v2 and v2.5-turbo ignore `mode` (kling recipe).
            ...each(['v2/Standard', 'v2/Professional'], { 5: 1200, 10: 2400 }),
            ...each(['v2.5-turbo/Standard', 'v2.5-turbo/Professional'], { 5: 600, 10: 1200 }),
          }),
        },
      ],
    },
  },
  {
    match: { engine: 'kling-v3' },
    source: 'kling.md',
    defaults: { operation: 'text-to-video', mode: 'Standard', generateAudio: false, duration: 5 },
    price: {
      kind: 'table',
      perSecond: true,
      factors: [
        {
          by: ['operation', 'mode', '?generateAudio'],
          values: grid({
            ...each(['text-to-video/Standard', 'image-to-video/Standard', 'reference-to-video/Standard'], { no: 219, yes: 292 }),
            ...each(['text-to-video/Professional', 'image-to-video/Professional', 'reference-to-video/Professional'], { no: 292, yes: 364 }),
            // The page's "v2v-edit / v2v-ref" group: audio does not change it.
            ...each(['video-to-video-edit/Standard', 'video-to-video-reference/Standard'], { no: 328, yes: 328 }),
            ...each(['video-to-video-edit/Professional', 'video-to-video-reference/Professional'], { no: 437, yes: 437 }),
          }),
        },
      ],
    },
  },
  { match: { engine: 'vidu' }, source: 'vidu.md', price: { kind: 'table', perSecond: false, factors: [{ by: [], values: { '': 600 } }] } },
  {
    match: { engine: 'vidu-q3' },
    source: 'vidu.md',
    defaults: { turbo: false, resolution: '720p', duration: 5 },
    price: {
      kind: 'table',
      perSecond: true,
      factors: [{ by: ['?turbo', 'resolution'], values: grid({ no: { '360p': 91, '540p': 91, '720p': 200, '1080p': 200 }, yes: { '360p': 46, '540p': 46, '720p': 100, '1080p': 100 } }) }],
    },
  },
  {
    match: { engine: 'hunyuan' },
    source: 'hunyuan.md',
    price: { kind: 'unpublished', why: 'the hunyuan page gives only ranges ("actual cost varies with GPU load")' },
  },
];
