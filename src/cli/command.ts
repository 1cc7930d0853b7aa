// The shape of a CLI subcommand. Commands write through `io` (never process.* directly) so tests
// can run them in-process.

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
