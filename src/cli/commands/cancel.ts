// `civitai-workflow cancel ID|KEY [--base-url URL]`: cancels a workflow on the service (which
// deletes it; Buzz is refunded for work that had not started).
import type { CliCommand, CliIO } from '../command';
import { EXIT, makeClient, openTargetRun, PROGRAM, reportApiError, updateRunRecord, withInterrupts, type SessionDeps } from '../session';

const HELP = `Usage: ${PROGRAM} cancel ID|KEY [--base-url URL]

Cancels a workflow: the service stops it and deletes it. Work that had not started is
refunded; Buzz for work already done stays charged. ID is a workflow id; KEY an idempotency
key printed by submit (looked up in .civitai/runs/ under the current directory).

Exit codes: 0 cancelled, 2 usage, 4 authentication, 5 network or service problem,
6 the service no longer has it.
`;

export async function runCancel(args: readonly string[], rawIO: CliIO, deps: SessionDeps): Promise<number> {
  const run = await openTargetRun('cancel', args, rawIO, deps, HELP);
  if (typeof run === 'number') return run;
  const { io, id, target, baseUrl } = run;
  if (!id) {
    io.stderr(`${PROGRAM} cancel: the run ${target} has no workflow id yet; follow it first (${PROGRAM} follow ${target}) to learn it\n`);
    return EXIT.usage;
  }
  const client = makeClient('cancel', baseUrl, io, deps);
  if (typeof client === 'number') return client;
  try {
    await client.cancelWorkflow(id, { signal: deps.signal });
    await updateRunRecord(run, (r) => ({ ...r, status: 'canceled', pendingBody: undefined }));
    io.stdout(`workflow ${id}: cancelled (deleted on the service)\n`);
    return EXIT.ok;
  } catch (e) {
    return reportApiError('cancel', e, io);
  }
}

const cancel: CliCommand = {
  summary: 'cancel a submitted workflow on the service (id or idempotency key)',
  run: (args, io) => withInterrupts((signal) => runCancel(args, io, { env: process.env, signal })),
};

export default cancel;
