// One test per real-world shape of a "generation parameters" block that earlier imports got wrong.
// The blocks are minimal ones written for these tests, each reproducing one layout or signal that
// real files (kept outside the project) have; the import must read them as their tool meant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importGenerationParameters, parseGenerationParameters, type ImportResult } from '../../src/core/prompt/import-params';
import { lintWorkflowText } from '../../src/core/lint';
import { estimateWorkflowCost } from '../../src/core/cost/estimate';

const imp = (text: string) => importGenerationParameters(text)!;
const input = (r: ImportResult, step = 0) => r.workflow.steps[step].input;
const meta = (r: ImportResult) => (r.workflow.steps[0].metadata?.importedParameters ?? {}) as Record<string, string>;
const warnings = (r: ImportResult) => r.notes.filter((n) => n.severity === 'warning').map((n) => n.message);
const noteText = (r: ImportResult) => r.notes.map((n) => n.message).join('\n');
/** Contract errors of the imported workflow, leaving out the model placeholder the user must fill. */
const contractErrors = (r: ImportResult) =>
  lintWorkflowText(JSON.stringify(r.workflow))
    .filter((f) => f.severity === 'error' && !/choose a checkpoint/.test(f.message) && !f.pointer?.endsWith('/model'))
    .map((f) => `${f.code}: ${f.message}`);

// ---- Layout ----

test('a settings line wrapped over several lines stays settings (nothing leaks into the negative prompt)', () => {
  const r = imp('a cat on a mat\nNegative prompt: blurry, lowres\nSteps: 24, Sampler: DPM++ 2M, Schedule type: Karras,\nCFG scale: 6.5, Seed: 42, Size: 512x768,\nModel: dreamshaper_8, Clip skip: 2');
  assert.equal(input(r).negativePrompt, 'blurry, lowres');
  assert.deepEqual([input(r).steps, input(r).cfgScale, input(r).seed, input(r).width, input(r).height, input(r).clipSkip], [24, 6.5, 42, 512, 768, 2]);
  assert.deepEqual([input(r).sampleMethod, input(r).schedule], ['dpm++2m', 'karras']);
  assert.equal(meta(r).Model, 'dreamshaper_8');
});

test('a wrapped settings line whose first line does not start with Steps is still found', () => {
  const p = parseGenerationParameters('a fox\nNegative prompt: ugly\nSeed: 5, Size: 512x512, Model: m,\nSteps: 20, Sampler: Euler, CFG scale: 7')!;
  assert.equal(p.negativePrompt, 'ugly');
  assert.deepEqual(p.settings.map((s) => s.key), ['Seed', 'Size', 'Model', 'Steps', 'Sampler', 'CFG scale']);
});

test('a quoted value holding a newline (Dynamic Prompts\' "Wildcard prompt") does not break the settings', () => {
  const r = imp('a fox in a forest\nNegative prompt: lowres\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 7, Size: 512x512, Wildcard prompt: "a __animal__ in a forest,\n__season__ light, Steps: 99", Model: v1-5-pruned, Version: v1.6.0');
  assert.equal(input(r).prompt, 'a fox in a forest');
  assert.equal(input(r).negativePrompt, 'lowres');
  assert.equal(input(r).steps, 20);
  assert.equal(meta(r)['Wildcard prompt'], 'a __animal__ in a forest,\n__season__ light, Steps: 99');
  assert.equal(meta(r).Model, 'v1-5-pruned');
  assert.equal(r.family, 'sd1');
});

test('a block pasted on one line keeps its positive prompt, negative prompt and settings', () => {
  const r = imp('a dog, park, sunny Negative prompt: ugly, blurry Steps: 30, Sampler: Euler, CFG scale: 5, Seed: 3, Size: 1024x1024, Model: sd_xl_base_1.0');
  assert.equal(input(r).prompt, 'a dog, park, sunny');
  assert.equal(input(r).negativePrompt, 'ugly, blurry');
  assert.deepEqual([input(r).steps, input(r).seed, input(r).width], [30, 3, 1024]);
  assert.equal(r.family, 'sdxl');
});

test('a one-line paste without a negative prompt', () => {
  const r = imp('masterpiece, 1girl, Steps: 28, Sampler: Euler a, CFG scale: 5, Seed: 1, Size: 832x1216');
  assert.equal(input(r).prompt, 'masterpiece, 1girl');
  assert.equal(input(r).steps, 28);
});

test('a "parameters: " prefix (EXIF viewers, forum posts) is not part of the prompt', () => {
  assert.equal(parseGenerationParameters('parameters: a bird\nSteps: 20, Seed: 1, Size: 512x512')!.prompt, 'a bird');
  assert.equal(parseGenerationParameters('Parameters:a bird, sky\nNegative prompt: x\nSteps: 20, Seed: 1, Size: 512x512')!.prompt, 'a bird, sky');
});

test('"Hires steps" is a setting, not the start of the settings', () => {
  const p = parseGenerationParameters('a cat\nSteps: 20, Sampler: Euler, Size: 512x512, Hires upscale: 2, Hires steps: 10, Denoising strength: 0.5')!;
  assert.equal(p.prompt, 'a cat');
  assert.equal(p.settings.find((s) => s.key === 'Hires steps')?.value, '10');
});

// ---- Values ----

test('Seed: -1 (A1111\'s "random") sets no seed', () => {
  const r = imp('a bird\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: -1, Size: 512x512');
  assert.equal('seed' in input(r), false);
  assert.match(noteText(r), /Seed -1 means "random"/);
});

test('<hypernet:…> is not a LoRA: removed from the prompt, kept in metadata, never in loras or the LoRA warning', () => {
  const r = imp('a house, <hypernet:sketch:0.7>, garden\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512');
  assert.equal(input(r).prompt, 'a house, garden');
  assert.equal(input(r).loras, undefined);
  assert.equal(meta(r)['Other networks'], '<hypernet:sketch:0.7>');
  assert.ok(!warnings(r).some((w) => /sketch/.test(w)));
  assert.match(noteText(r), /hypernet networks are not LoRAs/);
});

test('LoRAs of the Additional Networks extension (AddNet) are recognised and reported with hash and weight', () => {
  const r = imp('a girl\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, AddNet Enabled: True, AddNet Module 1: LoRA, AddNet Model 1: myStyle(0123abcd4567), AddNet Weight A 1: 0.7, AddNet Weight B 1: 0.6');
  const w = warnings(r).join('\n');
  assert.match(w, /LoRA "myStyle" \(hash 0123abcd4567\) at 0\.7 \(Additional Networks extension\)/);
  assert.match(meta(r)['Resources without AIR'], /myStyle/);
});

test('Denoising strength 0 is not img2img; above 0 without hires it is noted as img2img', () => {
  const zero = imp('x\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512, Denoising strength: 0');
  assert.doesNotMatch(noteText(zero), /img2img/);
  assert.equal(zero.workflow.steps.length, 1);
  const some = imp('x\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512, Denoising strength: 0.6');
  assert.match(noteText(some), /Denoising strength 0\.6 suggests img2img/);
});

test('a size that is not a multiple of 16 is rounded, the original kept', () => {
  const r = imp('x\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x968');
  assert.deepEqual([input(r).width, input(r).height], [512, 976]);
  assert.equal(meta(r).Size, '512x968');
});

// ---- Civitai's formats ----

test('Additional networks: AIRs with *strength and !name go to loras and embeddings, the line leaves the negative prompt', () => {
  const r = imp([
    'portrait of a knight',
    'Negative prompt: bad hands, easynegative',
    'Additional networks: urn:air:sdxl:lora:civitai:100@200*0.75!knightStyle, urn:air:sdxl:embedding:civitai:300@400!easynegative, urn:air:sdxl:lora:civitai:5@6',
    'Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 11, Size: 832x1216, Model: urn:air:sdxl:checkpoint:civitai:827184@2514310',
  ].join('\n'));
  assert.equal(input(r).negativePrompt, 'bad hands, easynegative');
  assert.deepEqual(input(r).loras, { 'urn:air:sdxl:lora:civitai:100@200': 0.75, 'urn:air:sdxl:lora:civitai:5@6': 1 });
  assert.deepEqual(input(r).embeddings, ['urn:air:sdxl:embedding:civitai:300@400']);
  assert.equal(input(r).model, 'urn:air:sdxl:checkpoint:civitai:827184@2514310');
  assert.deepEqual(warnings(r), []);
  assert.deepEqual(contractErrors(r), []);
});

test('Additional networks written inside the settings line are read too', () => {
  const r = imp('a cat\nSteps: 20, Size: 1024x1024, Additional networks: urn:air:sdxl:lora:civitai:1@2*0.5, urn:air:sdxl:lora:civitai:3@4*0.25, Seed: 3');
  assert.deepEqual(input(r).loras, { 'urn:air:sdxl:lora:civitai:1@2': 0.5, 'urn:air:sdxl:lora:civitai:3@4': 0.25 });
  assert.equal(input(r).seed, 3);
});

test('Civitai resources without AIRs: every one is named in one warning and kept in metadata; the LoRA prompt tokens are not counted twice', () => {
  const resources = JSON.stringify([
    { type: 'checkpoint', modelVersionId: 11, modelName: 'Some Mix', modelVersionName: 'v2' },
    { type: 'lora', weight: 0.8, modelVersionId: 22, modelName: 'Detail Tweaker' },
    { type: 'embed', modelVersionId: 33, modelName: 'EasyNegative' },
  ]);
  const r = imp(`a cat, <lora:detail_tweaker:0.8>\nNegative prompt: easynegative\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 1024x1024, Civitai resources: ${resources}`);
  const w = warnings(r);
  assert.equal(w.length, 1, w.join('\n'));
  assert.match(w[0], /checkpoint "Some Mix v2" \(version 11/);
  assert.match(w[0], /lora "Detail Tweaker" \(version 22, https:\/\/civitai\.com\/api\/v1\/model-versions\/22\) at 0\.8/);
  assert.match(w[0], /embedding "EasyNegative" \(version 33/);
  assert.doesNotMatch(w[0], /detail_tweaker/);
  assert.match(meta(r)['Resources without AIR'], /Detail Tweaker.*EasyNegative/);
  assert.equal(input(r).prompt, 'a cat');
});

test('Civitai\'s baseModel field decides the ecosystem when no AIR does', () => {
  const resources = JSON.stringify([{ type: 'checkpoint', modelVersionId: 9, modelName: 'X', baseModel: 'SD 1.5' }]);
  const r = imp(`x\nSteps: 20, Seed: 1, Size: 1024x1024, Civitai resources: ${resources}`);
  assert.equal(r.family, 'sd1');
  assert.match(noteText(r), /Civitai's base model "SD 1\.5"/);
  const flux = imp('x\nSteps: 20, Seed: 1, Size: 1024x1024, Base model: Flux.1 D');
  assert.equal(flux.family, 'flux1');
});

// ---- Base model ----

test('Flux from Forge\'s Distilled CFG Scale: comfy flux1, the distilled guidance as cfgScale, no negative prompt field', () => {
  const r = imp('a lighthouse at dusk\nNegative prompt: blurry\nSteps: 20, Sampler: Euler, Schedule type: Simple, CFG scale: 1, Distilled CFG Scale: 3.5, Seed: 5, Size: 896x1152, Model: my-flux-merge');
  assert.equal(r.family, 'flux1');
  assert.deepEqual([input(r).engine, input(r).ecosystem, input(r).cfgScale, input(r).sampler, input(r).scheduler], ['comfy', 'flux1', 3.5, 'euler', 'simple']);
  assert.equal(input(r).negativePrompt, undefined);
  assert.equal(meta(r)['Negative prompt'], 'blurry');
  assert.deepEqual(contractErrors(r), []);
});

test('Flux from the model name alone', () => {
  assert.equal(imp('x\nSteps: 20, Seed: 1, Size: 1024x1024, Model: flux1-dev-fp8').family, 'flux1');
  assert.equal(imp('x\nSteps: 20, Seed: 1, Size: 1024x1024, Model: flux2_dev_q8').family, 'flux2Dev');
});

test('Anima from its text encoder module (Module 1: qwen_3_06b) and from its name; Animagine stays SDXL', () => {
  const r = imp('1girl, solo\nSteps: 30, Sampler: Euler a, CFG scale: 4, Seed: 9, Size: 1024x1024, Model: mymerge, Module 1: qwen_3_06b_base');
  assert.equal(r.family, 'anima');
  assert.deepEqual([input(r).engine, input(r).ecosystem, input(r).model], ['sdcpp', 'anima', undefined]);
  assert.deepEqual(contractErrors(r), []);
  assert.equal(imp('x\nSteps: 30, Seed: 1, Size: 1024x1024, Model: Anima-preview').family, 'anima');
  assert.equal(imp('x\nSteps: 30, Seed: 1, Size: 1024x1024, Model: animagineXL40_v40').family, 'sdxl');
});

test('Z-Image (turbo and base) from the model name or text encoder', () => {
  const turbo = imp('a street\nSteps: 9, Sampler: Euler, Schedule type: Simple, CFG scale: 1, Seed: 9, Size: 1024x1024, Model: z_image_turbo_bf16');
  assert.deepEqual([input(turbo).engine, input(turbo).ecosystem, input(turbo).model], ['sdcpp', 'zImage', 'turbo']);
  assert.deepEqual(contractErrors(turbo), []);
  assert.equal(imp('x\nSteps: 20, Seed: 1, Size: 1024x1024, Model: mix, Module 1: qwen_3_4b').family, 'zImageBase');
});

test('Wan from its text encoder: the wan engine, guidanceScale, a fixed imageSize, LoRAs as a list', () => {
  const r = imp('a river\nAdditional networks: urn:air:wan:lora:civitai:7@8*0.6\nSteps: 27, Sampler: Euler, CFG scale: 3.5, Seed: 9, Size: 1280x720, Module 1: umt5_xxl_fp8');
  assert.equal(r.family, 'wan');
  assert.deepEqual(input(r), {
    engine: 'wan', version: 'v2.2', provider: 'fal', prompt: 'a river', imageSize: 'landscape_16_9', steps: 27, guidanceScale: 3.5, seed: 9,
    loras: [{ air: 'urn:air:wan:lora:civitai:7@8', strength: 0.6 }],
  });
  assert.deepEqual(contractErrors(r), []);
});

test('an SD1 image of 512×968 stays SD1 and keeps its clip skip', () => {
  const r = imp('a tower\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x968, Clip skip: 2');
  assert.equal(r.family, 'sd1');
  assert.equal(input(r).clipSkip, 2);
  assert.deepEqual(contractErrors(r), []);
});

test('clip skip is kept on every input that takes it (comfy SD1 too) and reported where none does', () => {
  const comfy = importGenerationParameters('x\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, Clip skip: 2', { engine: 'comfy' })!;
  assert.deepEqual([input(comfy).engine, input(comfy).clipSkip], ['comfy', 2]);
  const xl = imp('x\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 1024x1024, Clip skip: 2');
  assert.equal(input(xl).clipSkip, undefined);
  assert.equal(meta(xl)['Clip skip'], '2');
});

test('the checkpoint AIR beats every other signal', () => {
  const r = imp('x\nSteps: 20, Seed: 1, Size: 1024x1024, Distilled CFG Scale: 3.5, Model: urn:air:sd1:checkpoint:civitai:4384@128713');
  assert.equal(r.family, 'sd1');
});

// ---- Samplers ----

test('samplers both engines support are mapped, whichever tool wrote them', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['Sampler: ER SDE, Schedule type: Beta', { engine: 'comfy', sampler: 'er_sde', scheduler: 'beta' }],
    ['Sampler: dpmpp_2m Karras', { engine: 'sdcpp', sampleMethod: 'dpm++2m', schedule: 'karras' }],
    ['Sampler: dpmpp_2m_sde_gpu_karras', { engine: 'comfy', sampler: 'dpmpp_2m_sde_gpu', scheduler: 'karras' }],
    ['Sampler: euler_ancestral, Scheduler: karras', { engine: 'sdcpp', sampleMethod: 'euler_a', schedule: 'karras' }],
    ['Sampler: DPM++ 2M, Sampler sigma: karras', { engine: 'sdcpp', sampleMethod: 'dpm++2m', schedule: 'karras' }],
    ['Sampler: Euler a CFG++', { engine: 'comfy', sampler: 'euler_ancestral_cfg_pp' }],
    ['Sampler: TCD', { engine: 'sdcpp', sampleMethod: 'tcd' }],
    ['Sampler: Euler, Schedule type: Align Your Steps', { engine: 'sdcpp', sampleMethod: 'euler', schedule: 'ays' }],
  ];
  for (const [setting, want] of cases) {
    const r = imp(`x\nSteps: 20, ${setting}, CFG scale: 5, Seed: 1, Size: 1024x1024`);
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, input(r)[k]]));
    assert.deepEqual(got, want, setting);
    assert.deepEqual(warnings(r).filter((w) => /Sampler|Schedule/.test(w)), [], setting);
  }
});

test('a sampler neither engine has is kept in metadata with a warning', () => {
  const r = imp('x\nSteps: 20, Sampler: Restart, CFG scale: 5, Seed: 1, Size: 1024x1024');
  assert.equal(meta(r).Sampler, 'Restart');
  assert.ok(warnings(r).some((w) => /Sampler "Restart" has no counterpart/.test(w)));
});

// ---- Two passes ----

test('hires fix with a denoising strength: a createVariant step at the hires size that takes the first image by $ref, priced like any step', () => {
  const r = imp('a castle\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x768, Model: urn:air:sd1:checkpoint:civitai:4384@128713, Hires upscale: 2, Hires steps: 12, Hires upscaler: Latent, Denoising strength: 0.45');
  assert.equal(r.workflow.steps.length, 2);
  const second = r.workflow.steps[1];
  assert.equal(second.$type, 'imageGen');
  assert.deepEqual(
    { operation: second.input.operation, image: second.input.image, width: second.input.width, height: second.input.height, strength: second.input.strength, steps: second.input.steps, model: second.input.model },
    { operation: 'createVariant', image: { $ref: 'imported', path: 'output.images[0].url' }, width: 1024, height: 1536, strength: 0.45, steps: 12, model: 'urn:air:sd1:checkpoint:civitai:4384@128713' },
  );
  assert.deepEqual(contractErrors(r), []);
  const cost = estimateWorkflowCost(r.workflow);
  assert.equal(cost.steps.length, 2);
  assert.ok(cost.steps.every((s) => typeof s.buzz === 'number' && s.buzz > 0), JSON.stringify(cost.steps));
  assert.ok(cost.steps[1].buzz! > cost.steps[0].buzz!, 'the larger second pass costs more');
});

test('hires fix on comfy uses denoiseStrength', () => {
  const r = importGenerationParameters('x\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, Hires resize: 768x768, Denoising strength: 0.3', { engine: 'comfy' })!;
  assert.deepEqual([input(r, 1).engine, input(r, 1).denoiseStrength, input(r, 1).width], ['comfy', 0.3, 768]);
});

test('hires fix without denoising (or on a family without img2img) becomes an imageUpscaler step; ADetailer is noted as not expressible', () => {
  const r = imp('x\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x768, Hires upscale: 4, Hires upscaler: 4x-UltraSharp, Denoising strength: 0, ADetailer model: face_yolov8n.pt, ADetailer confidence: 0.3');
  assert.deepEqual(r.workflow.steps[1], { $type: 'imageUpscaler', name: 'hires', input: { image: { $ref: 'imported', path: 'output.images[0].url' }, numberOfRepeats: 2 } });
  assert.match(noteText(r), /ADetailer .* cannot be expressed/);
  assert.equal(meta(r)['ADetailer model'], 'face_yolov8n.pt');
  const cost = estimateWorkflowCost(r.workflow);
  assert.ok(cost.steps[1].buzz !== null && cost.steps[1].buzz > 0, JSON.stringify(cost.steps[1]));
  const z = imp('x\nSteps: 9, CFG scale: 1, Seed: 1, Size: 1024x1024, Model: z_image_turbo, Hires upscale: 2, Denoising strength: 0.4');
  assert.equal(z.workflow.steps[1].$type, 'imageUpscaler');
  assert.match(noteText(z), /no img2img input here, so the denoising strength 0\.4 is not applied/);
});

// ---- Scale ----

test('<lora:…> extraction and the whole import stay linear: 8000-token prompts import completely', { timeout: 20_000 }, () => {
  const n = 8000;
  const tokens = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `<lora:net${i}:0.${(i % 9) + 1}>` : `(tag${i}:1.1)`));
  const r = imp(`${tokens.join(', ')}\nNegative prompt: ${'bad, '.repeat(n)}worse\nSteps: 20, Seed: 1, Size: 512x512`);
  const prompt = String(input(r).prompt);
  assert.equal(prompt.includes('<lora:'), false);
  assert.equal(prompt.split(', ').length, n / 2);
  assert.ok(prompt.startsWith('(tag1:1.1), (tag3:1.1)'));
  assert.match(meta(r)['Resources without AIR'], /LoRA "net7998" at 0\.7$/);
  // One warning, of bounded length, however many LoRAs: the full list is in the metadata.
  const w = warnings(r);
  assert.equal(w.length, 1, w.join('\n')); // the checkpoint to choose and the LoRAs, in one message
  assert.ok(w.every((m) => m.length < 2000), 'warnings stay short');
  assert.ok(w.some((m) => /and 3988 more \(all in the step's metadata\)/.test(m)));
  // Half a million characters of settings-looking garbage: still one pass.
  const junk = 'Key: value, '.repeat(50_000);
  assert.doesNotThrow(() => importGenerationParameters(junk));
});

test('a hires target beyond the contract\'s maximum is scaled down to fit, and says so', () => {
  const r = imp('x\nSteps: 28, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 832x1216, Model: animagineXL31, Hires upscale: 2, Denoising strength: 0.4');
  assert.deepEqual([input(r, 1).width, input(r, 1).height], [1392, 2048]);
  assert.match(noteText(r), /A1111 went to 1664×2432; the contract allows at most 2048×2048 here/);
  assert.deepEqual(contractErrors(r), []);
});
