// `civitai-workflow status ID|KEY [--base-url URL]`: the current state of a run, fetched once.
import { ApiError, BaseUrlError } from '../../core/api';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';
import {
  EXIT, exitFor, followCommand, makeClient, PROGRAM, redactingIO, resolveBaseUrl, resolveTarget, summary, withInterrupts, type SessionDeps,
} from '../session';

const HELP = `Usage: ${PROGRAM} status ID|KEY [--base-url URL]

Prints a workflow's current status, cost and images once. ID is a workflow id; KEY an
idempotency key printed by submit (looked up in .civitai/runs/ under the current directory).

Exit codes: 0 printed, 2 usage, 4 authentication, 5 network or service problem,
6 the service no longer has it (deleted, or expired 30 days after it ended).
`;

export async function runStatus(args: readonly string[], rawIO: CliIO, deps: SessionDeps): Promise<number> {
  const io = redactingIO(rawIO, deps.env.CIVITAI_API_TOKEN?.trim());
  let target: string;
  let baseOption: string | true | undefined;
  try {
    const parsed = parseArgs(args, { valued: ['base-url'], flags: ['help', 'h'] });
    if (parsed.options.has('help') || parsed.options.has('h')) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (parsed.positionals.length !== 1) throw new UsageError('give one workflow id or idempotency key');
    target = parsed.positionals[0];
    baseOption = parsed.options.get('base-url');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`${PROGRAM} status: ${e.message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { id, record, store } = await resolveTarget(target, io);
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl(baseOption ?? record?.serviceUrl, deps.env);
  } catch (e) {
    if (!(e instanceof BaseUrlError)) throw e;
    io.stderr(`${PROGRAM} status: ${e.message}\n`);
    return EXIT.usage;
  }
  if (!id) {
    io.stdout(`run ${record?.key}: ${record?.status}; the service has not answered with a workflow id yet.\n  re-attach (never pays twice): ${followCommand(target, baseUrl)}\n`);
    return EXIT.ok;
  }
  const client = makeClient('status', baseUrl, io, deps);
  if (typeof client === 'number') return client;
  try {
    const workflow = await client.getWorkflow(id, { signal: deps.signal });
    if (record) await store.update(record.key, (r) => ({ ...r, status: workflow.status })).catch(() => undefined);
    io.stdout(summary(workflow).join('\n') + '\n');
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    io.stderr(`${PROGRAM} status: ${e.message}\n  ${e.hint}\n`);
    return exitFor(e);
  }
}

const status: CliCommand = {
  summary: 'print the current state of a submitted workflow (id or idempotency key)',
  run: (args, io) => withInterrupts((signal) => runStatus(args, io, { env: process.env, signal })),
};

export default status;
