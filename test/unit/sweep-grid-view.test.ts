// The results panel's sweep grid comes from what the service echoes (workflow and step metadata);
// anything inconsistent means "no grid", never a wrong one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSweepGrid } from '../../src/core/history/sweepView';
import { WorkflowSnapshotSchema } from '../../src/core/history';
import { expandSweep, parseSweepSpec } from '../../src/core/sweep';

function snapshotOf(body: Record<string, unknown>) {
  return WorkflowSnapshotSchema.parse({
    id: 'wf_1', status: 'succeeded', metadata: body.metadata,
    steps: (body.steps as Array<Record<string, unknown>>).map((s) => ({ ...s, status: 'succeeded' })),
  });
}

const workflow = {
  steps: [{ $type: 'imageGen', name: 'fox', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', prompt: 'a fox', seed: 1 } }],
};

test('an expanded sweep, as the service echoes it, becomes its grid', () => {
  const sweep = expandSweep(workflow, parseSweepSpec({ axes: [{ field: 'cfgScale', values: '4,6,8' }, { field: 'sampleMethod', values: 'euler,dpm++2m' }] }));
  const grid = buildSweepGrid(snapshotOf(sweep.bodies[0]));
  assert.ok(grid);
  assert.deepEqual(grid.axes.map((a) => [a.axis, a.label, a.values]), [['x', 'cfgScale', ['4', '6', '8']], ['y', 'sampleMethod', ['euler', 'dpm++2m']]]);
  assert.deepEqual(grid.cells.map((c) => [c.x, c.y, c.z, c.stepIndex]), [[0, 0, 0, 0], [1, 0, 0, 1], [2, 0, 0, 2], [0, 1, 0, 3], [1, 1, 0, 4], [2, 1, 0, 5]]);
});

test('no sweep metadata, broken axes or out-of-range cells: no grid', () => {
  assert.equal(buildSweepGrid(snapshotOf(workflow)), null);
  assert.equal(buildSweepGrid(undefined), null);
  const sweep = expandSweep(workflow, parseSweepSpec({ axes: [{ field: 'cfgScale', values: '4,6' }] }));
  const broken = { ...sweep.bodies[0], metadata: { sweep: { axes: 'nope' } } };
  assert.equal(buildSweepGrid(snapshotOf(broken)), null);
  const steps = (sweep.bodies[0].steps as Array<Record<string, unknown>>).map((s) => ({ ...s, metadata: { sweep: { x: 9, y: 0, z: 0 } } }));
  assert.equal(buildSweepGrid(snapshotOf({ ...sweep.bodies[0], steps })), null);
});
