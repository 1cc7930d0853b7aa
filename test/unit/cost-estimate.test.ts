import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateWorkflowCost, formatBuzz } from '../../src/core/cost/estimate';
import { encodePng } from '../../src/core/png';

const gen = (input: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  $type: 'imageGen',
  ...extra,
  input: { operation: 'createImage', prompt: 'a cat', ...input },
});

const one = (step: Record<string, unknown>, top: Record<string, unknown> = {}) => estimateWorkflowCost({ ...top, steps: [step] });

test('Anima with no size and no steps takes the contract defaults: 8 × 1 × 30/25 × 1 = 9.6', () => {
  const r = one(gen({ engine: 'sdcpp', ecosystem: 'anima' }));
  assert.equal(r.total, 9.6);
  assert.deepEqual(r.steps.map(({ index, name, buzz }) => ({ index, name, buzz })), [{ index: 0, name: '0', buzz: 9.6 }]);
  const d = r.steps[0].detail;
  assert.equal(d?.kind, 'imageGen');
  if (d?.kind === 'imageGen') {
    assert.deepEqual([d.width, d.height, d.steps, d.quantity], [1024, 1024, 30, 1]);
    assert.deepEqual(d.defaulted.sort(), ['height', 'quantity', 'steps', 'width']);
  }
});

test('the guides\' worked examples', () => {
  // SD1 guide: 768×512 at steps 25 on sdcpp → 4 × 1.5 × 1.25 = 7.5
  assert.equal(one(gen({ engine: 'sdcpp', ecosystem: 'sd1', width: 768, height: 512, steps: 25 })).total, 7.5);
  // SD1: 512² at quantity 4 → 16 (sdcpp defaults: 512², 20 steps)
  assert.equal(one(gen({ engine: 'sdcpp', ecosystem: 'sd1', quantity: 4 })).total, 16);
  // SD1 comfy defaults → 4 (30 steps is its reference)
  assert.equal(one(gen({ engine: 'comfy', ecosystem: 'sd1' })).total, 4);
  // SDXL: 1024² at steps 35 on sdcpp → 14
  assert.equal(one(gen({ engine: 'sdcpp', ecosystem: 'sdxl', steps: 35 })).total, 14);
  // Anima: 1024² / steps 40 → 12.8; quantity 4 → 38.4
  assert.equal(one(gen({ engine: 'sdcpp', ecosystem: 'anima', steps: 40 })).total, 12.8);
  assert.equal(one(gen({ engine: 'sdcpp', ecosystem: 'anima', quantity: 4 })).total, 38.4);
  // SDXL 1344×768 at 25 steps: 8 × (1032192/1048576) × 1.25, exactly
  assert.equal(one(gen({ engine: 'sdcpp', ecosystem: 'sdxl', width: 1344, height: 768, steps: 25 })).total, (8 * 1344 * 768 * 25) / (1024 * 1024 * 20));
});

test('no formula in the guides → null with a reason; the total is null too', () => {
  const comfyAnima = one(gen({ engine: 'comfy', ecosystem: 'anima' }));
  assert.equal(comfyAnima.total, null);
  assert.equal(comfyAnima.steps[0].buzz, null);
  assert.match(comfyAnima.steps[0].reason ?? '', /No recipe publishes a price for comfy \+ anima.*Preview Cost/);

  const mixed = estimateWorkflowCost({ steps: [gen({ engine: 'sdcpp', ecosystem: 'sd1' }), gen({ engine: 'comfy', ecosystem: 'boogu', model: 'base' })] });
  assert.equal(mixed.steps[0].buzz, 4);
  assert.equal(mixed.steps[1].buzz, null);
  assert.equal(mixed.total, null);

  const other = one({ $type: 'videoGen', input: { engine: 'wan' } });
  assert.match(other.steps[0].reason ?? '', /The wan price depends on version/);
  assert.match(one({ $type: 'transcription', input: { audio: 'https://example.com/a.mp3' } }).steps[0].reason ?? '', /No price for transcription steps is in the estimate's table.*Preview Cost/);
});

test('step names: the explicit name, else the index as a string', () => {
  const r = estimateWorkflowCost({ steps: [gen({ engine: 'sdcpp', ecosystem: 'sd1' }, { name: 'hero' }), gen({ engine: 'sdcpp', ecosystem: 'sd1' })] });
  assert.deepEqual(r.steps.map((s) => s.name), ['hero', '1']);
  assert.equal(r.total, 8);
});

test('$ref values: step outputs are unknowable (null, reason); $arguments are read from the file', () => {
  const fromStep = one(gen({ engine: 'sdcpp', ecosystem: 'sdxl', steps: { $ref: 'other', path: 'output.steps' } }));
  assert.equal(fromStep.total, null);
  assert.match(fromStep.steps[0].reason ?? '', /steps comes from step "other".*run time/);

  const fromArgs = one(gen({ engine: 'sdcpp', ecosystem: 'sdxl', steps: { $ref: '$arguments', path: 'steps' } }), { arguments: { steps: 40 } });
  assert.equal(fromArgs.total, 16);
  const d = fromArgs.steps[0].detail;
  assert.deepEqual(d?.kind === 'imageGen' ? d.fromArguments : undefined, ['steps']);

  const missingArg = one(gen({ engine: 'sdcpp', ecosystem: 'sdxl', width: { $ref: '$arguments', path: 'size.w' } }), { arguments: {} });
  assert.equal(missingArg.total, null);
  assert.match(missingArg.steps[0].reason ?? '', /\$arguments\.size\.w is not set/);
});

test('broken input never throws: nulls with reasons', () => {
  for (const bad of [undefined, null, 42, 'x', [], {}, { steps: 'no' }]) {
    const r = estimateWorkflowCost(bad);
    assert.equal(r.total, null);
  }
  const r = estimateWorkflowCost({ steps: [null, { $type: 'imageGen' }, gen({ engine: 'sdcpp', ecosystem: 'sd1', width: 'wide' }), gen({ engine: 'sdcpp', ecosystem: 'sd1', width: -5 })] });
  assert.equal(r.total, null);
  assert.ok(r.steps.every((s) => s.buzz === null && typeof s.reason === 'string' && s.reason.length > 0));
});

test('upscaler fed from an imageGen step: size from that step, 2× per repeat (recipe table)', () => {
  const chain = (w: number, h: number, repeats?: number) =>
    estimateWorkflowCost({
      steps: [
        gen({ engine: 'sdcpp', ecosystem: 'sdxl', width: w, height: h }, { name: 'hero' }),
        { $type: 'imageUpscaler', input: { image: { $ref: 'hero', path: 'output.images[0].url' }, ...(repeats ? { numberOfRepeats: repeats } : {}) } },
      ],
    }).steps[1].buzz;
  assert.equal(chain(512, 512), 2);
  assert.equal(chain(1024, 1024), 4);
  assert.equal(chain(2048, 2048), 10);
  assert.equal(chain(1024, 1024, 2), 8);
  assert.equal(chain(1024, 1024, 3), 16);
});

test('upscaler chains and positional $N references', () => {
  const r = estimateWorkflowCost({
    steps: [
      gen({ engine: 'sdcpp', ecosystem: 'sd1' }), // 512², unnamed → $0
      { $type: 'imageUpscaler', name: 'up1', input: { image: { $ref: '$0', path: 'output.images[0].url' } } }, // 1024² in → 2×…
      { $type: 'imageUpscaler', input: { image: { $ref: 'up1', path: 'output.blob.url' } } }, // gets 1024² → ceil(1.05)=2 × 2
    ],
  });
  assert.deepEqual(r.steps.map((s) => s.buzz), [4, 2, 4]);
});

test('upscaler of a data-URL PNG reads its header; of a remote URL is unknown', () => {
  const png = encodePng({ width: 1500, height: 1000, channels: 3, data: new Uint8Array(1500 * 1000 * 3) });
  const dataUrl = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  assert.equal(one({ $type: 'imageUpscaler', input: { image: dataUrl } }).total, 4); // 1.5 MP → 2 × 2
  const remote = one({ $type: 'imageUpscaler', input: { image: 'https://example.com/a.png' } });
  assert.equal(remote.total, null);
  assert.match(remote.steps[0].reason ?? '', /URL/);
  const cycle = estimateWorkflowCost({ steps: [{ $type: 'imageUpscaler', name: 'a', input: { image: { $ref: 'a', path: 'output.blob.url' } } }] });
  assert.equal(cycle.total, null);
});

test('formatBuzz rounds for display only', () => {
  assert.equal(formatBuzz(9.6), '9.6');
  assert.equal(formatBuzz(9.84375), '9.8');
  assert.equal(formatBuzz(16), '16');
  assert.equal(formatBuzz(0.125), '0.13');
  assert.equal(formatBuzz(null), 'unknown');
});
