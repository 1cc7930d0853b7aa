// Finds and reads schemas/workflow.schema.json. The same code runs from src/ under tsx, from the
// dist/ bundles and from an installed extension, so the file is found by walking up from here.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { JsonSchema } from './json-schema-types';

export const SCHEMA_RELATIVE_PATH = path.join('schemas', 'workflow.schema.json');

export function findSchemaFile(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, SCHEMA_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`Cannot find ${SCHEMA_RELATIVE_PATH} in ${startDir} or any folder above it`);
}

export function loadWorkflowSchema(file: string = findSchemaFile()): JsonSchema {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
}
