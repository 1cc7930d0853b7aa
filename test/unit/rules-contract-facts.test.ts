// The few contract facts the rules hold themselves (names the generated leaves table does not
// carry) checked against the contract, and the ecosystem table's sampler names against its enums.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTRACT_AIR_PATTERN } from '../../src/core/air';
import {
  A1111_SAMPLERS,
  A1111_SCHEDULE_TYPES,
  CALLBACK_EVENTS_WHEN_DONE,
  CALLBACK_EVENT_SCOPES,
  CALLBACK_EVENT_STATUSES,
  COMFY_TO_SDCPP_SAMPLER,
  COMFY_TO_SDCPP_SCHEDULE,
  currentCallbackEventName,
} from '../../src/core/ecosystems/table';
import { isA1111Spelling, resolveSamplerName } from '../../src/core/ecosystems/samplers';
import { RESPONSE_ONLY_STEP_FIELDS, RESPONSE_ONLY_WORKFLOW_FIELDS } from '../../src/core/rules/payload-shape';
import { IMAGE_BLOB_FIELDS } from '../../src/core/rules/references';
import { IMAGE_GEN_LEAVES } from '../../src/core/schema/image-gen-leaves.generated';

const CONTRACT = path.resolve(__dirname, '../../../shared/civitai-orchestration/openapi.json');

type Schema = { properties?: Record<string, unknown>; allOf?: Schema[]; $ref?: string; enum?: string[]; items?: Schema };

function loadContract(): Record<string, Schema> | undefined {
  if (!existsSync(CONTRACT)) return undefined;
  return (JSON.parse(readFileSync(CONTRACT, 'utf8')) as { components: { schemas: Record<string, Schema> } }).components.schemas;
}

/** Property names of a schema with its allOf bases. */
function propertyNames(schemas: Record<string, Schema>, name: string): Set<string> {
  const out = new Set<string>();
  const visit = (s: Schema | undefined): void => {
    if (!s) return;
    if (s.$ref) visit(schemas[s.$ref.replace('#/components/schemas/', '')]);
    for (const k of Object.keys(s.properties ?? {})) out.add(k);
    for (const part of s.allOf ?? []) visit(part);
  };
  visit(schemas[name]);
  return out;
}

const sdcpp = IMAGE_GEN_LEAVES['sdcpp/sdxl/createImage'].properties;
const comfy = IMAGE_GEN_LEAVES['comfy/sdxl/createImage'].properties;

test('the AIR pattern is the contract\'s', () => {
  // Written differently (escapes), same language: both accept and refuse the same probes.
  const contractPattern = new RegExp(sdcpp.model.pattern!);
  for (const probe of ['urn:air:sdxl:checkpoint:civitai:1@2', 'civitai:1', 'sdxl:lora:civitai:1@2.safetensors', '1', 'a b:1', 'urn:air:x:y:z:1@a=b,c%d+e:f', 'a/b:c.d', 'x:y@', 'x:y@v.fmt', 'urn:air:', 'x:y:z:w:v:u:t']) {
    assert.equal(CONTRACT_AIR_PATTERN.test(probe), contractPattern.test(probe), probe);
  }
});

test('A1111 sampler and schedule names map to values the contract enums accept', () => {
  for (const [name, value] of Object.entries(A1111_SAMPLERS)) assert.ok(comfy.sampler.enum?.includes(value), `${name} -> ${value}`);
  for (const [name, value] of Object.entries(A1111_SCHEDULE_TYPES)) {
    if (value.comfy) assert.ok(comfy.scheduler.enum?.includes(value.comfy), `${name} -> comfy ${value.comfy}`);
    if (value.sdcpp) assert.ok(sdcpp.schedule.enum?.includes(value.sdcpp), `${name} -> sdcpp ${value.sdcpp}`);
  }
  for (const [c, s] of Object.entries(COMFY_TO_SDCPP_SAMPLER)) {
    assert.ok(comfy.sampler.enum?.includes(c), c);
    assert.ok(sdcpp.sampleMethod.enum?.includes(s), s);
  }
  for (const [c, s] of Object.entries(COMFY_TO_SDCPP_SCHEDULE)) {
    assert.ok(comfy.scheduler.enum?.includes(c), c);
    assert.ok(sdcpp.schedule.enum?.includes(s), s);
  }
});

test('A1111 names resolve per engine (through the one sampler table): sdcpp when both parts have counterparts', () => {
  assert.deepEqual(resolveSamplerName('DPM++ 2M Karras'), {
    sampler: 'DPM++ 2M',
    schedule: 'Karras',
    comfy: { sampler: 'dpmpp_2m', scheduler: 'karras' },
    sdcpp: { sampleMethod: 'dpm++2m', schedule: 'karras' },
  });
  assert.deepEqual(resolveSamplerName('Euler a'), { sampler: 'Euler a', comfy: { sampler: 'euler_ancestral' }, sdcpp: { sampleMethod: 'euler_a' } });
  assert.equal(resolveSamplerName('DPM++ SDE Karras')?.sdcpp, undefined);
  assert.deepEqual(resolveSamplerName('dpm++ sde karras')?.comfy, { sampler: 'dpmpp_sde', scheduler: 'karras' });
  assert.deepEqual(resolveSamplerName('Euler', 'Align Your Steps'), { sampler: 'Euler', schedule: 'Align Your Steps', sdcpp: { sampleMethod: 'euler', schedule: 'ays' } });
  assert.deepEqual(resolveSamplerName('Euler a', 'Automatic')?.sdcpp, { sampleMethod: 'euler_a' });
  assert.equal(resolveSamplerName('PLMS'), undefined);
  // What the a1111-sampler-name rule speaks of: A1111's own spellings, not other tools' or the engines'.
  for (const name of ['DPM++ 2M Karras', 'euler a', ' DPM++ 2M SDE  Exponential', 'LCM']) assert.ok(isA1111Spelling(name, resolveSamplerName(name)!), name);
  for (const name of ['dpmpp_2m', 'Euler CFG++', 'DPM++ 2M SDE GPU', 'Euler GITS', 'dpm++2m', 'Euler Discrete', 'euler_a', 'DPM++_2M Karras', 'dpmpp_2m_karras']) assert.ok(!isA1111Spelling(name, resolveSamplerName(name)!), name);
});

test('callback event names: the table spans the contract enum, and older names are normalised', (t) => {
  assert.equal(currentCallbackEventName('workflow:succeeded'), 'workflow:succeeded');
  assert.equal(currentCallbackEventName('SUCCEEDED'), 'workflow:succeeded');
  assert.equal(currentCallbackEventName('step.failed'), 'step:failed');
  assert.equal(currentCallbackEventName('workflow:cancelled'), 'workflow:canceled');
  assert.equal(currentCallbackEventName('whenever'), undefined);
  const schemas = loadContract();
  if (!schemas) {
    t.skip('contract not present');
    return;
  }
  const enumValues = (schemas.WorkflowCallback.properties as Record<string, Schema>).type.items?.enum ?? [];
  const ours = CALLBACK_EVENT_SCOPES.flatMap((s) => CALLBACK_EVENT_STATUSES.map((st) => `${s}:${st}`));
  assert.deepEqual([...ours].sort(), [...enumValues].sort());
  for (const e of CALLBACK_EVENTS_WHEN_DONE) assert.ok(enumValues.includes(e), e);
});

test('response-only members are the contract\'s Workflow minus WorkflowTemplate (and the same for steps)', (t) => {
  const schemas = loadContract();
  if (!schemas) {
    t.skip('contract not present');
    return;
  }
  const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter((k) => !b.has(k)).sort();
  assert.deepEqual([...RESPONSE_ONLY_WORKFLOW_FIELDS].sort(), minus(propertyNames(schemas, 'Workflow'), propertyNames(schemas, 'WorkflowTemplate')));
  const stepOnly = minus(propertyNames(schemas, 'WorkflowStep'), propertyNames(schemas, 'WorkflowStepTemplate'));
  // `output` is declared on each concrete step type (ImageGenStep…), not on the WorkflowStep base.
  assert.deepEqual([...RESPONSE_ONLY_STEP_FIELDS].filter((f) => f !== 'output').sort(), stepOnly);
  assert.ok(propertyNames(schemas, 'ImageGenStep').has('output'));
});

test('image fields reachable by $ref are the contract\'s ImageBlob with its Blob base', (t) => {
  const schemas = loadContract();
  if (!schemas) {
    t.skip('contract not present');
    return;
  }
  assert.deepEqual([...IMAGE_BLOB_FIELDS].sort(), [...propertyNames(schemas, 'ImageBlob')].sort());
  assert.deepEqual([...propertyNames(schemas, 'ImageGenOutput')].sort(), ['errors', 'images']);
});
