// Starts the workflow language server (dist/lsp-server.js) in its own process over node IPC. The
// server lints (each result reaches `onLint`), completes and explains prompts (LSP completions and
// hovers, registered by vscode-languageclient), counts tokens and computes fix-alls on request.
// Bundled on its own (dist/lsp-client.js, see scripts/lazy-modules.mjs): vscode-languageclient is
// larger than the extension bundle's budget, and it is only needed once a workflow file is open.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  CONFIGURATION_NOTIFICATION,
  DID_LINT_NOTIFICATION,
  FIX_ALL_REQUEST,
  PROMPT_TOKENS_REQUEST,
  type DidLintParams,
  type FixAllParams,
  type FixAllResult,
  type PromptTokensParams,
  type PromptTokensResult,
  type VsCodeClientOptions,
  type WorkflowConfiguration,
} from '../../lsp/protocol';

export interface WorkflowLanguageClient {
  /** Tells the server a setting it reads changed (new model profiles make it lint every file again). */
  configure(config: WorkflowConfiguration): void;
  /** The CLIP token status of the prompt at `offset` (null: not in a prompt). */
  promptTokens(params: PromptTokensParams): Promise<PromptTokensResult>;
  /** The edit that applies every preferred fix (of one code), or null when `version` is no longer current. */
  fixAll(params: FixAllParams): Promise<FixAllResult | null>;
  stop(): Promise<void>;
}

export async function startWorkflowClient(
  extensionPath: string,
  options: { configuration: WorkflowConfiguration },
  onLint: (params: DidLintParams) => void,
  log: (message: string) => void,
): Promise<WorkflowLanguageClient> {
  const module = path.join(extensionPath, 'dist', 'lsp-server.js');
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const initializationOptions: VsCodeClientOptions = { editor: 'vscode', ...options.configuration };
  const clientOptions: LanguageClientOptions = {
    // Workflow files are `json` documents; the server ignores anything not named *.civitai.json.
    documentSelector: [{ pattern: '**/*.civitai.json' }],
    initializationOptions,
    outputChannelName: 'Civitai Language Server',
    middleware: {
      // Character tags get VS Code's person icon, which LSP's completion kinds do not have.
      provideCompletionItem: async (document, position, context, token, next) => {
        const result = await next(document, position, context, token);
        const items = Array.isArray(result) ? result : result?.items ?? [];
        for (const item of items) if ((item as { data?: { category?: string } }).data?.category === 'character') item.kind = vscode.CompletionItemKind.User;
        return result;
      },
    },
  };
  const client = new LanguageClient('civitai', 'Civitai Workflows', server, clientOptions);
  client.onNotification(DID_LINT_NOTIFICATION, (params: DidLintParams) => onLint(params));
  await client.start();
  log('language server started');
  return {
    configure: (config) => void client.sendNotification(CONFIGURATION_NOTIFICATION, config),
    promptTokens: (params) => client.sendRequest<PromptTokensResult>(PROMPT_TOKENS_REQUEST, params),
    fixAll: (params) => client.sendRequest<FixAllResult | null>(FIX_ALL_REQUEST, params),
    stop: () => client.stop(),
  };
}
