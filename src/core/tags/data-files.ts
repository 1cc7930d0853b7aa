// Finds and reads the prompt data files built by scripts/build-tags.mjs (media/data/). The same
// code runs from src/ under tsx, from the dist/ bundles and from an installed extension, so the
// folder is found by walking up from here, as load-schema.ts finds the schema.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

export const DATA_RELATIVE_DIR = path.join('media', 'data');
export type ShippedDataFile = 'danbooru-tags.tsv.br' | 'clip-merges.txt.br';

export function findDataFile(name: ShippedDataFile, startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, DATA_RELATIVE_DIR, name);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`Cannot find ${path.join(DATA_RELATIVE_DIR, name)} in ${startDir} or any folder above it (run scripts/build-tags.mjs)`);
}

/** The decompressed bytes of a shipped data file. */
export function readDataBytes(name: ShippedDataFile, file: string = findDataFile(name)): Buffer {
  return brotliDecompressSync(readFileSync(file));
}

/** The decompressed UTF-8 text of a shipped data file. */
export function readDataFile(name: ShippedDataFile, file: string = findDataFile(name)): string {
  return readDataBytes(name, file).toString('utf8');
}
