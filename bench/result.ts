// The shape of one bench run (what `npm run bench -- --json` prints): its own module so the
// runner, the budget and the report share it without importing each other in a circle.
import type { VsCodeHostMeasurement } from './suites/vscode-host';
import type { MachineInfo } from './lib/machine';
import type { CompositionEntry } from './lib/builds';
import type { LintSuiteResult } from './suites/lint';
import type { ShapeResult } from './suites/schema-shapes';
import type { ColdStartResult, KeystrokeSuiteResult } from './suites/extension';
import type { ValidatorResult } from './suites/validator';
import type { EmulatorBurstResult } from './suites/emulator';
import type { ImportParamsSize } from './suites/import-params';
import type { BoundedInputCase } from './suites/bounded-input';
import type { PromptDataResult } from './suites/prompt-data';

export interface BenchResult {
  version: 1;
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  options: { quick: boolean; sizes: readonly number[]; findingsEvery: number };
  ratios: Record<string, number>;
  activationMs: number;
  firstLintMs: number;
  bundleBytes: {
    extension: number;
    cli: number;
    emulator: number;
    webview: Record<string, number>;
    gzip: Record<string, number>;
    /** The bundles the extension requires by path on first use (scripts/lazy-modules.mjs), by name without `.js`. */
    lazy: Record<string, number>;
    /** What the work tree's dist/ holds after `npm run build` (unminified, for development). */
    developmentExtension?: number;
  };
  extensionComposition: { total: number; parts: CompositionEntry[] };
  lint: LintSuiteResult;
  validator: ValidatorResult;
  coldStart: ColdStartResult[];
  keystroke: KeystrokeSuiteResult;
  /** The same at 1000 steps: what the extension host does while the server lints a large file. */
  keystroke1000?: KeystrokeSuiteResult;
  /** The same budget measured in the real VS Code, with the real language client (when its host is provisioned). */
  vscodeHost?: VsCodeHostMeasurement;
  schemaShapes: ShapeResult[];
  emulator: EmulatorBurstResult[];
  /** Generation-parameter import by prompt size (absent in results saved before it existed). */
  importParams?: ImportParamsSize[];
  /** Danbooru tag index and CLIP tokenizer (absent from runs saved before they existed). */
  promptData?: PromptDataResult;
  /** import-params on hostile input (a decompression bomb) vs ordinary input: fresh process each. */
  boundedInput: BoundedInputCase[];
  budget: BudgetLine[];
  notes: string[];
}

export interface BudgetLine {
  id: string;
  budget: string;
  measured: string;
  met: boolean;
  /** "missed by 3.1×", "met with 40% to spare"… */
  margin: string;
  /** Where the time or bytes go, from this run's breakdowns (for misses). */
  why?: string;
}
