// The base-model table: every family points at inputs the contract has, and the names Civitai's
// docs use for base models (site reference and recipes' catalog links) land in the right family.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_MODEL_FAMILIES, familyFromSize, familyOfAirEcosystem, familyOfCivitaiBaseModel, familyOfModelName, familyOfTextEncoder } from '../../src/core/ecosystems/base-models';
import { leafFor } from '../../src/core/prompt/import-params-target';

test('every family\'s input is a createImage leaf of the contract, with the model field it names', () => {
  for (const family of BASE_MODEL_FAMILIES) {
    for (const input of family.inputs) {
      const found = leafFor(family, input.engine, 'createImage');
      assert.ok(found, `${family.id} on ${input.engine}`);
      for (const [k, v] of Object.entries(input)) assert.equal(found.leaf.discriminators[k], v, `${family.id}: ${k}`);
      const modelField = family.modelField?.[input.engine];
      if (modelField) assert.ok(found.leaf.properties[modelField], `${family.id} on ${input.engine} has ${modelField}`);
      if (family.modelRequired) assert.ok(found.leaf.required.includes(modelField ?? 'model'), `${family.id}: the model is required by the contract`);
    }
  }
});

test('Civitai base model names, AIR ecosystems, file names and text encoders', () => {
  const baseModels: Array<[string, string]> = [
    ['SD 1.5', 'sd1'], ['SD 1.4', 'sd1'], ['SDXL 1.0', 'sdxl'], ['Pony', 'sdxl'], ['Illustrious', 'sdxl'], ['NoobAI', 'sdxl'],
    ['Flux.1 D', 'flux1'], ['Flux.1 S', 'flux1'], ['Flux.1 Krea', 'flux1'], ['Flux.2 D', 'flux2Dev'], ['Flux.2 Klein 4B', 'flux2Klein'],
    ['Qwen Image', 'qwen'], ['ZImageTurbo', 'zImageTurbo'], ['ZImageBase', 'zImageBase'], ['Anima', 'anima'], ['Wan Video 2.2 T2V-A14B', 'wan'],
  ];
  for (const [name, id] of baseModels) assert.equal(familyOfCivitaiBaseModel(name)?.id, id, name);
  assert.equal(familyOfCivitaiBaseModel('Hunyuan 1'), undefined);
  for (const [air, id] of [['sdxl', 'sdxl'], ['illustrious', 'sdxl'], ['flux1', 'flux1'], ['zImage', 'zImageBase'], ['anima', 'anima'], ['qwen', 'qwen'], ['wan', 'wan'], ['sd1', 'sd1']]) {
    assert.equal(familyOfAirEcosystem(air)?.id, id, air);
  }
  const names: Array<[string, string | undefined]> = [
    ['animagineXL40_v40', 'sdxl'], ['ponyDiffusionV6XL', 'sdxl'], ['v1-5-pruned-emaonly', 'sd1'], ['sd15_base', 'sd1'], ['flux1-dev-fp8', 'flux1'],
    ['flux_dev', 'flux1'], ['flux2-klein-4b', 'flux2Klein'], ['z_image_turbo_bf16', 'zImageTurbo'], ['Anima-preview', 'anima'], ['qwen_image_fp8', 'qwen'],
    ['wan2.2_t2v_14B', 'wan'], ['krea2_turbo_fp8', 'krea2Turbo'], ['dreamshaper_8', undefined], ['realisticVisionV60B1', undefined],
  ];
  for (const [name, id] of names) assert.equal(familyOfModelName(name)?.id, id, name);
  for (const [module, id] of [['qwen_3_06b', 'anima'], ['models/text_encoders/qwen_3_4b.safetensors', 'zImageBase'], ['t5xxl_fp16', 'flux1'], ['clip_l', 'flux1'], ['ae', 'flux1'], ['umt5_xxl_fp8', 'wan'], ['qwen_2.5_vl_7b', 'qwen'], ['sdxl_vae', undefined]]) {
    assert.equal(familyOfTextEncoder(module as string)?.id, id, module);
  }
});

test('size as the last resort: below ~0.7 MP is SD1, above is SDXL', () => {
  for (const [w, h, id] of [[512, 512, 'sd1'], [512, 968, 'sd1'], [768, 768, 'sd1'], [640, 960, 'sd1'], [832, 1216, 'sdxl'], [1024, 1024, 'sdxl'], [768, 1024, 'sdxl']] as const) {
    assert.equal(familyFromSize(w, h).id, id, `${w}x${h}`);
  }
});
