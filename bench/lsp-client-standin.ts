// Stands in for dist/lsp-client.js (vscode-languageclient needs far more of VS Code than the bench's
// `vscode` stand-in offers): starts the real dist/lsp-server.js in its own process and keeps it in
// step with the documents the stand-in editor opens and changes (full text, as a client may), so
// the keystroke bench times what the extension host still does with the server's answers.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type * as vscodeTypes from 'vscode';
import { LspTestClient } from '../test/unit/lsp-test-client';
import { DID_LINT_NOTIFICATION, MODEL_PROFILES_NOTIFICATION, type DidLintParams, type VsCodeClientOptions } from '../src/lsp/protocol';

export function lspClientStandIn(vscode: typeof vscodeTypes) {
  return {
    async startWorkflowClient(extensionPath: string, options: { debounceMs: number; modelProfiles: unknown }, onLint: (params: DidLintParams) => void) {
      const child = spawn(process.execPath, [path.join(extensionPath, 'dist', 'lsp-server.js'), '--stdio']);
      const client = new LspTestClient(child, (message) => {
        if (message.method === DID_LINT_NOTIFICATION) onLint(message.params as DidLintParams);
      });
      const initializationOptions: VsCodeClientOptions = { editor: 'vscode', debounceMs: options.debounceMs, modelProfiles: options.modelProfiles };
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
      client.send({ method: 'initialized', params: {} });
      const isWorkflow = (d: vscodeTypes.TextDocument) => d.uri.path.endsWith('.civitai.json');
      const open = (d: vscodeTypes.TextDocument) => {
        if (isWorkflow(d)) client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: d.uri.toString(), languageId: 'json', version: d.version, text: d.getText() } } });
      };
      vscode.workspace.onDidOpenTextDocument(open);
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isWorkflow(e.document)) client.send({ method: 'textDocument/didChange', params: { textDocument: { uri: e.document.uri.toString(), version: e.document.version }, contentChanges: [{ text: e.document.getText() }] } });
      });
      for (const d of vscode.workspace.textDocuments) open(d);
      process.on('exit', () => child.kill());
      return {
        setModelProfiles: (raw: unknown) => client.send({ method: MODEL_PROFILES_NOTIFICATION, params: raw }),
        stop: async () => void child.kill(),
      };
    },
  };
}
