// `civitai-workflow status ID|KEY [--base-url URL]`: the current state of a run, fetched once.
import type { CliCommand, CliIO } from '../command';
import {
  EXIT, followCommand, makeClient, openTargetRun, PROGRAM, reportApiError, summary, updateRunRecord, withInterrupts, type SessionDeps,
} from '../session';

const HELP = `Usage: ${PROGRAM} status ID|KEY [--base-url URL]

Prints a workflow's current status, cost and images once. ID is a workflow id; KEY an
idempotency key printed by submit (looked up in .civitai/runs/ under the current directory).

Exit codes: 0 printed, 2 usage, 4 authentication, 5 network or service problem,
6 the service no longer has it (deleted, or expired 30 days after it ended).
`;

export async function runStatus(args: readonly string[], rawIO: CliIO, deps: SessionDeps): Promise<number> {
  const run = await openTargetRun('status', args, rawIO, deps, HELP);
  if (typeof run === 'number') return run;
  const { io, id, record, target, baseUrl } = run;
  if (!id) {
    io.stdout(`run ${record?.key}: ${record?.status}; the service has not answered with a workflow id yet.\n  re-attach (never pays twice): ${followCommand(target, baseUrl)}\n`);
    return EXIT.ok;
  }
  const client = makeClient('status', baseUrl, io, deps);
  if (typeof client === 'number') return client;
  try {
    const workflow = await client.getWorkflow(id, { signal: deps.signal });
    await updateRunRecord(run, (r) => ({ ...r, status: workflow.status }));
    io.stdout(summary(workflow).join('\n') + '\n');
    return EXIT.ok;
  } catch (e) {
    return reportApiError('status', e, io);
  }
}

const status: CliCommand = {
  summary: 'print the current state of a submitted workflow (id or idempotency key)',
  run: (args, io) => withInterrupts((signal) => runStatus(args, io, { env: process.env, signal })),
};

export default status;
