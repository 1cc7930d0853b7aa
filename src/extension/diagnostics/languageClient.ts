// Starts the workflow language server (dist/lsp-server.js) in its own process over node IPC and
// hands each lint result to the extension. Bundled on its own (dist/lsp-client.js, see
// scripts/lazy-modules.mjs): vscode-languageclient is larger than the extension bundle's budget,
// and it is only needed once a workflow file is open.
import * as path from 'node:path';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DID_LINT_NOTIFICATION, MODEL_PROFILES_NOTIFICATION, type DidLintParams, type VsCodeClientOptions } from '../../lsp/protocol';

export interface WorkflowLanguageClient {
  /** Tells the server the `civitai.modelProfiles` setting changed (it lints every file again). */
  setModelProfiles(raw: unknown): void;
  stop(): Promise<void>;
}

export async function startWorkflowClient(
  extensionPath: string,
  options: { debounceMs: number; modelProfiles: unknown },
  onLint: (params: DidLintParams) => void,
  log: (message: string) => void,
): Promise<WorkflowLanguageClient> {
  const module = path.join(extensionPath, 'dist', 'lsp-server.js');
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const initializationOptions: VsCodeClientOptions = { editor: 'vscode', debounceMs: options.debounceMs, modelProfiles: options.modelProfiles };
  const clientOptions: LanguageClientOptions = {
    // Workflow files are `json` documents; the server ignores anything not named *.civitai.json.
    documentSelector: [{ pattern: '**/*.civitai.json' }],
    initializationOptions,
    // The server reports through civitai/didLint only; nothing else to show in an output channel.
    outputChannelName: 'Civitai Language Server',
  };
  const client = new LanguageClient('civitai', 'Civitai Workflows', server, clientOptions);
  client.onNotification(DID_LINT_NOTIFICATION, (params: DidLintParams) => onLint(params));
  await client.start();
  log('language server started');
  return {
    setModelProfiles: (raw) => void client.sendNotification(MODEL_PROFILES_NOTIFICATION, raw),
    stop: () => client.stop(),
  };
}
