// The language server as its own process for VS Code's client (dist/lsp-server.js, started over
// node IPC by src/extension/diagnostics/languageClient.ts): the lint runs here, never on the extension host.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startWorkflowLanguageServer } from './server';

startWorkflowLanguageServer(createConnection(ProposedFeatures.all));
