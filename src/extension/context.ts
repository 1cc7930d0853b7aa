// The extension's context object: owns every long-lived part and its disposal. `activate` builds
// one and calls `register`; commands receive it and reach what they need through it. Nothing here
// compiles schemas, starts the emulator or touches the network at construction.
import * as vscode from 'vscode';
import type { HistoryEntry, PreviewCost } from '../core/history';
import type { FromWebview } from '../core/messages';
import { CostCodeLensProvider, CostStatusItem, type CostPreviews } from './cost/costLens';
import { ConnectionStatusItem } from './connection/connectionStatus';
import type { WorkflowDiagnostics } from './diagnostics/workflowDiagnostics';
import { HistoryStore } from './history/historyStore';
import { HistoryTreeProvider } from './history/historyTree';
import { Log } from './common/log';
import { handlePanelMessage, sourceImageDataUrl } from './results/panelActions';
import { resultsRoot } from './results/resultsFiles';
import { ResourceFeatures } from './diagnostics/resources';
import { RESULTS_VIEW_TYPE, ResultsPanels } from './results/resultsPanel';
import { SharedRunRecords } from './runs/runRecords';
import { WorkflowRuns } from './runs/runs';
import { ServerDiagnostics } from './diagnostics/serverDiagnostics';
import { ServiceConnection, type EmulatorStarter } from './connection/service';
import { affectsSettings, insecureBaseUrlWarning, readSettings } from './common/settings';
import { TokenStore } from './connection/token';

/** Per-document whatif answers, valid for the document version they were asked at. */
export class PreviewCache implements CostPreviews, vscode.Disposable {
  private readonly byUri = new Map<string, { version: number; preview: PreviewCost }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(document: vscode.TextDocument, preview: PreviewCost): void {
    this.byUri.set(document.uri.toString(), { version: document.version, preview });
    this.changed.fire(document.uri);
  }

  previewFor(document: vscode.TextDocument): PreviewCost | undefined {
    const hit = this.byUri.get(document.uri.toString());
    return hit && hit.version === document.version ? hit.preview : undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class CivitaiContext implements vscode.Disposable {
  readonly log: Log;
  readonly tokens: TokenStore;
  readonly service: ServiceConnection;
  readonly history: HistoryStore;
  readonly runs: WorkflowRuns;
  readonly panels: ResultsPanels;
  readonly serverDiagnostics: ServerDiagnostics;
  readonly previews = new PreviewCache();
  readonly tree: HistoryTreeProvider;
  connectionStatus: ConnectionStatusItem | undefined;
  costStatus: CostStatusItem | undefined;
  resources: ResourceFeatures | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly diagnostics: WorkflowDiagnostics,
    startEmulator: EmulatorStarter,
  ) {
    this.log = Log.create();
    this.tokens = new TokenStore(extension.secrets, this.log.redactor);
    this.service = new ServiceConnection(this.tokens, this.log, startEmulator, extension.globalState);
    this.history = new HistoryStore(extension.workspaceState, this.log);
    this.serverDiagnostics = new ServerDiagnostics();
    this.runs = new WorkflowRuns({ history: this.history, service: this.service, log: this.log, storageUri: this.storageUri(), records: new SharedRunRecords(this.log) });
    this.panels = new ResultsPanels({
      extensionUri: extension.extensionUri,
      history: this.history,
      log: this.log,
      imageRoots: () => [this.resultsRoot()],
      serviceLabel: (entry) => this.serviceLabel(entry),
      noticeFor: (key) => this.runs.noticeFor(key),
      sourceImage: (entry, stepIndex) => sourceImageDataUrl(this, entry, stepIndex),
      handle: (key: string, message: FromWebview) => handlePanelMessage(this, key, message),
    });
    this.tree = new HistoryTreeProvider(this.history);
    this.disposables.push(this.log, this.tokens, this.service, this.history, this.serverDiagnostics, this.runs, this.panels, this.previews, this.tree);
  }

  /** Registers providers, views, the panel serializer, status bar items and listeners. */
  register(commands: Record<string, (...args: never[]) => unknown>): void {
    const selector: vscode.DocumentSelector = { pattern: '**/*.civitai.json' };
    this.connectionStatus = new ConnectionStatusItem(this.service, this.tokens);
    this.costStatus = new CostStatusItem(this.diagnostics, this.previews);
    this.resources = new ResourceFeatures(this.diagnostics, this.service, this.log);
    this.disposables.push(
      this.connectionStatus,
      this.costStatus,
      this.resources,
      vscode.languages.registerHoverProvider(selector, this.resources),
      vscode.languages.registerCodeLensProvider(selector, new CostCodeLensProvider(this.diagnostics, this.previews)),
      vscode.window.registerTreeDataProvider('civitai.history', this.tree),
      vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          await this.panels.deserializeWebviewPanel(panel, state);
          // A restored panel of an unfinished workflow picks up following it.
          const key = (state as { key?: unknown } | undefined)?.key;
          const entry = typeof key === 'string' ? this.history.get(key) : undefined;
          if (entry && this.runs.canReach(entry) && (await this.service.hasCredentials())) void this.runs.resume(entry.key);
        },
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsSettings(e)) return;
        const { settings, problems } = readSettings();
        for (const p of problems) this.log.warn(`settings: ${p}`);
        const warning = insecureBaseUrlWarning(settings.baseUrl);
        if (warning && e.affectsConfiguration('civitai.baseUrl')) void vscode.window.showWarningMessage(warning);
        this.service.settingsChanged();
        for (const key of this.panels.openKeys()) void this.panels.refresh(key);
      }),
    );
    for (const [id, handler] of Object.entries(commands)) {
      this.disposables.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
    }
  }

  /**
   * Unfinished workflows are followed again after a reload, once the window has settled (never
   * during activation itself), and only when they can be reached.
   */
  scheduleResume(delayMs = 2000): void {
    if (this.history.unfinished().length === 0) return;
    const timer = setTimeout(() => {
      void (async () => {
        if (!(await this.service.hasCredentials())) {
          this.log.info('unfinished workflows in history; they resume once a token is set or the emulator is used');
          return;
        }
        this.runs.resumeUnfinished();
      })();
    }, delayMs);
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  resultsRoot(): vscode.Uri {
    return resultsRoot(readSettings().settings.resultsFolder, this.storageUri());
  }

  storageUri(): vscode.Uri {
    return this.extension.storageUri ?? this.extension.globalStorageUri;
  }

  serviceLabel(entry: HistoryEntry): string {
    if (entry.emulator) return `Local emulator (${entry.serviceUrl})`;
    return entry.serviceUrl === 'https://orchestration.civitai.com' ? 'Civitai' : entry.serviceUrl;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // Disposal is best effort: one failing part must not keep the others alive.
      }
    }
  }
}
