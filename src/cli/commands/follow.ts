// `civitai-workflow follow ID|KEY [--wait SECONDS] [--out DIR] [--base-url URL]`: picks up a run
// (by workflow id, or by the idempotency key a submit printed) and follows it to the end, like
// submit does after its POST. A key whose POST never got an answer is re-attached with that same
// key: the service runs a key at most once, so this never pays twice.
import * as path from 'node:path';
import { ApiError, type Workflow } from '../../core/api';
import type { CliCommand, CliIO } from '../command';
import {
  EXIT, followToEnd, Heartbeat, makeClient, openTargetRun, PROGRAM, reportApiError, withInterrupts,
  type SessionDeps,
} from '../session';

const HELP = `Usage: ${PROGRAM} follow ID|KEY [--wait SECONDS] [--out DIR] [--base-url URL]

Follows a workflow until it ends, prints its summary and saves the images when --out is
given. ID is a workflow id; KEY an idempotency key printed by submit (looked up in
.civitai/runs/ under the current directory, which also gives the service's URL).

Options:
  --wait SECONDS   stop following after this long (the workflow keeps running)
  --out DIR        save result images into DIR (created if missing)
  --base-url URL   orchestrator URL (default: the run's, else $CIVITAI_BASE_URL, else Civitai)
  -h, --help       show this help

Exit codes: 0 succeeded (or still running when --wait ran out), 2 usage, 4 authentication,
5 network or service problem, 6 failed, expired, canceled or no longer on the service,
130 interrupted.
`;

export async function runFollow(args: readonly string[], rawIO: CliIO, deps: SessionDeps): Promise<number> {
  const run = await openTargetRun('follow', args, rawIO, deps, HELP, ['wait', 'out']);
  if (typeof run === 'number') return run;
  const { io, target, options, id, record, store, baseUrl } = run;
  const wait = options.get('wait');
  const waitSeconds = wait === undefined ? undefined : Number(wait);
  if (waitSeconds !== undefined && (!Number.isFinite(waitSeconds) || waitSeconds < 0)) {
    io.stderr(`${PROGRAM} follow: --wait needs a number of seconds, not '${String(wait)}'\n\n${HELP}`);
    return EXIT.usage;
  }
  const out = options.get('out');
  const outDir = out === undefined ? undefined : path.resolve(io.cwd, String(out));
  const client = makeClient('follow', baseUrl, io, deps);
  if (typeof client === 'number') return client;
  const heartbeat = new Heartbeat(io, deps.heartbeatMs ?? 10_000, `fetching ${target}`);
  const deadline = waitSeconds === undefined ? undefined : Date.now() + waitSeconds * 1000;
  try {
    heartbeat.start();
    let workflow: Workflow;
    if (id) {
      workflow = await client.getWorkflow(id, { signal: deps.signal });
    } else if (record && record.pendingBody !== undefined) {
      io.stderr(`re-attaching with idempotency key ${record.key}: the service runs it at most once\n`);
      workflow = (await client.submitWorkflow(record.pendingBody, { wait: 0, externalId: record.key, signal: deps.signal })).workflow;
      const attached = workflow;
      await store.update(record.key, (r) => ({ ...r, workflowId: attached.id ?? undefined, status: attached.status, pendingBody: undefined }));
    } else {
      io.stderr(`${PROGRAM} follow: the run ${target} has no workflow id and nothing left to re-attach with\n`);
      return EXIT.usage;
    }
    heartbeat.stop();
    return await followToEnd({ command: 'follow', client, workflow, deadline, waitSeconds, outDir, store, record, heartbeat }, io, deps);
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'aborted') {
      io.stderr(`interrupted; run the same command again to keep following ${target}\n`);
      return EXIT.interrupted;
    }
    return reportApiError('follow', e, io);
  } finally {
    heartbeat.stop();
  }
}

const follow: CliCommand = {
  summary: 'follow a submitted workflow (id or idempotency key) to the end; save its images',
  run: (args, io) => withInterrupts((signal) => runFollow(args, io, { env: process.env, signal })),
};

export default follow;
