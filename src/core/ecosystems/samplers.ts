// Sampler and schedule names as AUTOMATIC1111, Forge, SD.Next and ComfyUI write them into
// generation parameters, and the values each engine takes for them. Part of the ecosystem table:
// the A1111 names and the comfy <-> sdcpp counterparts are in `table.ts`; this module adds the
// other tools' spellings and reads a name in any of them: the one reader, for import and the rules
// alike. Engine values are checked against the contract's enums in
// test/unit/import-params-samplers.test.ts.
import {
  A1111_SAMPLERS,
  A1111_SCHEDULE_TYPES,
  COMFY_TO_SDCPP_SAMPLER,
  COMFY_TO_SDCPP_SCHEDULE,
  SDCPP_TO_COMFY_SAMPLER,
  SDCPP_TO_COMFY_SCHEDULER,
  type Engine,
} from './table';

export interface EngineNames {
  readonly comfy?: string;
  readonly sdcpp?: string;
}

/**
 * Spellings other than A1111's own (`table.ts`) and the engines' own values (always accepted):
 * Forge's CFG++ family and extras, SD.Next's diffusers names, ComfyUI savers' variants.
 */
export const SAMPLER_ALIASES: Readonly<Record<string, EngineNames>> = {
  'Euler CFG++': { comfy: 'euler_cfg_pp' },
  'Euler a CFG++': { comfy: 'euler_ancestral_cfg_pp' },
  'DPM++ 2M CFG++': { comfy: 'dpmpp_2m_cfg_pp' },
  'DPM++ 2S a CFG++': { comfy: 'dpmpp_2s_ancestral_cfg_pp' },
  'HeunPP2': { comfy: 'heunpp2' },
  'Heun++ 2': { comfy: 'heunpp2' },
  'DEIS': { comfy: 'deis' },
  'iPNDM': { comfy: 'ipndm', sdcpp: 'ipndm' },
  'iPNDM_v': { comfy: 'ipndm_v', sdcpp: 'ipndm_v' },
  'UniPC BH2': { comfy: 'uni_pc_bh2' },
  'ER SDE': { comfy: 'er_sde', sdcpp: 'er_sde' },
  'Res Multistep': { comfy: 'res_multistep', sdcpp: 'res_multistep' },
  'DPM++ 2M SDE GPU': { comfy: 'dpmpp_2m_sde_gpu' },
  'DPM++ 3M SDE GPU': { comfy: 'dpmpp_3m_sde_gpu' },
  'DPM++ SDE GPU': { comfy: 'dpmpp_sde_gpu' },
  'TCD': { sdcpp: 'tcd' },
  // SD.Next (diffusers scheduler names).
  'DPM SDE': { comfy: 'dpmpp_sde' },
  'Euler FlowMatch': { comfy: 'euler', sdcpp: 'euler' },
  'Heun FlowMatch': { comfy: 'heun', sdcpp: 'heun' },
  'Euler Ancestral': { comfy: 'euler_ancestral', sdcpp: 'euler_a' },
  // ddim_trailing is sdcpp's DDIM: its comfy counterpart is ddim, as in COMFY_TO_SDCPP_SAMPLER.
  'DDIM trailing': { comfy: 'ddim', sdcpp: 'ddim_trailing' },
  'DPM++ 2M v2': { sdcpp: 'dpm++2mv2' },
  'Res 2s': { sdcpp: 'res_2s' },
};

/** Schedule spellings beyond A1111's `Schedule type` labels (`table.ts`) and the engines' values. */
export const SCHEDULE_ALIASES: Readonly<Record<string, EngineNames>> = {
  'DDIM': { comfy: 'ddim_uniform' },
  'Align Your Steps GITS': { sdcpp: 'gits' },
  'GITS': { sdcpp: 'gits' },
  'Smoothstep': { sdcpp: 'smoothstep' },
  'Bong Tangent': { sdcpp: 'bong_tangent' },
  'Discrete': { comfy: 'normal', sdcpp: 'discrete' },
  'LCM': { sdcpp: 'lcm' },
};

/** Schedule words that mean "the sampler's default". */
const DEFAULT_SCHEDULE = new Set(['', 'automatic', 'default', 'auto', 'none']);

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_]+/g, ' ');

function addAll(into: Map<string, { label: string; names: EngineNames }>, entries: Iterable<[string, EngineNames]>): void {
  for (const [label, names] of entries) if (!into.has(norm(label))) into.set(norm(label), { label, names });
}

let samplerIndex: Map<string, { label: string; names: EngineNames }> | undefined;
let scheduleIndex: Map<string, { label: string; names: EngineNames }> | undefined;

function samplers(): Map<string, { label: string; names: EngineNames }> {
  if (samplerIndex) return samplerIndex;
  const m = new Map<string, { label: string; names: EngineNames }>();
  addAll(m, Object.entries(A1111_SAMPLERS).map(([label, comfy]) => [label, { comfy, sdcpp: COMFY_TO_SDCPP_SAMPLER[comfy] }]));
  addAll(m, Object.entries(SAMPLER_ALIASES));
  addAll(m, Object.entries(COMFY_TO_SDCPP_SAMPLER).map(([comfy, sdcpp]) => [comfy, { comfy, sdcpp }]));
  addAll(m, Object.entries(SDCPP_TO_COMFY_SAMPLER).map(([sdcpp, comfy]) => [sdcpp, { comfy, sdcpp }]));
  // Comfy values without an sdcpp counterpart are reachable through A1111_SAMPLERS' values.
  addAll(m, Object.values(A1111_SAMPLERS).map((comfy) => [comfy, { comfy, sdcpp: COMFY_TO_SDCPP_SAMPLER[comfy] }]));
  addAll(m, Object.values(SAMPLER_ALIASES).flatMap((n) => [...(n.comfy ? [[n.comfy, n] as [string, EngineNames]] : []), ...(n.sdcpp ? [[n.sdcpp, n] as [string, EngineNames]] : [])]));
  return (samplerIndex = m);
}

function schedules(): Map<string, { label: string; names: EngineNames }> {
  if (scheduleIndex) return scheduleIndex;
  const m = new Map<string, { label: string; names: EngineNames }>();
  addAll(m, Object.entries(A1111_SCHEDULE_TYPES));
  addAll(m, Object.entries(SCHEDULE_ALIASES));
  addAll(m, Object.entries(COMFY_TO_SDCPP_SCHEDULE).map(([comfy, sdcpp]) => [comfy, { comfy, sdcpp }]));
  addAll(m, Object.entries(SDCPP_TO_COMFY_SCHEDULER).map(([sdcpp, comfy]) => [sdcpp, { comfy, sdcpp }]));
  addAll(m, [...Object.values(A1111_SCHEDULE_TYPES), ...Object.values(SCHEDULE_ALIASES)].flatMap((n) => [...(n.comfy ? [[n.comfy, n] as [string, EngineNames]] : []), ...(n.sdcpp ? [[n.sdcpp, n] as [string, EngineNames]] : [])]));
  return (scheduleIndex = m);
}

export interface SamplerResolution {
  /** The sampler as read (its usual label) and the schedule, when there is one. */
  readonly sampler: string;
  readonly schedule?: string;
  /** A schedule that was written but is not one we know (the sampler still resolves). */
  readonly unknownSchedule?: string;
  readonly comfy?: { sampler: string; scheduler?: string };
  readonly sdcpp?: { sampleMethod: string; schedule?: string };
}

/**
 * Reads a sampler name in any tool's spelling (`DPM++ 2M Karras`, `dpmpp_2m Karras`,
 * `dpmpp_2m_karras`, `euler_ancestral`, `ER SDE`…) with the schedule written separately
 * (`Schedule type`, `Scheduler`, SD.Next's `Sampler sigma`), and gives each engine's fields.
 * An engine is absent when it has no counterpart for the sampler or the schedule.
 * Undefined when the sampler is not one we know.
 */
export function resolveSamplerName(name: string, scheduleName?: string): SamplerResolution | undefined {
  const wanted = norm(name);
  let sampler = samplers().get(wanted);
  let schedule: { label: string; names: EngineNames } | undefined;
  if (!sampler) {
    // "<sampler> <schedule>": the longest schedule suffix that leaves a known sampler.
    const words = wanted.split(' ');
    for (let cut = 1; cut < words.length && !sampler; cut++) {
      const base = words.slice(0, cut).join(' ');
      const suffix = words.slice(cut).join(' ');
      const s = schedules().get(suffix);
      const found = s && samplers().get(base);
      if (found) {
        sampler = found;
        schedule = s;
      }
    }
  }
  if (!sampler) return undefined;
  let unknownSchedule: string | undefined;
  if (scheduleName !== undefined && !DEFAULT_SCHEDULE.has(norm(scheduleName))) {
    const explicit = schedules().get(norm(scheduleName));
    if (explicit) schedule = explicit;
    else unknownSchedule = scheduleName.trim();
  }
  const fields = (engine: Engine) => {
    const value = sampler!.names[engine];
    if (!value) return undefined;
    if (!schedule) return { value };
    const sched = schedule.names[engine];
    return sched ? { value, sched } : undefined;
  };
  const comfy = fields('comfy');
  const sdcpp = fields('sdcpp');
  return {
    sampler: sampler.label,
    ...(schedule ? { schedule: schedule.label } : {}),
    ...(unknownSchedule ? { unknownSchedule } : {}),
    ...(comfy ? { comfy: comfy.sched ? { sampler: comfy.value, scheduler: comfy.sched } : { sampler: comfy.value } } : {}),
    ...(sdcpp ? { sdcpp: sdcpp.sched ? { sampleMethod: sdcpp.value, schedule: sdcpp.sched } : { sampleMethod: sdcpp.value } } : {}),
  };
}

/**
 * Whether `name` is written as A1111 writes it: an A1111 sampler, and an A1111 schedule type when
 * there is one, in A1111's spelling (any case; `euler_a` is sdcpp's, not A1111's). The
 * a1111-sampler-name rule speaks of these only; `resolution` is `resolveSamplerName(name)`.
 */
export function isA1111Spelling(name: string, resolution: SamplerResolution): boolean {
  if (!Object.hasOwn(A1111_SAMPLERS, resolution.sampler)) return false;
  if (resolution.schedule !== undefined && !Object.hasOwn(A1111_SCHEDULE_TYPES, resolution.schedule)) return false;
  const written = name.trim().toLowerCase().replace(/\s+/g, ' ');
  return written === [resolution.sampler, resolution.schedule].filter((part) => part !== undefined).join(' ').toLowerCase();
}

/** Every sampler spelling we read (for tests and docs). */
export function knownSamplerSpellings(): Array<{ label: string; names: EngineNames }> {
  return [...samplers().values()];
}

/** Every schedule spelling we read (for tests and docs). */
export function knownScheduleSpellings(): Array<{ label: string; names: EngineNames }> {
  return [...schedules().values()];
}
