// Everything prompt authoring adds to the editor, registered in one call from `activate`: the
// CLIP token status item, the user's tag picks (sent to the language server, whose completions
// rank by them), user model profiles from settings, the prompt preview panel (and its
// serializer), and the import command. Completions and hovers inside prompt strings come from the
// language server (src/lsp/server.ts), registered by its client.
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../core/history/entry';
import type { LintResult } from '../../core/lint';
import { getActiveUserProfiles } from '../../core/ecosystems/profiles';
import { watchUserProfiles } from './promptProfiles';
import { registerTagUsage, TagUsageStore } from './promptTagUsage';
import { PromptTokenStatusItem, type PromptTokenCounter } from './promptTokenStatus';
import { PROMPT_PREVIEW_VIEW_TYPE, PromptPreviewPanel } from './promptPreview';
import { IMPORT_PARAMETERS_COMMAND, importParametersCommand, type ImportParametersArgs, type ResolverProvider } from './importParameters';

/** Workflow files: the same selector as the rest of the extension, for the `json` language. */
export const PROMPT_SELECTOR: vscode.DocumentSelector = { language: 'json', pattern: '**/*.civitai.json' };
export const SHOW_PROMPT_PREVIEW_COMMAND = 'civitai.showPromptPreview';
/** Not in the manifest: lets the extension-host tests read what the preview panel shows. */
export const PROMPT_PREVIEW_STATE_COMMAND = 'civitai.internal.promptPreviewState';

export interface PromptFeatureDeps {
  readonly diagnostics: {
    resultFor(document: vscode.TextDocument): LintResult;
    relintAll?(): void;
    readonly onDidLint?: vscode.Event<vscode.Uri>;
    promptTokens?: PromptTokenCounter;
    setTagUsage?(usage: ReadonlyMap<string, number>): void;
  };
  readonly history?: { all(): readonly HistoryEntry[]; readonly onDidChange?: vscode.Event<unknown> };
  /** Folder(s) saved result images live in. */
  readonly imageRoots?: () => vscode.Uri[];
  readonly log?: { info(message: string): void; warn(message: string): void; show?(): void };
  /** Looks up Civitai version ids during an import (the site API, or the emulator's copy). */
  readonly modelVersions?: ResolverProvider;
}

export function registerPromptFeatures(context: vscode.ExtensionContext, deps: PromptFeatureDeps): vscode.Disposable[] {
  const preview = new PromptPreviewPanel({
    extensionUri: context.extensionUri,
    lint: (document) => deps.diagnostics.resultFor(document),
    onDidLint: deps.diagnostics.onDidLint,
    history: deps.history,
    imageRoots: deps.imageRoots,
    log: deps.log,
  });
  // Profiles are loaded before the callback runs, so the files' findings follow the new setting at once.
  const profiles = watchUserProfiles(deps.log, () => {
    deps.diagnostics.relintAll?.();
    preview.update();
  });
  // Files open at activation were linted before the profiles were loaded.
  if (getActiveUserProfiles().length > 0) deps.diagnostics.relintAll?.();
  const tagUsage = new TagUsageStore(context.globalState, (usage) => deps.diagnostics.setTagUsage?.(usage));
  if (tagUsage.current.size > 0) deps.diagnostics.setTagUsage?.(tagUsage.current);
  const countTokens: PromptTokenCounter = (document, offset) => deps.diagnostics.promptTokens?.(document, offset) ?? Promise.resolve(undefined);
  return [
    preview,
    profiles,
    ...registerTagUsage(tagUsage),
    new PromptTokenStatusItem((document) => vscode.languages.match(PROMPT_SELECTOR, document) > 0, countTokens),
    vscode.window.registerWebviewPanelSerializer(PROMPT_PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => preview.restore(panel),
    }),
    vscode.commands.registerCommand(SHOW_PROMPT_PREVIEW_COMMAND, () => preview.show(vscode.window.activeTextEditor)),
    vscode.commands.registerCommand(IMPORT_PARAMETERS_COMMAND, (args?: ImportParametersArgs) => importParametersCommand(isArgs(args) ? args : undefined, deps.log, deps.modelVersions)),
    vscode.commands.registerCommand(PROMPT_PREVIEW_STATE_COMMAND, () => ({ open: preview.isOpen(), ready: preview.isReady(), state: preview.lastState() })),
  ];
}

/** Menus pass a Uri (or nothing) as the first argument; only a plain args object is ours. */
function isArgs(value: unknown): value is ImportParametersArgs {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && ('text' in value || 'file' in value || 'target' in value);
}
