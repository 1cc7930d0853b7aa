// Published prices of the non-imageGen steps whose cost the file alone determines (each recipe's
// "Cost" section). imageGen prices are in prices.ts, the upscaler's in table.ts (UPSCALER_COST).

export type StepPrice =
  /** A flat charge per step. */
  | { kind: 'flat'; buzz: number }
  /** base + seconds × perSecond, from a numeric field with a contract default. */
  | { kind: 'perSecond'; base: number; perSecond: number; field: string; defaultSeconds: number }
  /** max(1, ⌈characters / per⌉) × (speaker set ? speakerFactor : 1). */
  | { kind: 'perText'; field: string; per: number; speakerField: string; speakerFactor: number }
  /** max(1, round((intercept + slope × megapixels) × 10 / 8)) of the source image. */
  | { kind: 'sourceMegapixels'; intercept: number; slope: number; factor: number };

export interface StepPriceEntry {
  price: StepPrice;
  /** The recipe page, relative to `orchestration/recipes/`. */
  source: string;
}

export const OTHER_STEP_PRICES: Readonly<Record<string, StepPriceEntry>> = {
  convertImage: { source: 'convert-image.md', price: { kind: 'flat', buzz: 1 } },
  promptEnhancement: { source: 'prompt-enhancement.md', price: { kind: 'flat', buzz: 1 } },
  // `duration` defaults to 60 s in the contract (AceStepAudioInput) and the recipe's table.
  aceStepAudio: { source: 'ace-step-audio.md', price: { kind: 'perSecond', base: 1, perSecond: 0.1, field: 'duration', defaultSeconds: 60 } },
  textToSpeech: { source: 'text-to-speech.md', price: { kind: 'perText', field: 'text', per: 100, speakerField: 'speaker', speakerFactor: 2.6 } },
  imageBackgroundRemoval: { source: 'image-background-removal.md', price: { kind: 'sourceMegapixels', intercept: 4.7, slope: 0.6, factor: 10 / 8 } },
};
