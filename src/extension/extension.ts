// Activation only registers things; all work happens lazily when a workflow file or command needs
// it. No schema compile, no emulator start, no network here: unfinished workflows are resumed a
// moment after activation, and only if there are any.
import * as vscode from 'vscode';
import { readSettings } from './common/settings';
import type { HistoryEntry } from '../core/history';
import type { ResultsState } from '../core/messages';
import { registerCodeActions } from './diagnostics/codeActions';
import { commandHandlers } from './commands';
import { CivitaiContext } from './context';
import { WorkflowDiagnostics } from './diagnostics/workflowDiagnostics';
import { registerPromptFeatures } from './prompt/promptFeatures';
import { SweepCodeLensProvider } from './sweep/sweepLens';
import { modelVersionResolver } from './prompt/importParameters';
import type { RunningEmulator } from './connection/service';

/** What tests (and other extensions) can reach. Never the token. */
export interface CivitaiApi {
  diagnostics: WorkflowDiagnostics;
  testing: CivitaiTestHooks;
}

export interface CivitaiTestHooks {
  /** Base URL the extension talks to now, and whether it is the local emulator. */
  service(): { kind: 'civitai' | 'emulator'; baseUrl: string; label: string };
  /** Whether a token is stored (never the token itself). */
  hasToken(): Promise<boolean>;
  /** The running in-process emulator's handle (fault injection), when there is one. */
  emulator(): unknown;
  /** Stops the in-process emulator (a suite that started it leaves the window as it found it). */
  stopEmulator(): Promise<void>;
  history(): readonly HistoryEntry[];
  /** What the Civitai view shows: one row per entry (inside its day group), its icon id, description and tooltip markdown. */
  historyTreeItems(): Array<{ label: string; icon: string | undefined; description: string | undefined; tooltip: string | undefined }>;
  /** Writes an entry as if an earlier window had left it (validated like stored history). */
  putHistoryEntry(entry: unknown): Promise<void>;
  removeHistoryEntry(key: string): Promise<void>;
  /** Resumes every unfinished entry now (what a reload does), resolving when they end. */
  resumeUnfinished(): Promise<Array<HistoryEntry | undefined>>;
  /** Waits for a followed workflow to end (undefined when it is not being followed). */
  whenDone(key: string): Promise<HistoryEntry | undefined> | undefined;
  openPanels(): string[];
  panelState(key: string): ResultsState | undefined;
  panelMessages(key: string): ReadonlyArray<{ direction: 'in' | 'out'; message: unknown }>;
  /** Sends a message into the panel's handler as if the webview had (validated the same way). */
  panelMessage(key: string, message: unknown): Promise<void>;
  logLines(): readonly string[];
  statusBar(): { connection: string | undefined; cost: string | undefined };
  resultsFolder(): string;
  /** Where the Civitai token would be sent (civitai.baseUrl as read, normalised). */
  tokenBaseUrl(): string;
}

let ctx: CivitaiContext | undefined;

export function activate(context: vscode.ExtensionContext): CivitaiApi {
  let emulatorHandle: RunningEmulator | undefined;
  // The log belongs to the context, built next; the language server starts no sooner than that.
  const diagnostics = new WorkflowDiagnostics(context.extensionPath, (message) => ctx?.log.info(message));
  context.subscriptions.push(diagnostics);
  const c = new CivitaiContext(context, diagnostics, async (token) => {
    // Loaded on first use only: the emulator is never part of activation.
    const { startEmulator } = await import('../emulator');
    emulatorHandle = await startEmulator({ token });
    return emulatorHandle;
  });
  ctx = c;
  context.subscriptions.push(c);
  c.register(commandHandlers(c));
  // Registered here, not by the context: the lens needs the context, which must not import it back.
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ pattern: '**/*.sweep.json' }, new SweepCodeLensProvider(c, diagnostics)));
  context.subscriptions.push(...registerPromptFeatures(context, { diagnostics, history: c.history, imageRoots: () => [c.resultsRoot()], log: c.log, modelVersions: () => modelVersionResolver(c) }));
  registerCodeActions(context, diagnostics);
  c.scheduleResume();
  return { diagnostics, testing: testHooks(c, () => emulatorHandle) };
}

export function deactivate(): Promise<void> | undefined {
  // Stop the emulator's server cleanly; the history already holds what a reload needs.
  const running = ctx?.service;
  ctx = undefined;
  return running?.stopEmulator();
}

function testHooks(c: CivitaiContext, emulator: () => RunningEmulator | undefined): CivitaiTestHooks {
  return {
    service: () => c.service.current(),
    hasToken: () => c.tokens.has(),
    emulator: () => (c.service.isEmulator() ? emulator() : undefined),
    stopEmulator: () => c.service.stopEmulator(),
    history: () => c.history.all(),
    historyTreeItems: () => c.tree.entryItems().map((item) => ({
      label: (typeof item.label === 'string' ? item.label : item.label?.label ?? '').trim(),
      icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
      description: typeof item.description === 'string' ? item.description : undefined,
      tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : typeof item.tooltip === 'string' ? item.tooltip : undefined,
    })),
    putHistoryEntry: async (entry) => {
      await c.history.put(entry as HistoryEntry);
    },
    removeHistoryEntry: (key) => c.history.remove(key),
    resumeUnfinished: () => Promise.all(c.history.unfinished().map((e) => c.runs.resume(e.key))),
    whenDone: (key) => c.runs.whenDone(key),
    openPanels: () => c.panels.openKeys(),
    panelState: (key) => c.panels.lastState(key),
    panelMessages: (key) => c.panels.messageLog(key),
    panelMessage: (key, message) => c.panels.simulateMessage(key, message),
    logLines: () => c.log.lines(),
    statusBar: () => ({ connection: c.connectionStatus?.text, cost: c.costStatus?.text }),
    resultsFolder: () => c.resultsRoot().fsPath,
    tokenBaseUrl: () => readSettings().settings.baseUrl,
  };
}
