// The shape of a CLI subcommand. Commands write through `io` (never process.* directly) so tests
// can run them in-process.

/** The command's name as users type it (and as every message names it). */
export const PROGRAM = 'civitai-workflow';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative file paths are resolved against. */
  cwd: string;
  isTTY: boolean;
}

export interface CliCommand {
  /** One line for `--help`. */
  summary: string;
  /** Returns the exit code: 0 success, 1 findings or failure, 2 usage error. */
  run(args: readonly string[], io: CliIO): Promise<number>;
}

export class UsageError extends Error {}

export interface ParsedArgs {
  options: Map<string, string | true>;
  positionals: string[];
}

/**
 * Minimal option parser: `--name value`, `--name=value`, boolean `--flag`, `--` ends options.
 * `valued` lists the options that take a value; anything not in `valued` or `flags` is a usage error.
 */
export function parseArgs(args: readonly string[], spec: { valued: readonly string[]; flags: readonly string[] }): ParsedArgs {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    if (spec.valued.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      options.set(name, value);
    } else if (spec.flags.includes(name) && eq < 0) {
      options.set(name, true);
    } else {
      throw new UsageError(`unknown option '${arg}'`);
    }
  }
  return { options, positionals };
}

export interface FileCommandArgs {
  format: 'text' | 'json';
  files: string[];
  options: Map<string, string | true>;
}

/**
 * Arguments of a `[--format text|json] [flags] FILE...` command. Returns the exit code instead when
 * it already answered: 0 after printing the help, 2 after a usage error (on stderr, with the help).
 */
export function parseFileCommandArgs(
  command: string,
  args: readonly string[],
  io: CliIO,
  help: string,
  extraFlags: readonly string[] = [],
  extraValued: readonly string[] = [],
): FileCommandArgs | number {
  try {
    const parsed = parseArgs(args, { valued: ['format', ...extraValued], flags: ['help', 'h', ...extraFlags] });
    if (parsed.options.has('help') || parsed.options.has('h')) {
      io.stdout(help);
      return 0;
    }
    const format = String(parsed.options.get('format') ?? 'text');
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (use text or json)`);
    if (parsed.positionals.length === 0) throw new UsageError('no files given');
    return { format, files: parsed.positionals, options: parsed.options };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`civitai-workflow ${command}: ${e.message}\n\n${help}`);
    return 2;
  }
}

/** Why a file could not be read, in a few words. */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
}
