// `civitai-workflow lsp --stdio`: the workflow checks as a language server on stdin/stdout, for
// Neovim, Helix or any editor that speaks LSP (see README, "Other editors").
import type { CliCommand, CliIO } from '../command';

const HELP = `Usage: civitai-workflow lsp --stdio

Runs the language server for *.civitai.json files over stdin/stdout: diagnostics with quick fixes,
prompt completions and hovers, and the cost estimate as CodeLens.
`;

const lsp: CliCommand = {
  summary: 'run the language server for other editors (--stdio)',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    if (args.includes('-h') || args.includes('--help')) {
      io.stdout(HELP);
      return 0;
    }
    if (args.length !== 1 || args[0] !== '--stdio') {
      io.stderr(`civitai-workflow lsp: the only transport is --stdio\n\n${HELP}`);
      return 2;
    }
    const { createConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node');
    const { startWorkflowLanguageServer } = await import('../../lsp/server');
    const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
    startWorkflowLanguageServer(connection);
    // Runs until the client sends exit (the connection ends the process) or closes stdin.
    return new Promise<number>((resolve) => process.stdin.on('end', () => resolve(0)));
  },
};

export default lsp;
