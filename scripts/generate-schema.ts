// `npm run schema -- [path/to/openapi.json]`: regenerates schemas/workflow.schema.json, its editor
// shape schemas/workflow.editor.schema.json and
// src/core/schema/image-gen-leaves.generated.ts from the orchestrator's contract.
// The default contract path is ../shared/civitai-orchestration/openapi.json (relative to the project).
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderArtifacts } from '../src/core/schema/render-artifacts';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_CONTRACT = path.resolve(PROJECT_ROOT, '../shared/civitai-orchestration/openapi.json');
export const SCHEMA_PATH = path.join(PROJECT_ROOT, 'schemas/workflow.schema.json');
export const EDITOR_SCHEMA_PATH = path.join(PROJECT_ROOT, 'schemas/workflow.editor.schema.json');
export const LEAVES_PATH = path.join(PROJECT_ROOT, 'src/core/schema/image-gen-leaves.generated.ts');

function main(argv: string[]): void {
  const contractPath = path.resolve(argv[0] ?? DEFAULT_CONTRACT);
  const contract = JSON.parse(readFileSync(contractPath, 'utf8'));
  const out = renderArtifacts(contract);
  writeFileSync(SCHEMA_PATH, out.schemaText);
  writeFileSync(EDITOR_SCHEMA_PATH, out.editorSchemaText);
  writeFileSync(LEAVES_PATH, out.leavesText);
  console.log(
    `schema: ${path.relative(PROJECT_ROOT, SCHEMA_PATH)} (${Buffer.byteLength(out.schemaText)} bytes, ` +
      `${out.stats.stepTypes} step types, ${out.stats.definitions} definitions, ${out.stats.imageGenLeaves} imageGen leaves, ` +
      `${out.stats.inputLeaves} input leaves)`,
  );
  console.log(`editor schema: ${path.relative(PROJECT_ROOT, EDITOR_SCHEMA_PATH)} (${Buffer.byteLength(out.editorSchemaText)} bytes, for VS Code's JSON service)`);
  console.log(`leaves: ${path.relative(PROJECT_ROOT, LEAVES_PATH)}`);
}

if (require.main === module) main(process.argv.slice(2));
