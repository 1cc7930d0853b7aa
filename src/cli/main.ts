// `civitai-workflow <command> …`: a small dispatcher. Each command lives in its own module and
// is loaded only when used; adding one is one entry in COMMANDS.
import { redactCredentialShapes } from '../core/redact';
import { PROGRAM, type CliCommand, type CliIO } from './command';

export const COMMANDS: Readonly<Record<string, () => Promise<{ default: CliCommand }>>> = {
  lint: () => import('./commands/lint'),
  estimate: () => import('./commands/estimate'),
  submit: () => import('./commands/submit'),
  'import-params': () => import('./commands/import-params'),
  lsp: () => import('./commands/lsp'),
  tokens: () => import('./commands/tokens'),
  follow: () => import('./commands/follow'),
  status: () => import('./commands/status'),
  cancel: () => import('./commands/cancel'),
  sweep: () => import('./commands/sweep'),
};

export { PROGRAM } from './command';

export async function usage(io: CliIO): Promise<void> {
  const lines = [`Usage: ${PROGRAM} <command> [options]`, '', 'Commands:'];
  const names = Object.keys(COMMANDS).sort();
  const width = Math.max(...names.map((n) => n.length));
  for (const name of names) {
    const { default: command } = await COMMANDS[name]();
    lines.push(`  ${name.padEnd(width)}  ${command.summary}`);
  }
  lines.push('', `Run \`${PROGRAM} <command> --help\` for a command's options.`);
  io.stdout(lines.join('\n') + '\n');
}

/** Runs the CLI and returns the exit code: 0 success, 1 findings/failure, 2 usage error. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await usage(io);
    return name === undefined ? 2 : 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr(`${PROGRAM}: unknown command '${name}'\n`);
    await usage({ ...io, stdout: io.stderr });
    return 2;
  }
  const { default: command } = await load();
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Whatever went wrong, no credential-shaped text reaches the terminal.
    io.stderr(redactCredentialShapes(`${PROGRAM} ${name}: ${e instanceof Error ? e.message : String(e)}\n`));
    return 1;
  }
}

function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${PROGRAM}: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
