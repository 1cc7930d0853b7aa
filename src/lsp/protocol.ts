// What the server and VS Code's own client say to each other beyond LSP. Types and names only:
// the client bundle imports this, and must not pull the core in with it.
import type { Finding } from '../core/findings';

/**
 * What VS Code's own client sends as `initializationOptions` (src/extension/diagnostics/languageClient.ts).
 * With `editor: 'vscode'` the server only lints: it sends each result as a `civitai/didLint`
 * notification (all findings with their fixes: the client shows them as diagnostics, leaving
 * json-syntax ones to VS Code's JSON service, and its commands read them), and offers no
 * completions, hovers or CodeLens (the extension's own providers, which need the panels and
 * settings, do).
 */
export interface VsCodeClientOptions {
  editor: 'vscode';
  debounceMs?: number;
  /** The raw `civitai.modelProfiles` setting. */
  modelProfiles?: unknown;
}

export const DID_LINT_NOTIFICATION = 'civitai/didLint';
export const MODEL_PROFILES_NOTIFICATION = 'civitai/modelProfiles';

export interface DidLintParams {
  uri: string;
  version: number;
  findings: Finding[];
}

