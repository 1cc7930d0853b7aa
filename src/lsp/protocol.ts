// What the server and VS Code's own client say to each other beyond LSP. Types and names only:
// the client bundle imports this, and must not pull the core in with it.
import type { Finding, TextEdit } from '../core/findings';
import type { WorkflowCostEstimate, StepCostEstimate } from '../core/cost/estimate';
import type { AirReference } from '../core/resources/refs';
import type { PromptTokenStatus } from '../core/prompt/clip-status';

/**
 * What VS Code's own client sends as `initializationOptions` (src/extension/diagnostics/languageClient.ts).
 * With `editor: 'vscode'` the server sends each lint as a `civitai/didLint` notification instead
 * of publishing diagnostics: all findings with their fixes, and what else the host shows for that
 * version (cost estimate, step starts, AIRs), so the extension host never parses the file itself.
 * It answers prompt completions and hovers through LSP, and the token count, fix-all and the rest
 * through the requests below. CodeLens and quick fixes are drawn by the extension from `didLint`
 * (they open the panels and attach to the diagnostics it shows).
 */
export interface VsCodeClientOptions extends WorkflowConfiguration {
  editor: 'vscode';
}

/** The settings the server reads; sent at start and again whenever one changes. */
export interface WorkflowConfiguration {
  /** `civitai.lint.debounceMs`: milliseconds between the last change and the lint. */
  debounceMs?: number;
  /** The raw `civitai.modelProfiles` setting. */
  modelProfiles?: unknown;
  /** `civitai.tagWikiLinks`: hovers link Danbooru tags to their wiki pages. */
  tagWikiLinks?: boolean;
  /** The user's tag picks (name → count), which rank tag completions. */
  tagUsage?: Record<string, number>;
}

export const DID_LINT_NOTIFICATION = 'civitai/didLint';
/** Client → server: WorkflowConfiguration (only the fields that changed). Every file is linted again. */
export const CONFIGURATION_NOTIFICATION = 'civitai/configuration';
/** Client → server: PromptTokensParams → PromptTokenStatus | null. */
export const PROMPT_TOKENS_REQUEST = 'civitai/promptTokens';
/** Client → server: FixAllParams → FixAllResult | null (null: the version is no longer current). */
export const FIX_ALL_REQUEST = 'civitai/fixAll';

/** Named by VS Code completion items of Danbooru tags: the extension remembers the pick (it ranks later completions). */
export const RECORD_TAG_USE_COMMAND = 'civitai.internal.recordTagUse';

// A 1000-step file sends this after every lint, and the host decodes it on its thread: only what
// the host shows travels (the decoding is part of its per-edit budget, see bench/budget.ts).
export interface DidLintParams {
  uri: string;
  version: number;
  findings: Finding[];
  /** The local cost estimate of this version (what the CodeLens and status bar show). */
  cost: LintCostEstimate;
  /** Every AIR the file names (the host resolves them: it holds the token), without what it can derive. */
  airs: LintAirReference[];
}

export interface LintCostEstimate extends Omit<WorkflowCostEstimate, 'steps'> {
  steps: LintStepCost[];
}

/** A step's estimate as its CodeLens shows it. */
export interface LintStepCost extends Pick<StepCostEstimate, 'index' | 'name' | 'buzz' | 'reason'> {
  /** Where the step object starts (its CodeLens goes there); null when it cannot be placed. */
  offset: number | null;
  /** How the price was worked out, and the recipe that publishes it. */
  formula?: string;
  source?: string;
}

/** An AirReference without `parsed` and `range`, which the host derives (parseAir, positionAt). */
export type LintAirReference = Omit<AirReference, 'parsed' | 'range'>;

export interface PromptTokensParams {
  uri: string;
  offset: number;
}

export type PromptTokensResult = PromptTokenStatus | null;

export interface FixAllParams {
  uri: string;
  version: number;
  /** Only findings with this code (absent: every auto-fixable finding). */
  code?: string;
}

export interface FixAllResult {
  /** One edit from the current text to the fixed text (absent: nothing to fix). */
  edit?: TextEdit;
}
