// `npm run emulator -- [options]`: runs the local orchestrator emulator until Ctrl+C.
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './server';

const HELP = `Usage: npm run emulator -- [options]

Runs a local emulator of the Civitai orchestrator (every step type, stand-in outputs) and prints
its URL. Point the extension at it with the setting civitai.baseUrl, or use the command
"Civitai: Use Local Emulator".

Options:
  --port N            Port to listen on (default 0: any free port)
  --host H            Address to bind (default 127.0.0.1: this machine only)
  --token T           Accept only this bearer token (default: any non-empty token)
  --speed X           Run the clock X times faster than real time (default 1)
  --timing A,B,C,D    Milliseconds per step in unassigned, preparing, scheduled, processing
                      (default 500,1500,1000,3000)
  --url-ttl SECONDS   Lifetime of signed image URLs (default 900)
  --quiet             Do not log requests
  -h, --help          Show this help
`;

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        speed: { type: 'string' },
        timing: { type: 'string' },
        'url-ttl': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const options: EmulatorOptions = {};
  const number = (name: string, value: string | boolean | undefined, check: (n: number) => boolean): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (typeof value !== 'string' || !check(n)) throw new UsageError(`--${name}: invalid value "${String(value)}"`);
    return n;
  };
  try {
    options.port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536);
    options.speed = number('speed', values.speed, (n) => n > 0 && Number.isFinite(n));
    const ttl = number('url-ttl', values['url-ttl'], (n) => n > 0);
    if (ttl !== undefined) options.blobUrlTtlMs = ttl * 1000;
    if (typeof values.timing === 'string') {
      const parts = values.timing.split(',').map(Number);
      if (parts.length !== 4 || parts.some((n) => !(n >= 0))) throw new UsageError('--timing: four non-negative numbers expected, e.g. 500,1500,1000,3000');
      const [unassignedMs, preparingMs, scheduledMs, processingMs] = parts;
      options.timing = { unassignedMs, preparingMs, scheduledMs, processingMs };
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (typeof values.host === 'string') options.host = values.host;
  if (typeof values.token === 'string') {
    if (values.token.trim() === '') {
      process.stderr.write('--token must not be empty\n');
      return 2;
    }
    options.token = values.token;
  }
  if (!values.quiet) options.log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

  const host = options.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(host)) {
    process.stderr.write(`Warning: listening on ${host}, not only on this machine. Other computers on the network can use this emulator.\n`);
  }
  const emulator = await startEmulator(options);
  process.stdout.write(`Civitai orchestrator emulator listening on ${emulator.url}\n`);
  process.stdout.write(options.token ? 'Requests must carry the configured bearer token.\n' : 'Any non-empty bearer token is accepted.\n');
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1; // keep running
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`emulator: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
