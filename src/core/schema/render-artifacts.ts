// Contract in, committed files out (as text): the one function both `npm run schema` and the
// drift test call, so what is committed is exactly what the contract produces.
import { createAnnotator } from './annotate-schema';
import { editorSchemaOf } from './editor-schema';
import { buildWorkflowSchema, resolveProperty } from './build-workflow-schema';
import { imageGenLeafRows, renderLeavesModule } from './emit-leaves-module';
import type { OpenApiDocument } from './json-schema-types';
import { stableStringify } from './stable-json';

export interface Artifacts {
  schemaText: string;
  /** What VS Code's JSON service gets (package.json `jsonValidation`): see editor-schema.ts. */
  editorSchemaText: string;
  leavesText: string;
  stats: { stepTypes: number; definitions: number; imageGenLeaves: number; inputLeaves: number };
}

export const CONTRACT_SOURCE_LABEL = 'shared/civitai-orchestration/openapi.json';

export function renderArtifacts(contract: OpenApiDocument): Artifacts {
  const result = buildWorkflowSchema(contract, createAnnotator((raw) => resolveProperty(contract, raw)));
  const rows = imageGenLeafRows(result, (raw) => resolveProperty(contract, raw));
  return {
    schemaText: stableStringify(result.schema) + '\n',
    editorSchemaText: stableStringify(editorSchemaOf(result.schema)) + '\n',
    leavesText: renderLeavesModule(rows, CONTRACT_SOURCE_LABEL),
    stats: {
      stepTypes: result.stepTypes.length,
      definitions: Object.keys(result.schema.definitions ?? {}).length,
      imageGenLeaves: rows.length,
      inputLeaves: result.inputLeaves.size,
    },
  };
}
