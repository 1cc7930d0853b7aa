// The sampler/schedule name table: every engine value it produces is in the contract's enums, and
// the names A1111, Forge, SD.Next and ComfyUI write resolve to the fields each engine takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownSamplerSpellings, knownScheduleSpellings, resolveSamplerName } from '../../src/core/ecosystems/samplers';
import { IMAGE_GEN_LEAVES } from '../../src/core/schema/image-gen-leaves.generated';

const comfyLeaf = IMAGE_GEN_LEAVES['comfy/sdxl/createImage'].properties;
const sdcppLeaf = IMAGE_GEN_LEAVES['sdcpp/sdxl/createImage'].properties;

test('every engine value in the table is one the contract accepts', () => {
  for (const { label, names } of knownSamplerSpellings()) {
    if (names.comfy) assert.ok(comfyLeaf.sampler.enum!.includes(names.comfy), `${label} -> comfy ${names.comfy}`);
    if (names.sdcpp) assert.ok(sdcppLeaf.sampleMethod.enum!.includes(names.sdcpp), `${label} -> sdcpp ${names.sdcpp}`);
    assert.ok(names.comfy || names.sdcpp, label);
  }
  for (const { label, names } of knownScheduleSpellings()) {
    if (names.comfy) assert.ok(comfyLeaf.scheduler.enum!.includes(names.comfy), `${label} -> comfy ${names.comfy}`);
    if (names.sdcpp) assert.ok(sdcppLeaf.schedule.enum!.includes(names.sdcpp), `${label} -> sdcpp ${names.sdcpp}`);
  }
});

test('every value of both engines\' enums is read back as itself (Comfy savers write them raw)', () => {
  for (const v of comfyLeaf.sampler.enum!) assert.equal(resolveSamplerName(v)?.comfy?.sampler, v, v);
  for (const v of sdcppLeaf.sampleMethod.enum!) assert.equal(resolveSamplerName(v)?.sdcpp?.sampleMethod, v, v);
  for (const v of comfyLeaf.scheduler.enum!) assert.equal(resolveSamplerName('euler', v)?.comfy?.scheduler, v, v);
  for (const v of sdcppLeaf.schedule.enum!) assert.equal(resolveSamplerName('euler', v)?.sdcpp?.schedule, v, v);
});

test('names as each tool writes them', () => {
  const table: Array<[string, string | undefined, { comfy?: unknown; sdcpp?: unknown }]> = [
    // A1111 / Forge, combined and separate schedule
    ['DPM++ 2M Karras', undefined, { comfy: { sampler: 'dpmpp_2m', scheduler: 'karras' }, sdcpp: { sampleMethod: 'dpm++2m', schedule: 'karras' } }],
    ['DPM++ 2M SDE', 'Exponential', { comfy: { sampler: 'dpmpp_2m_sde', scheduler: 'exponential' }, sdcpp: undefined }],
    ['Euler a', 'Automatic', { comfy: { sampler: 'euler_ancestral' }, sdcpp: { sampleMethod: 'euler_a' } }],
    ['ER SDE', 'Beta', { comfy: { sampler: 'er_sde', scheduler: 'beta' }, sdcpp: undefined }],
    ['Euler', 'KL Optimal', { comfy: undefined, sdcpp: { sampleMethod: 'euler', schedule: 'kl_optimal' } }],
    ['DDIM', 'DDIM', { comfy: { sampler: 'ddim', scheduler: 'ddim_uniform' }, sdcpp: undefined }],
    ['Euler CFG++', undefined, { comfy: { sampler: 'euler_cfg_pp' }, sdcpp: undefined }],
    // ComfyUI savers
    ['dpmpp_2m Karras', undefined, { comfy: { sampler: 'dpmpp_2m', scheduler: 'karras' }, sdcpp: { sampleMethod: 'dpm++2m', schedule: 'karras' } }],
    ['dpmpp_2m_karras', undefined, { comfy: { sampler: 'dpmpp_2m', scheduler: 'karras' }, sdcpp: { sampleMethod: 'dpm++2m', schedule: 'karras' } }],
    ['euler_ancestral', 'karras', { comfy: { sampler: 'euler_ancestral', scheduler: 'karras' }, sdcpp: { sampleMethod: 'euler_a', schedule: 'karras' } }],
    ['dpmpp_sde_gpu', 'sgm_uniform', { comfy: { sampler: 'dpmpp_sde_gpu', scheduler: 'sgm_uniform' }, sdcpp: undefined }],
    // SD.Next
    ['DPM SDE', 'karras', { comfy: { sampler: 'dpmpp_sde', scheduler: 'karras' }, sdcpp: undefined }],
    ['Euler FlowMatch', 'default', { comfy: { sampler: 'euler' }, sdcpp: { sampleMethod: 'euler' } }],
    // sdcpp names
    ['dpm++2s_a', undefined, { comfy: { sampler: 'dpmpp_2s_ancestral' }, sdcpp: { sampleMethod: 'dpm++2s_a' } }],
  ];
  for (const [name, schedule, want] of table) {
    const r = resolveSamplerName(name, schedule);
    assert.ok(r, name);
    assert.deepEqual({ comfy: r.comfy, sdcpp: r.sdcpp }, want, `${name} / ${schedule}`);
  }
});

test('unknown samplers are undefined; unknown schedules are reported, the sampler still resolves', () => {
  for (const name of ['PLMS', 'Restart', 'DPM++ 2M SDE Heun', '', 'karras']) assert.equal(resolveSamplerName(name), undefined, name);
  const r = resolveSamplerName('Euler', 'Polyexponential')!;
  assert.equal(r.unknownSchedule, 'Polyexponential');
  assert.deepEqual(r.sdcpp, { sampleMethod: 'euler' });
});
