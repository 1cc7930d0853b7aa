// Which orchestration service the extension talks to: Civitai (the `civitai.baseUrl` setting,
// token from SecretStorage) or, for this session only, the in-process local emulator with a
// generated local token. Clients are created per use, with the token read right before.
import * as vscode from 'vscode';
import { OrchestratorClient, type RetryInfo } from '../../core/api';
import type { Log } from '../common/log';
import { DEFAULT_BASE_URL, insecureBaseUrlWarning, readSettings, tokenHostNeedsConsent } from '../common/settings';
import type { TokenStore } from './token';

export type ServiceKind = 'civitai' | 'emulator';

export interface ServiceTarget {
  kind: ServiceKind;
  baseUrl: string;
  /** "Civitai", "Emulator", or the host of a custom base URL. */
  label: string;
}

/** What the emulator module hands back (src/emulator). */
export interface RunningEmulator {
  url: string;
  close(): Promise<void> | void;
}

export type EmulatorStarter = (token: string) => Promise<RunningEmulator>;

/** globalState key: origins other than Civitai the user agreed to send the token to. */
export const TOKEN_HOSTS_STATE_KEY = 'civitai.tokenHosts.v1';

/** Polls the local emulator faster than the guide's cadence for the real service: it is local. */
const EMULATOR_POLL_CADENCE_MS = [250, 500, 1000];

export class ServiceConnection implements vscode.Disposable {
  private emulator: { running: RunningEmulator; token: string } | undefined;
  private starting: Promise<ServiceTarget> | undefined;
  private readonly changed = new vscode.EventEmitter<ServiceTarget>();
  readonly onDidChange = this.changed.event;
  private warnedInsecure = new Set<string>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly log: Log,
    private readonly startEmulatorProcess: EmulatorStarter,
    /** Application-wide state (never a workspace's): where the user agreed to send the token. */
    private readonly consent?: vscode.Memento,
  ) {}

  current(): ServiceTarget {
    if (this.emulator) return { kind: 'emulator', baseUrl: this.emulator.running.url.replace(/\/+$/, ''), label: 'Emulator' };
    const baseUrl = readSettings().settings.baseUrl;
    return { kind: 'civitai', baseUrl, label: labelFor(baseUrl) };
  }

  isEmulator(): boolean {
    return this.emulator !== undefined;
  }

  /** Whether requests can be made: the emulator always can; Civitai needs a token. */
  async hasCredentials(): Promise<boolean> {
    return this.emulator !== undefined || (await this.tokens.has());
  }

  pollCadence(): readonly number[] | undefined {
    return this.emulator ? EMULATOR_POLL_CADENCE_MS : undefined;
  }

  /**
   * A client for the current service. Throws a plain-words error when Civitai is selected and no
   * token is set (callers check `hasCredentials` first to offer "Set API Token").
   */
  async client(): Promise<OrchestratorClient> {
    const target = this.current();
    if (target.kind === 'civitai') await this.confirmTokenHost(target.baseUrl);
    const token = this.emulator ? this.emulator.token : await this.tokens.get();
    if (!token) throw new Error('No API token is set. Run "Civitai: Set API Token" or "Civitai: Use Local Emulator".');
    const warning = target.kind === 'civitai' ? insecureBaseUrlWarning(target.baseUrl) : undefined;
    if (warning && !this.warnedInsecure.has(target.baseUrl)) {
      this.warnedInsecure.add(target.baseUrl);
      this.log.warn(warning);
      void vscode.window.showWarningMessage(warning, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'civitai.baseUrl');
      });
    }
    return new OrchestratorClient({
      baseUrl: target.baseUrl,
      token,
      // The user was warned above; refusing here would make a deliberate setting unusable.
      allowInsecureHttp: true,
      userAgent: `civitai-workflows-vscode/${vscode.version}`,
      onRetry: (info: RetryInfo) =>
        this.log.warn(`${info.operation}: attempt ${info.attempt} failed (${info.error.kind}${info.error.status ? ` ${info.error.status}` : ''}); retrying in ${Math.round(info.delayMs)} ms`),
    });
  }

  /**
   * Asks once per origin before the token goes to a host that is neither Civitai nor this
   * machine, and remembers the answer (yes only) in application-wide state.
   */
  private async confirmTokenHost(baseUrl: string): Promise<void> {
    const allowed = this.consent?.get<string[]>(TOKEN_HOSTS_STATE_KEY) ?? [];
    if (!tokenHostNeedsConsent(baseUrl, Array.isArray(allowed) ? allowed : [])) return;
    const origin = new URL(baseUrl).origin;
    const send = `Send Token to ${new URL(baseUrl).host}`;
    const choice = await vscode.window.showWarningMessage(
      `civitai.baseUrl points at ${origin}, which is not Civitai. Send your Civitai API token there?`,
      { modal: true, detail: 'Only do this for an orchestration service you run or trust: whoever runs it can spend your Buzz with the token. You are asked once per host.' },
      send,
    );
    if (choice !== send) {
      this.log.warn(`API token not sent to ${origin}: not confirmed`);
      throw new Error(`The API token was not sent to ${origin} (not Civitai, and not confirmed). Change civitai.baseUrl in your user settings, or confirm when asked.`);
    }
    await this.consent?.update(TOKEN_HOSTS_STATE_KEY, [...new Set([...allowed, origin])]);
    this.log.info(`API token allowed for ${origin} (asked once; remembered)`);
  }

  /** Starts the in-process emulator (once per session) and talks to it from now on. */
  async useEmulator(): Promise<ServiceTarget> {
    if (this.emulator) return this.current();
    this.starting ??= (async () => {
      const token = `local-${globalThis.crypto.randomUUID()}`;
      this.log.redactor.add(token);
      const running = await this.startEmulatorProcess(token);
      this.emulator = { running, token };
      const target = this.current();
      this.log.info(`Local emulator running at ${target.baseUrl}; this session talks to it instead of ${readSettings().settings.baseUrl}`);
      this.changed.fire(target);
      return target;
    })().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async stopEmulator(): Promise<void> {
    const running = this.emulator?.running;
    if (!running) return;
    this.emulator = undefined;
    await running.close();
    this.log.info('Local emulator stopped');
    this.changed.fire(this.current());
  }

  /** Called when the base URL setting changes. */
  settingsChanged(): void {
    this.changed.fire(this.current());
  }

  dispose(): void {
    void this.stopEmulator();
    this.changed.dispose();
  }
}

function labelFor(baseUrl: string): string {
  if (baseUrl === DEFAULT_BASE_URL) return 'Civitai';
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
