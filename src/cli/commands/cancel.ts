// `civitai-workflow cancel ID|KEY [--base-url URL]`: cancels a workflow on the service (which
// deletes it; Buzz is refunded for work that had not started).
import { ApiError, BaseUrlError } from '../../core/api';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';
import { EXIT, exitFor, makeClient, PROGRAM, redactingIO, resolveBaseUrl, resolveTarget, withInterrupts, type SessionDeps } from '../session';

const HELP = `Usage: ${PROGRAM} cancel ID|KEY [--base-url URL]

Cancels a workflow: the service stops it and deletes it. Work that had not started is
refunded; Buzz for work already done stays charged. ID is a workflow id; KEY an idempotency
key printed by submit (looked up in .civitai/runs/ under the current directory).

Exit codes: 0 cancelled, 2 usage, 4 authentication, 5 network or service problem,
6 the service no longer has it.
`;

export async function runCancel(args: readonly string[], rawIO: CliIO, deps: SessionDeps): Promise<number> {
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
    io.stderr(`${PROGRAM} cancel: ${e.message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { id, record, store } = await resolveTarget(target, io);
  if (!id) {
    io.stderr(`${PROGRAM} cancel: the run ${target} has no workflow id yet; follow it first (${PROGRAM} follow ${target}) to learn it\n`);
    return EXIT.usage;
  }
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl(baseOption ?? record?.serviceUrl, deps.env);
  } catch (e) {
    if (!(e instanceof BaseUrlError)) throw e;
    io.stderr(`${PROGRAM} cancel: ${e.message}\n`);
    return EXIT.usage;
  }
  const client = makeClient('cancel', baseUrl, io, deps);
  if (typeof client === 'number') return client;
  try {
    await client.cancelWorkflow(id, { signal: deps.signal });
    if (record) await store.update(record.key, (r) => ({ ...r, status: 'canceled', pendingBody: undefined })).catch(() => undefined);
    io.stdout(`workflow ${id}: cancelled (deleted on the service)\n`);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    io.stderr(`${PROGRAM} cancel: ${e.message}\n  ${e.hint}\n`);
    return exitFor(e);
  }
}

const cancel: CliCommand = {
  summary: 'cancel a submitted workflow on the service (id or idempotency key)',
  run: (args, io) => withInterrupts((signal) => runCancel(args, io, { env: process.env, signal })),
};

export default cancel;
