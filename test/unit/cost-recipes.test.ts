// Each recipe's own worked cost examples (the "Cost" section of
// ../shared/reference/civitai-docs/orchestration/recipes/<page>), reproduced by the estimate.
// Bold exact figures are asserted exactly; figures the page prints as "~N" are asserted to
// match the formula's exact value and to round to the page's figure within the page's own
// rounding (5 %), since the page rounds for display.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateWorkflowCost } from '../../src/core/cost/estimate';
import { writePngChunks } from '../../src/core/png/chunks';
import { IMAGE_GEN_PRICES } from '../../src/core/ecosystems/prices';
import { OTHER_STEP_PRICES } from '../../src/core/ecosystems/step-prices';
import { VIDEO_PRICES } from '../../src/core/ecosystems/video-prices';
import { existsSync } from 'node:fs';
import { RECIPES_DIR, recipesAvailable } from '../fixtures/recipe-bodies';

const URL_IMAGE = 'https://example.com/source.jpeg';

function cost(input: Record<string, unknown>, type = 'imageGen'): number | null {
  const r = estimateWorkflowCost({ steps: [{ $type: type, input: { prompt: 'x', ...input } }] });
  return r.steps[0].buzz;
}

function reason(input: Record<string, unknown>, type = 'imageGen'): string {
  return estimateWorkflowCost({ steps: [{ $type: type, input: { prompt: 'x', ...input } }] }).steps[0].reason ?? '';
}

/** "~N" on the page: the exact value is within 5 % of N. */
function about(actual: number | null, published: number): void {
  assert.notEqual(actual, null);
  assert.ok(Math.abs((actual as number) - published) <= published * 0.05, `${actual} is not ~${published}`);
}

/** A base64 PNG carrying only a valid signature and IHDR of the given size (all the estimate reads). */
function pngOfSize(width: number, height: number): string {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const bytes = writePngChunks([{ type: 'IHDR', data: ihdr }, { type: 'IEND', data: new Uint8Array(0) }]);
  return `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
}

test('sd1.md: base × pixels/512² × steps/reference × quantity', () => {
  const sd1 = (i: Record<string, unknown>) => cost({ engine: 'sdcpp', ecosystem: 'sd1', operation: 'createImage', ...i });
  assert.equal(sd1({}), 4);
  assert.equal(cost({ engine: 'comfy', ecosystem: 'sd1', operation: 'createImage' }), 4);
  assert.equal(sd1({ quantity: 4 }), 16);
  assert.equal(sd1({ width: 768, height: 512, steps: 25 }), 7.5);
  assert.equal(sd1({ steps: 40 }), 8);
});

test('sdxl.md: 8 × pixels/1024² × steps/20 (sdcpp) or /30 (comfy)', () => {
  const sdxl = (i: Record<string, unknown>) => cost({ engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', ...i });
  assert.equal(sdxl({}), 8);
  assert.equal(cost({ engine: 'comfy', ecosystem: 'sdxl', operation: 'createImage' }), 8);
  assert.equal(sdxl({ quantity: 4 }), 32);
  about(sdxl({ width: 1344, height: 768, steps: 25 }), 10);
  assert.equal(sdxl({ steps: 35 }), 14);
  about(sdxl({ width: 1536, height: 640, steps: 25 }), 9);
});

test('anima.md: 8 × pixels/1024² × steps/25', () => {
  const anima = (i: Record<string, unknown>) => cost({ engine: 'sdcpp', ecosystem: 'anima', operation: 'createImage', ...i });
  assert.equal(anima({}), 9.6);
  about(anima({ quantity: 4 }), 38);
  about(anima({ width: 1344, height: 768 }), 9);
  assert.equal(anima({ steps: 40 }), 12.8);
});

test('zimage.md: turbo 8 / 9 steps, base 20 / 20 steps', () => {
  const z = (model: string, i: Record<string, unknown> = {}) => cost({ engine: 'sdcpp', ecosystem: 'zImage', model, operation: 'createImage', ...i });
  assert.equal(z('turbo'), 8);
  assert.equal(z('base'), 20);
  assert.equal(z('turbo', { quantity: 4 }), 32);
  assert.equal(z('turbo', { width: 1536, height: 1024, steps: 12 }), 16);
  assert.equal(z('base', { steps: 30 }), 30);
});

test('ernie.md: standard 20 / 20 steps, turbo 8 / 8 steps', () => {
  const e = (model: string, i: Record<string, unknown> = {}) => cost({ engine: 'comfy', ecosystem: 'ernie', model, operation: 'createImage', ...i });
  assert.equal(e('ernie'), 20);
  assert.equal(e('turbo'), 8);
  about(e('ernie', { width: 832, height: 1216 }), 20);
  about(e('turbo', { width: 832, height: 1216 }), 8);
  assert.equal(e('ernie', { quantity: 4 }), 80);
  assert.equal(e('turbo', { quantity: 4 }), 32);
  assert.equal(e('ernie', { steps: 40 }), 40);
  assert.equal(e('turbo', { steps: 16 }), 16);
});

test('flux1.md: sdcpp per step × edit images × guidance; comfy per pixel and step; Kontext per tier', () => {
  const sd = (operation: string, i: Record<string, unknown> = {}) => cost({ engine: 'sdcpp', ecosystem: 'flux1', operation, ...i });
  assert.equal(sd('createImage', { steps: 28, cfgScale: 3.5 }), 28);
  assert.equal(sd('createImage', { steps: 28, quantity: 4 }), 112);
  assert.equal(sd('createVariant', { image: URL_IMAGE }), 28);
  assert.equal(sd('editImage', { images: [URL_IMAGE] }), 56);
  assert.equal(sd('createImage', { cfgScale: 1 }), 14); // guidance 1 halves it
  assert.equal(cost({ engine: 'comfy', ecosystem: 'flux1', operation: 'createImage', steps: 20 }), 8);
  assert.equal(cost({ engine: 'comfy', ecosystem: 'flux1', operation: 'createImage', width: 512, height: 512 }), 2);
  assert.equal(cost({ engine: 'flux1-kontext', model: 'dev', images: [URL_IMAGE] }), 35);
  assert.equal(cost({ engine: 'flux1-kontext', model: 'pro', images: [URL_IMAGE] }), 45);
  assert.equal(cost({ engine: 'flux1-kontext', model: 'max', images: [URL_IMAGE], quantity: 2 }), 180);
});

test('flux2.md: Klein per step by modelVersion; dev per megapixel, doubled with LoRAs; flex/pro/max unpublished', () => {
  const klein = (i: Record<string, unknown>) => cost({ engine: 'flux2', model: 'klein', operation: 'createImage', ...i });
  assert.equal(klein({ modelVersion: '4b', steps: 20, cfgScale: 5 }), 12);
  assert.equal(klein({ quantity: 4 }), 48);
  assert.equal(cost({ engine: 'flux2', model: 'klein', operation: 'editImage', images: [URL_IMAGE] }), 24);
  assert.equal(klein({ modelVersion: '9b', steps: 24, cfgScale: 5 }), 24);
  assert.equal(cost({ engine: 'sdcpp', ecosystem: 'flux2Klein', operation: 'createVariant', modelVersion: '4b', image: URL_IMAGE }), 12);
  assert.equal(cost({ engine: 'flux2', model: 'dev', operation: 'createImage' }), 40);
  assert.equal(cost({ engine: 'flux2', model: 'dev', operation: 'createImage', loras: { 'urn:air:flux2:lora:civitai:1@2': 1 } }), 80);
  for (const model of ['flex', 'pro', 'max']) assert.match(reason({ engine: 'flux2', model, operation: 'createImage' }), /No published price.*flux2\.md.*Preview Cost/);
});

test('gemini.md: 60 per image', () => {
  assert.equal(cost({ engine: 'gemini', model: '2.5-flash', operation: 'createImage' }), 60);
  assert.equal(cost({ engine: 'gemini', model: '2.5-flash', operation: 'editImage', images: [URL_IMAGE] }), 60);
  assert.equal(cost({ engine: 'gemini', model: '2.5-flash', operation: 'createImage', quantity: 4 }), 240);
});

test('google.md: per model and resolution × numImages; search +20 each; pro +20 with images', () => {
  const g = (model: string, i: Record<string, unknown> = {}) => cost({ engine: 'google', model, ...i });
  assert.equal(g('nano-banana-2-lite'), 44);
  assert.equal(g('imagen4'), 40);
  assert.equal(g('nano-banana-2'), 104);
  assert.equal(g('nano-banana-2', { enableWebSearch: true }), 124);
  assert.equal(g('nano-banana-2', { enableWebSearch: true, enableGoogleSearch: true }), 144);
  assert.equal(g('nano-banana-2', { resolution: '4K', numImages: 4 }), 832);
  assert.equal(g('nano-banana-2', { resolution: '2K' }), 156);
  assert.equal(g('nano-banana-pro', { resolution: '2K' }), 230);
  assert.equal(g('nano-banana-pro', { resolution: '2K', images: [URL_IMAGE] }), 250);
  assert.equal(g('nano-banana-pro'), 160);
  assert.equal(g('nano-banana-pro', { resolution: '4K', images: [URL_IMAGE] }), 340);
});

test('grok.md: 26 per created image, 29 per edit', () => {
  assert.equal(cost({ engine: 'grok', version: 'v1.0', operation: 'createImage' }), 26);
  assert.equal(cost({ engine: 'grok', version: 'v1.0', operation: 'createImage', quantity: 4 }), 104);
  assert.equal(cost({ engine: 'grok', version: 'v1.0', operation: 'editImage', images: [URL_IMAGE] }), 29);
});

test('krea.md: medium 39 / large 78 per image, +6.5 with style references', () => {
  const k = (i: Record<string, unknown>) => cost({ engine: 'fal', model: 'krea2', operation: 'createImage', ...i });
  assert.equal(k({}), 39);
  assert.equal(k({ size: 'large' }), 78);
  assert.equal(k({ imageStyleReferences: [URL_IMAGE, URL_IMAGE] }), 45.5);
  assert.equal(k({ size: 'large', imageStyleReferences: [URL_IMAGE], quantity: 2 }), 169);
});

test('mai-image.md: 65 per image', () => {
  assert.equal(cost({ engine: 'fal', model: 'maiImage', operation: 'createImage' }), 65);
  assert.equal(cost({ engine: 'fal', model: 'maiImage', operation: 'createImage', quantity: 4 }), 260);
});

test('openai.md: gpt-image-2 by the first covering size row and quality; older models per quality', () => {
  const g2 = (i: Record<string, unknown>) => cost({ engine: 'openai', model: 'gpt-image-2', operation: 'createImage', ...i });
  assert.equal(g2({ quality: 'high', width: 1024, height: 1024 }), 286);
  assert.equal(g2({ quality: 'high', width: 1920, height: 1080, quantity: 2 }), 416);
  assert.equal(g2({ quality: 'medium', width: 3840, height: 2160 }), 143);
  assert.equal(g2({ quality: 'high', width: 1080, height: 1920 }), 208); // rotation-aware
  assert.equal(g2({ quality: 'high', width: 4096, height: 4096 }), 533); // clamps to the last row
  assert.equal(g2({ quality: 'low', width: 512, height: 512 }), 13); // floors to the first row
  assert.equal(cost({ engine: 'openai', model: 'gpt-image-2', operation: 'editImage', quality: 'medium', images: [pngOfSize(1024, 1536)] }), 65);
  assert.match(reason({ engine: 'openai', model: 'gpt-image-2', operation: 'editImage', images: [URL_IMAGE] }), /given by URL is only known once it is fetched/);
  assert.equal(cost({ engine: 'openai', model: 'gpt-image-1.5', operation: 'createImage', quality: 'high' }), 375);
  assert.equal(cost({ engine: 'openai', model: 'gpt-image-1.5', operation: 'createImage' }), 375); // high is the default
  assert.equal(cost({ engine: 'openai', model: 'gpt-image-1', operation: 'createImage', quality: 'low' }), 25);
  assert.equal(cost({ engine: 'openai', model: 'gpt-image-1', operation: 'createImage' }), 300); // auto
  assert.equal(cost({ engine: 'openai', model: 'dall-e-3', operation: 'createImage', quality: 'hd' }), 300);
});

test('qwen.md: 20B per pixel and step (edits per reference image); Alibaba flat per model; FAL Qwen2 unpublished', () => {
  const q = (operation: string, i: Record<string, unknown>) => cost({ engine: 'sdcpp', ecosystem: 'qwen', model: '20b', operation, ...i });
  about(q('createImage', { width: 1024, height: 1024, steps: 20 }), 18);
  assert.equal(q('createImage', { width: 1328, height: 1328, steps: 20 }), 30);
  about(q('createImage', { width: 1024, height: 1024, quantity: 4 }), 72);
  assert.equal(q('editImage', { width: 1024, height: 1024, steps: 20, images: [URL_IMAGE] }), 40);
  assert.equal(q('editImage', { width: 1024, height: 1024, steps: 20, images: [URL_IMAGE, URL_IMAGE, URL_IMAGE] }), 48);
  const a = (model: string, operation = 'createImage') => cost({ engine: 'qwen', model, operation });
  assert.equal(a('2.0'), 45.5);
  assert.equal(a('edit-plus', 'editImage'), 39);
  assert.equal(a('plus'), 39);
  assert.equal(a('edit', 'editImage'), 58.5);
  for (const m of ['3.0-pro', '2.0-pro', 'max', 'edit-max']) assert.equal(a(m), 97.5);
  assert.match(reason({ engine: 'fal', model: 'qwen2', operation: 'createImage' }), /No published price.*FAL Qwen2.*Preview Cost/);
});

test('seedream.md: per version, size and references free', () => {
  const s = (version: string, i: Record<string, unknown> = {}) => cost({ engine: 'seedream', version, ...i });
  assert.equal(s('v4.5'), 60);
  assert.equal(s('v4'), 40);
  assert.equal(s('v5.0-lite'), 52);
  assert.equal(s('v4.5', { width: 2048, height: 2048 }), 60);
  assert.equal(s('v4', { images: [URL_IMAGE, URL_IMAGE, URL_IMAGE] }), 40);
  assert.equal(s('v3'), 40);
  assert.match(reason({ engine: 'seedream', version: 'v5.0-pro' }), /publishes no price for version "v5\.0-pro"/);
});

test('wan-image.md: per version; v2.2 doubles with LoRAs', () => {
  const w = (version: string, i: Record<string, unknown> = {}) => cost({ engine: 'wan', version, provider: 'fal', ...i });
  assert.equal(w('v2.2'), 150);
  assert.equal(w('v2.2', { quantity: 2, loras: { 'urn:air:wan:lora:civitai:1@2': 1 } }), 600);
  assert.equal(w('v2.2-5b'), 100);
  assert.equal(w('v2.5', { operation: 'text-to-image', quantity: 4 }), 130);
  assert.equal(w('v2.7', { operation: 'createImage' }), 39);
});

test('image-upscaler.md: ⌈input MP⌉ × 2^repeats', () => {
  const up = (w: number, h: number, numberOfRepeats?: number) => cost({ image: pngOfSize(w, h), ...(numberOfRepeats ? { numberOfRepeats } : {}) }, 'imageUpscaler');
  assert.equal(up(512, 512, 1), 2);
  assert.equal(up(1024, 1024, 1), 4);
  assert.equal(up(2048, 2048, 1), 10);
  assert.equal(up(1024, 1024, 2), 8);
  assert.equal(up(1024, 1024, 3), 16);
});

test('image-background-removal.md: max(1, round((4.7 + 0.6 × MP) × 10/8))', () => {
  const bg = (w: number, h: number) => cost({ image: pngOfSize(w, h) }, 'imageBackgroundRemoval');
  assert.equal(bg(512, 768), 6);
  assert.equal(bg(1024, 1024), 7);
  assert.equal(bg(2048, 2048), 9);
  assert.equal(bg(4096, 4096), 18);
  assert.match(reason({ image: URL_IMAGE }, 'imageBackgroundRemoval'), /only known once it is fetched/);
});

test('ace-step-audio.md: 1 + duration × 0.1 (duration defaults to 60)', () => {
  const a = (duration?: number) => cost(duration === undefined ? {} : { duration }, 'aceStepAudio');
  assert.equal(a(10), 2);
  assert.equal(a(30), 4);
  assert.equal(a(), 7);
  assert.equal(a(90), 10);
  assert.equal(a(180), 19);
  assert.equal(a(15), 2.5);
});

test('text-to-speech.md: max(1, ⌈characters / 100⌉) × 2.6 with a built-in speaker', () => {
  const tts = (length: number, speaker?: string) => cost({ text: 'a'.repeat(length), ...(speaker ? { speaker } : {}) }, 'textToSpeech');
  assert.equal(tts(60), 1);
  about(tts(500), 5);
  about(tts(2000), 20);
  about(tts(60, 'Vivian'), 2.6);
});

test('convert-image.md and prompt-enhancement.md: 1 per step', () => {
  assert.equal(cost({ image: URL_IMAGE, output: { format: 'webp' } }, 'convertImage'), 1);
  assert.equal(cost({ ecosystem: 'sdxl' }, 'promptEnhancement'), 1);
});

test('a file with unknown steps keeps the known part and names the unknown steps', () => {
  const r = estimateWorkflowCost({
    steps: [
      { $type: 'imageGen', name: 'hero', input: { engine: 'grok', version: 'v1.0', operation: 'createImage', prompt: 'x' } },
      { $type: 'imageGen', name: 'pro', input: { engine: 'flux2', model: 'pro', operation: 'createImage', prompt: 'x' } },
      { $type: 'videoGen', input: { engine: 'wan' } },
    ],
  });
  assert.equal(r.total, null);
  assert.equal(r.known, 26);
  assert.deepEqual(r.unknownSteps, ['pro', '2']);
});

test('every price entry names a recipe page that exists', (t) => {
  if (!recipesAvailable()) return t.skip('../shared/reference is absent');
  for (const e of [...IMAGE_GEN_PRICES, ...Object.values(OTHER_STEP_PRICES), ...VIDEO_PRICES]) assert.ok(existsSync(`${RECIPES_DIR}/${e.source}`), e.source);
});

// ---- video recipes ----
const video = (input: Record<string, unknown>) => cost(input, 'videoGen');

test('veo3.md: baseCost(duration) × audio × mode', () => {
  assert.equal(video({ engine: 'veo3', version: '3.1', duration: 8 }), 3333); // standard, audio on by default
  about(video({ engine: 'veo3', duration: 8, generateAudio: false }), 2233);
  about(video({ engine: 'veo3', duration: 8, mode: 'fast' }), 2000);
  about(video({ engine: 'veo3', duration: 8, mode: 'fast', generateAudio: false }), 1333);
  about(video({ engine: 'veo3', duration: 8, mode: 'lite' }), 1000);
  about(video({ engine: 'veo3', duration: 8, mode: 'lite', generateAudio: false }), 667);
  assert.equal(video({ engine: 'veo3', duration: 4 }), 1667);
  about(video({ engine: 'veo3', duration: 4, generateAudio: false }), 1117);
  about(video({ engine: 'veo3', duration: 4, mode: 'fast' }), 1000);
  about(video({ engine: 'veo3', duration: 4, mode: 'lite', generateAudio: false }), 333);
});

test('seedance.md: rate per second by model and resolution; v2-mini cheaper with reference videos', () => {
  assert.equal(video({ engine: 'seedance', model: 'v2', resolution: '720p', duration: 5 }), 1000);
  assert.equal(video({ engine: 'seedance', model: 'v2-mini', resolution: '720p', duration: 5 }), 490);
  assert.equal(video({ engine: 'seedance', model: 'v2.5', resolution: '720p', duration: 5 }), 1500);
  assert.equal(video({ engine: 'seedance', model: 'v2.5', resolution: '480p', duration: 30 }), 4020);
  assert.equal(video({ engine: 'seedance', model: 'v2.5', resolution: '720p', duration: 30 }), 9000);
  assert.equal(video({ engine: 'seedance', model: 'v2-mini', resolution: '720p', duration: 5, referenceVideos: [URL_IMAGE] }), 295);
  assert.match(reason({ engine: 'seedance', model: 'v2.5', resolution: '1080p', duration: 5 }, 'videoGen'), /publishes no price/);
});

test('grok-video.md: per second by operation and resolution; edits bill the source length', () => {
  assert.equal(video({ engine: 'grok', operation: 'text-to-video', resolution: '480p', duration: 6 }), 390);
  assert.equal(video({ engine: 'grok', operation: 'image-to-video', resolution: '720p', duration: 6 }), 546);
  assert.match(reason({ engine: 'grok', operation: 'edit-video', resolution: '720p' }, 'videoGen'), /source video.*Preview Cost/);
});

test('happy-horse.md: per second by version, operation and resolution', () => {
  assert.equal(video({ engine: 'happyHorse', version: 'v1.1', operation: 'textToVideo', resolution: '720p', duration: 5 }), 910);
  assert.equal(video({ engine: 'happyHorse', version: 'v1.1', operation: 'textToVideo', duration: 5 }), 1170);
  assert.equal(video({ engine: 'happyHorse', version: 'v1.0', operation: 'imageToVideo', resolution: '1080p', duration: 5 }), 1820);
  assert.equal(video({ engine: 'happyHorse', version: 'v1.0', operation: 'videoEdit', resolution: '720p', duration: 5 }), 1820);
  assert.equal(video({ engine: 'happyHorse', version: 'v1.0', operation: 'videoEdit', resolution: '1080p', duration: 5 }), 3640);
});

test('flux3-video.md: per second by operation, resolution and draft', () => {
  const f = (i: Record<string, unknown>) => video({ engine: 'flux', version: 'v3.0', duration: 5, ...i });
  assert.equal(f({ operation: 'textToVideo' }), 1105);
  assert.equal(f({ operation: 'textToVideo', resolution: '1080p' }), 1885);
  assert.equal(f({ operation: 'textToVideo', draft: true }), 390);
  assert.equal(f({ operation: 'extendVideo' }), 2665);
  assert.equal(f({ operation: 'extendVideo', resolution: '1080p' }), 3445);
  assert.equal(f({ operation: 'extendVideo', draft: true }), 780);
  assert.equal(f({ operation: 'draftEnhance' }), 1885);
});

test('wan.md: v2.7 flat per second, v2.6 and v2.5 by resolution', () => {
  assert.equal(video({ engine: 'wan', version: 'v2.7', provider: 'fal', operation: 'text-to-video', duration: 5 }), 650);
  assert.equal(video({ engine: 'wan', version: 'v2.7', provider: 'fal', operation: 'text-to-video', duration: 10 }), 1300);
  assert.equal(video({ engine: 'wan', version: 'v2.6', provider: 'fal', resolution: '720p', duration: 5 }), 650);
  assert.equal(video({ engine: 'wan', version: 'v2.6', provider: 'fal', resolution: '1080p', duration: 5 }), 975);
  assert.equal(video({ engine: 'wan', version: 'v2.5', provider: 'fal', resolution: '720p', duration: 5 }), 1000);
  assert.equal(video({ engine: 'wan', version: 'v2.5', provider: 'fal', resolution: '720p', duration: 10 }), 2000);
  assert.equal(video({ engine: 'wan', version: 'v2.5', provider: 'fal', resolution: '480p', duration: 5 }), 500);
  assert.equal(video({ engine: 'wan', version: 'v2.1', resolution: '720p', duration: 5 }), 1000);
});

test('kling.md: flat by model, mode and duration; V3 per second by operation, mode and audio', () => {
  assert.equal(video({ engine: 'kling', model: 'v1.6', mode: 'Standard', duration: '5' }), 600);
  assert.equal(video({ engine: 'kling', model: 'v1', mode: 'Professional', duration: '10' }), 2100);
  assert.equal(video({ engine: 'kling', model: 'v2', duration: '10' }), 2400);
  assert.equal(video({ engine: 'kling', model: 'v2.5-turbo', duration: '5' }), 600);
  const v3 = (i: Record<string, unknown>) => video({ engine: 'kling-v3', duration: 5, ...i });
  assert.equal(v3({ operation: 'text-to-video' }), 1095);
  assert.equal(v3({ operation: 'text-to-video', generateAudio: true }), 1460);
  assert.equal(v3({ operation: 'text-to-video', mode: 'Professional' }), 1460);
  assert.equal(v3({ operation: 'text-to-video', mode: 'Professional', generateAudio: true }), 1820);
  assert.equal(v3({ operation: 'video-to-video-edit' }), 1640);
  assert.equal(v3({ operation: 'video-to-video-reference', mode: 'Professional' }), 2185);
});

test('vidu.md: 600 per clip; Q3 per second by turbo and resolution', () => {
  assert.equal(video({ engine: 'vidu', duration: 8 }), 600);
  assert.equal(video({ engine: 'vidu-q3', resolution: '540p', duration: 5 }), 455);
  assert.equal(video({ engine: 'vidu-q3', resolution: '1080p', duration: 5 }), 1000);
  assert.equal(video({ engine: 'vidu-q3', turbo: true, resolution: '360p', duration: 5 }), 230);
  assert.equal(video({ engine: 'vidu-q3', turbo: true, resolution: '720p', duration: 5 }), 500);
});

test('hunyuan.md publishes ranges only; engines not yet in the table say so', () => {
  assert.match(reason({ engine: 'hunyuan', duration: 5 }, 'videoGen'), /No published price.*ranges/);
  assert.match(reason({ engine: 'ltx2.3', model: '22b-dev', operation: 'createVideo' }, 'videoGen'), /No recipe price for ltx2\.3 22b-dev createVideo is in the table yet.*Preview Cost/);
});
