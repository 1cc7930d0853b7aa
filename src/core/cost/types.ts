// The estimate's data shapes, shared by the per-kind pricing modules (image-gen, video) and the
// workflow estimate that sums them.

/** Where to get the exact price when the recipes publish none. */
export const PREVIEW_COST_HINT = 'Preview Cost (whatif) asks the service for the exact price.';

export interface ImageGenCostDetail {
  kind: 'imageGen';
  engine: string;
  /** The ecosystem, model, version… that picked the price, e.g. "sdcpp + sdxl", "flux2 klein 4b". */
  label: string;
  ecosystem?: string;
  /** The recipe page the price comes from, relative to `orchestration/recipes/`. */
  source: string;
  /** The published formula with this step's numbers in it. */
  formula: string;
  /** Buzz per image (before the count). */
  perImage: number;
  /** Images billed: `quantity` (or `numImages`). */
  quantity: number;
  width?: number;
  height?: number;
  steps?: number;
  /** Fields taken from the contract's defaults because the step leaves them out. */
  defaulted: string[];
  /** Fields whose value comes from the workflow's `arguments`. */
  fromArguments: string[];
}

export interface FlatCostDetail {
  kind: 'flat';
  stepType: string;
  source: string;
  formula: string;
  defaulted: string[];
}

export interface UpscalerCostDetail {
  kind: 'imageUpscaler';
  inputWidth: number;
  inputHeight: number;
  numberOfRepeats: number;
  /** Megapixels billed: ⌈w × h / 10⁶⌉, at least 1. */
  billedMegapixels: number;
  /** Total scale factor, 2^numberOfRepeats. */
  scale: number;
  defaulted: string[];
}

export type StepCostDetail = ImageGenCostDetail | UpscalerCostDetail | FlatCostDetail;

export interface StepCostEstimate {
  index: number;
  /** The step's `name`, or its index as a string. */
  name: string;
  /** Exact (unrounded) Buzz, or null when it cannot be known from the file. */
  buzz: number | null;
  /** Why `buzz` is null, in plain words. */
  reason?: string;
  detail?: StepCostDetail;
}

/** A number for a formula shown to people: exact up to 6 decimals, no trailing zeros. */
export const formatFactor = (x: number): string => String(Number(x.toFixed(6)));
