// Stands in for dist/lsp-client.js (vscode-languageclient needs far more of VS Code than the bench's
// `vscode` stand-in offers): starts the real dist/lsp-server.js in its own process the way the
// client does (node IPC, vscode-jsonrpc's own reader and writer) and keeps it in step with the
// documents the stand-in editor opens and changes (incremental changes when the editor gives
// them, as VS Code does), so the keystroke bench times what the extension host still does with
// the server's answers.
import { fork } from 'node:child_process';
import * as path from 'node:path';
import type * as vscodeTypes from 'vscode';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
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
} from '../src/lsp/protocol';

export function lspClientStandIn(vscode: typeof vscodeTypes) {
  return {
    async startWorkflowClient(extensionPath: string, options: { configuration: WorkflowConfiguration }, onLint: (params: DidLintParams) => void) {
      const child = fork(path.join(extensionPath, 'dist', 'lsp-server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
      connection.onNotification(DID_LINT_NOTIFICATION, (params: DidLintParams) => onLint(params));
      connection.listen();
      const initializationOptions: VsCodeClientOptions = { editor: 'vscode', ...options.configuration };
      await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
      void connection.sendNotification('initialized', {});
      const isWorkflow = (d: vscodeTypes.TextDocument) => d.uri.path.endsWith('.civitai.json');
      const open = (d: vscodeTypes.TextDocument) => {
        if (isWorkflow(d)) void connection.sendNotification('textDocument/didOpen', { textDocument: { uri: d.uri.toString(), languageId: 'json', version: d.version, text: d.getText() } });
      };
      vscode.workspace.onDidOpenTextDocument(open);
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isWorkflow(e.document)) return;
        const contentChanges = e.contentChanges.length > 0 ? e.contentChanges.map((c) => ({ range: c.range, text: c.text })) : [{ text: e.document.getText() }];
        void connection.sendNotification('textDocument/didChange', { textDocument: { uri: e.document.uri.toString(), version: e.document.version }, contentChanges });
      });
      for (const d of vscode.workspace.textDocuments) open(d);
      process.on('exit', () => child.kill());
      return {
        configure: (config: WorkflowConfiguration) => void connection.sendNotification(CONFIGURATION_NOTIFICATION, config),
        promptTokens: (params: PromptTokensParams) => connection.sendRequest<PromptTokensResult>(PROMPT_TOKENS_REQUEST, params),
        fixAll: (params: FixAllParams) => connection.sendRequest<FixAllResult | null>(FIX_ALL_REQUEST, params),
        stop: async () => void child.kill(),
      };
    },
  };
}
