// `civitai-workflow follow ID|KEY [--wait SECONDS] [--out DIR] [--base-url URL]`: picks up a run
// (by workflow id, or by the idempotency key a submit printed) and follows it to the end, like
// submit does after its POST. A key whose POST never got an answer is re-attached with that same
// key: the service runs a key at most once, so this never pays twice.
import * as path from 'node:path';
import { ApiError, BaseUrlError, type Workflow } from '../../core/api';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';
import {
  EXIT, exitFor, followToEnd, Heartbeat, makeClient, PROGRAM, redactingIO, resolveBaseUrl, resolveTarget, withInterrupts, type SessionDeps,
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
  const io = redactingIO(rawIO, deps.env.CIVITAI_API_TOKEN?.trim());
  let target: string;
  let waitSeconds: number | undefined;
  let outDir: string | undefined;
  let baseOption: string | true | undefined;
  try {
    const parsed = parseArgs(args, { valued: ['wait', 'base-url', 'out'], flags: ['help', 'h'] });
    if (parsed.options.has('help') || parsed.options.has('h')) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (parsed.positionals.length !== 1) throw new UsageError('give one workflow id or idempotency key');
    target = parsed.positionals[0];
    const wait = parsed.options.get('wait');
    if (wait !== undefined) {
      waitSeconds = Number(wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError(`--wait needs a number of seconds, not '${String(wait)}'`);
    }
    const out = parsed.options.get('out');
    outDir = out === undefined ? undefined : path.resolve(io.cwd, String(out));
    baseOption = parsed.options.get('base-url');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`${PROGRAM} follow: ${e.message}\n\n${HELP}`);
    return EXIT.usage;
  }

  const { id, record, store } = await resolveTarget(target, io);
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl(baseOption ?? record?.serviceUrl, deps.env);
  } catch (e) {
    if (!(e instanceof BaseUrlError)) throw e;
    io.stderr(`${PROGRAM} follow: ${e.message}\n`);
    return EXIT.usage;
  }
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
      await store.update(record.key, (r) => ({ ...r, workflowId: workflow.id ?? undefined, status: workflow.status, pendingBody: undefined }));
    } else {
      io.stderr(`${PROGRAM} follow: the run ${target} has no workflow id and nothing left to re-attach with\n`);
      return EXIT.usage;
    }
    heartbeat.stop();
    return await followToEnd({ command: 'follow', client, workflow, deadline, waitSeconds, outDir, store, record, heartbeat }, io, deps);
  } catch (e) {
    heartbeat.stop();
    if (!(e instanceof ApiError)) throw e;
    if (e.kind === 'aborted') {
      io.stderr(`interrupted; run the same command again to keep following ${target}\n`);
      return EXIT.interrupted;
    }
    io.stderr(`${PROGRAM} follow: ${e.message}\n  ${e.hint}\n`);
    return exitFor(e);
  }
}

const follow: CliCommand = {
  summary: 'follow a submitted workflow (id or idempotency key) to the end; save its images',
  run: (args, io) => withInterrupts((signal) => runFollow(args, io, { env: process.env, signal })),
};

export default follow;
