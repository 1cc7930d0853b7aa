import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateChoices, findTemplateChoice, renderWorkflowTemplate, buildImageGenInput, strengthField } from '../../src/core/templates';
import { lintWorkflow } from '../../src/core/lint';
import { ECOSYSTEMS, FOREIGN_FIELDS } from '../../src/core/ecosystems/table';

test('the catalog offers every ecosystem × engine × operation once, with unique ids', () => {
  const choices = templateChoices();
  const ids = choices.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const eco of ['sd1', 'sdxl', 'anima'] as const) {
    for (const op of ['createImage', 'createVariant'] as const) {
      assert.ok(choices.some((c) => c.ecosystem === eco && c.operation === op), `${eco} ${op}`);
    }
  }
  assert.equal(findTemplateChoice('sdxl-sdcpp-createImage')?.engine, 'sdcpp');
  assert.equal(findTemplateChoice('nope'), undefined);
});

test('documented combinations come first and undocumented ones say so', () => {
  const choices = templateChoices();
  const firstUndocumented = choices.findIndex((c) => !c.documented);
  assert.ok(firstUndocumented > 0);
  assert.ok(choices.slice(firstUndocumented).every((c) => !c.documented));
  const animaVariant = choices.find((c) => c.id === 'anima-sdcpp-createVariant');
  assert.equal(animaVariant?.documented, false, 'the Anima guide documents createImage only');
  assert.match(animaVariant!.detail, /not covered by the guide/);
  assert.equal(choices.find((c) => c.id === 'sd1-comfy-createVariant')?.documented, true);
});

for (const choice of templateChoices()) {
  test(`template ${choice.id} lints with zero errors`, () => {
    const text = renderWorkflowTemplate(choice);
    const { findings } = lintWorkflow(text);
    const errors = findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.code} ${f.pointer}: ${f.message}`), []);
  });
}

test('templates use the ecosystem native size and stay inside the sweet spots', () => {
  for (const choice of templateChoices()) {
    const input = buildImageGenInput(choice);
    const facts = ECOSYSTEMS[choice.ecosystem];
    assert.equal(input.width, facts.native.width);
    assert.equal(input.height, facts.native.height);
    const cfg = input.cfgScale as number;
    const steps = input.steps as number;
    assert.ok(cfg >= facts.cfgSweetSpot.min && cfg <= facts.cfgSweetSpot.max, `${choice.id} cfg ${cfg}`);
    assert.ok(steps >= facts.stepsTypical.min && steps <= facts.stepsTypical.max, `${choice.id} steps ${steps}`);
  }
});

test('templates carry no field that belongs to the other engine', () => {
  for (const choice of templateChoices()) {
    const input = buildImageGenInput(choice);
    for (const foreign of Object.keys(FOREIGN_FIELDS[choice.engine])) {
      assert.equal(foreign in input, false, `${choice.id} has ${foreign}`);
    }
  }
});

test('Anima templates take no checkpoint; SD templates name one', () => {
  assert.equal('model' in buildImageGenInput({ ecosystem: 'anima', engine: 'sdcpp', operation: 'createImage' }), false);
  assert.match(String(buildImageGenInput({ ecosystem: 'sd1', engine: 'comfy', operation: 'createImage' }).model), /^urn:air:sd1:checkpoint:/);
});

test('image-to-image templates have a source and the engine’s strength field', () => {
  assert.equal(strengthField('sdcpp'), 'strength');
  assert.equal(strengthField('comfy'), 'denoiseStrength');
  const sdcpp = buildImageGenInput({ ecosystem: 'sdxl', engine: 'sdcpp', operation: 'createVariant', image: 'data:image/png;base64,AAAA' });
  assert.equal(sdcpp.image, 'data:image/png;base64,AAAA');
  assert.equal(typeof sdcpp.strength, 'number');
  const comfy = buildImageGenInput({ ecosystem: 'sdxl', engine: 'comfy', operation: 'createVariant' });
  assert.equal(typeof comfy.denoiseStrength, 'number');
  assert.equal('strength' in comfy, false);
  assert.equal('image' in buildImageGenInput({ ecosystem: 'sdxl', engine: 'comfy', operation: 'createImage' }), false);
});

test('rendered templates are pretty JSON with a trailing newline', () => {
  const text = renderWorkflowTemplate({ ecosystem: 'sd1', engine: 'sdcpp', operation: 'createImage' });
  assert.ok(text.endsWith('}\n'));
  assert.equal((JSON.parse(text) as { steps: unknown[] }).steps.length, 1);
  assert.match(text, /\n  "steps": \[/);
});
