// The committed schema and leaves table are exactly what the generator makes from the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderArtifacts } from '../../src/core/schema/render-artifacts';

const ROOT = path.resolve(__dirname, '../..');
const CONTRACT = path.resolve(ROOT, '../shared/civitai-orchestration/openapi.json');

test('committed schema and leaves table match the contract', (t) => {
  if (!existsSync(CONTRACT)) {
    t.skip('contract not present');
    return;
  }
  const out = renderArtifacts(JSON.parse(readFileSync(CONTRACT, 'utf8')));
  const schema = readFileSync(path.join(ROOT, 'schemas/workflow.schema.json'), 'utf8');
  const leaves = readFileSync(path.join(ROOT, 'src/core/schema/image-gen-leaves.generated.ts'), 'utf8');
  const editor = readFileSync(path.join(ROOT, 'schemas/workflow.editor.schema.json'), 'utf8');
  assert.ok(out.schemaText === schema, 'schemas/workflow.schema.json differs from the contract: run `npm run schema`');
  assert.ok(out.editorSchemaText === editor, 'schemas/workflow.editor.schema.json differs from the contract: run `npm run schema`');
  assert.ok(out.leavesText === leaves, 'src/core/schema/image-gen-leaves.generated.ts differs from the contract: run `npm run schema`');
});

test('generation is deterministic', (t) => {
  if (!existsSync(CONTRACT)) {
    t.skip('contract not present');
    return;
  }
  const contract = readFileSync(CONTRACT, 'utf8');
  const a = renderArtifacts(JSON.parse(contract));
  const b = renderArtifacts(JSON.parse(contract));
  assert.equal(a.schemaText, b.schemaText);
  assert.equal(a.leavesText, b.leavesText);
  assert.equal(a.editorSchemaText, b.editorSchemaText);
  assert.ok(a.schemaText.endsWith('}\n'));
});
