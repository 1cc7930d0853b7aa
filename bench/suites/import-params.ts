// Importing generation parameters as the prompt grows: 1k to 16k prompt tokens (half of them
// `<lora:…>`), median of a few rounds each. Linear work shows as a constant time per token.
import { importGenerationParameters } from '../../src/core/prompt/import-params';
import { roundSummary, summarize, type Summary } from '../lib/stats';

export interface ImportParamsSize {
  tokens: number;
  chars: number;
  ms: Summary;
  /** Median microseconds per prompt token. */
  usPerToken: number;
}

export function block(tokens: number): string {
  const parts = Array.from({ length: tokens }, (_, i) => (i % 2 === 0 ? `<lora:net${i}:0.${(i % 9) + 1}>` : `(tag${i}:1.1)`));
  return `${parts.join(', ')}\nNegative prompt: ${'bad, '.repeat(tokens)}worse\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1, Size: 832x1216, Hires upscale: 2, Denoising strength: 0.4`;
}

export function runImportParamsSuite(sizes: readonly number[], rounds: number, log: (line: string) => void): ImportParamsSize[] {
  importGenerationParameters(block(100)); // warm up
  return sizes.map((tokens) => {
    const text = block(tokens);
    log(`import-params: ${tokens} tokens…`);
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      importGenerationParameters(text);
      samples.push(performance.now() - started);
    }
    const ms = roundSummary(summarize(samples));
    return { tokens, chars: text.length, ms, usPerToken: Math.round(((ms.median * 1000) / tokens) * 100) / 100 };
  });
}
