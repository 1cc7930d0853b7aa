// What the contributed schema's shape costs VS Code's own validation: the shipped if/then
// dispatch against a oneOf rendering, a one-level (flattened) dispatch and inlined property
// schemas, on the same documents, round-robin.
import type { JsonSchema } from '../../src/core/schema/json-schema-types';
import { benchDocument } from '../generate';
import { createJsonValidator, type JsonValidator } from '../lib/language-service';
import { roundSummary, runRounds, summarize, timeAsync, type Summary } from '../lib/stats';
import { buildSchemaVariant, dispatchDepth, SCHEMA_VARIANTS, type SchemaVariantName } from '../schema-variants';

export interface ShapeResult {
  variant: SchemaVariantName;
  /** Compact JSON size of the variant. */
  schemaBytes: number;
  /** Deepest dispatch nesting below the imageGen input. */
  imageGenDispatchDepth: number;
  /** First validation: the service resolves the schema then. */
  firstValidationMs: number;
  perSize: Array<{ steps: number; diagnostics: number; validation: Summary; vsShipped: number }>;
}

export interface ShapeSuiteOptions {
  sizes: readonly number[];
  plan: (steps: number) => { budgetMs: number; minRounds: number; maxRounds: number };
  log: (line: string) => void;
}

export async function runSchemaShapeSuite(shipped: JsonSchema, options: ShapeSuiteOptions): Promise<ShapeResult[]> {
  const variants = SCHEMA_VARIANTS.map((variant) => {
    const schema = buildSchemaVariant(shipped, variant);
    return {
      variant,
      schemaBytes: JSON.stringify(schema).length,
      imageGenDispatchDepth: dispatchDepth(schema, 'ImageGenInput'),
      // The service resolves $refs in place, so it gets its own copy (built above) after measuring.
      service: createJsonValidator(schema) as JsonValidator,
      firstValidationMs: 0,
    };
  });
  const warm = benchDocument(1).text;
  for (const v of variants) v.firstValidationMs = await timeAsync(() => v.service.validate(warm));

  const results: ShapeResult[] = variants.map((v) => ({
    variant: v.variant,
    schemaBytes: v.schemaBytes,
    imageGenDispatchDepth: v.imageGenDispatchDepth,
    firstValidationMs: Math.round(v.firstValidationMs * 100) / 100,
    perSize: [],
  }));
  for (const steps of options.sizes) {
    const { text } = benchDocument(steps);
    const samples = variants.map(() => [] as number[]);
    const diagnostics = await Promise.all(variants.map((v) => v.service.validate(text)));
    await runRounds(options.plan(steps), async (i) => {
      for (let k = 0; k < variants.length; k++) {
        const which = (k + i) % variants.length;
        samples[which].push(await timeAsync(() => variants[which].service.validate(text)));
      }
    });
    const shippedMedian = summarize(samples[0]).median;
    variants.forEach((_v, k) => {
      const validation = roundSummary(summarize(samples[k]));
      results[k].perSize.push({ steps, diagnostics: diagnostics[k], validation, vsShipped: Math.round((validation.median / shippedMedian) * 100) / 100 });
    });
    options.log(`schema shapes ${steps} steps: ${results.map((r) => `${r.variant} ${r.perSize[r.perSize.length - 1].validation.median} ms`).join(', ')}`);
  }
  return results;
}
