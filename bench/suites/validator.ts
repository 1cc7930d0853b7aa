// The contract validator's life cycle: what creating it costs, what the first lint compiles, and
// proof that later lints reuse the compiled leaves (compile time stops growing).
import { createAjv, createContractValidator } from '../../src/core/schema/contract-validator';
import { buildSchemaIndex } from '../../src/core/schema/schema-index';
import { loadWorkflowSchema } from '../../src/core/schema/load-schema';
import { validateContract } from '../../src/core/schema/validate';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { benchDocument } from '../generate';

export interface ValidatorResult {
  loadSchemaMs: number;
  /** Lazy-dispatch copy, schema index and ajv.addSchema (no compile yet). */
  createMs: number;
  /** The parts of `create`, timed one by one on their own (they overlap `createMs`). */
  createParts: { deepCopyMs: number; createAjvMs: number; schemaIndexMs: number; addSchemaMs: number };
  /** 1-step document: root plus one leaf compiled. */
  first: { totalMs: number; compileMs: number };
  /** The 1000-step document after that: every leaf it uses compiled. */
  largest: { steps: number; totalMs: number; compileMsAdded: number };
  /** The same document again: nothing may compile (want 0). */
  again: { totalMs: number; compileMsAdded: number };
}

export function runValidatorSuite(largestSteps: number): ValidatorResult {
  let t = performance.now();
  const schema = loadWorkflowSchema();
  const loadSchemaMs = performance.now() - t;
  t = performance.now();
  const validator = createContractValidator(schema);
  const createMs = performance.now() - t;

  const createParts = {
    deepCopyMs: timed(() => JSON.parse(JSON.stringify(schema))),
    createAjvMs: timed(() => createAjv()),
    schemaIndexMs: timed(() => buildSchemaIndex(schema)),
    addSchemaMs: 0,
  };
  const ajv = createAjv();
  createParts.addSchemaMs = timed(() => ajv.addSchema(JSON.parse(JSON.stringify(schema)) as object, 'workflow'));
  createParts.addSchemaMs -= timed(() => JSON.parse(JSON.stringify(schema)));

  const small = parseWorkflowDocument(benchDocument(1).text);
  t = performance.now();
  validateContract(small, validator);
  const first = { totalMs: performance.now() - t, compileMs: validator.compileMs };

  const big = parseWorkflowDocument(benchDocument(largestSteps).text);
  let before = validator.compileMs;
  t = performance.now();
  validateContract(big, validator);
  const largest = { steps: largestSteps, totalMs: performance.now() - t, compileMsAdded: validator.compileMs - before };

  before = validator.compileMs;
  t = performance.now();
  validateContract(big, validator);
  const again = { totalMs: performance.now() - t, compileMsAdded: validator.compileMs - before };

  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    loadSchemaMs: r(loadSchemaMs),
    createMs: r(createMs),
    createParts: { deepCopyMs: r(createParts.deepCopyMs), createAjvMs: r(createParts.createAjvMs), schemaIndexMs: r(createParts.schemaIndexMs), addSchemaMs: r(Math.max(0, createParts.addSchemaMs)) },
    first: { totalMs: r(first.totalMs), compileMs: r(first.compileMs) },
    largest: { steps: largest.steps, totalMs: r(largest.totalMs), compileMsAdded: r(largest.compileMsAdded) },
    again: { totalMs: r(again.totalMs), compileMsAdded: r(again.compileMsAdded) },
  };
}

function timed(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}
