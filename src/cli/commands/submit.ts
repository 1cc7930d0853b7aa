// `civitai-workflow submit FILE …`: lint, then run (or price) a workflow on the orchestrator,
// follow it to the end, print what came out and save the images. The token comes from
// CIVITAI_API_TOKEN and is never printed. A run record (idempotency key + body digest) is written
// under `.civitai/runs/` BEFORE the POST: re-running the same unchanged body re-attaches to that
// run instead of paying again (`--new` really submits again).
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ApiError, BaseUrlError, isValidExternalId, MAX_WAIT_SECONDS, serverErrorsToFindings, generateExternalId, DEFAULT_BASE_URL } from '../../core/api';
import { estimateWorkflowCost, formatBuzz } from '../../core/cost/estimate';
import { hasErrors } from '../../core/findings';
import { bodyDigest } from '../../core/history/body-digest';
import { newRunRecord, RUNS_FOLDER, type RunRecord } from '../../core/history/run-records';
import { lintWorkflow } from '../../core/lint';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';
import { formatText } from '../format';
import { resolveBeforeSpending } from '../resolve';
import {
  EXIT, exitFor, followCommand, followToEnd, Heartbeat, makeClient, PROGRAM, redactingIO, resolveBaseUrl, runStore, withInterrupts,
  type SessionDeps,
} from '../session';

export { EXIT } from '../session';
export type SubmitDeps = SessionDeps;

const HELP = `Usage: ${PROGRAM} submit FILE [--yes | --max-cost BUZZ] [--wait SECONDS] [--out DIR]
                              [--new] [--external-id KEY] [--whatif] [--no-resolve] [--base-url URL]

Lints FILE, then submits it to the orchestrator and follows it until it ends: prints the
workflow id, status, cost and image URLs, and saves the images when --out is given.
A file with lint errors is not sent. The API token is read from CIVITAI_API_TOKEN.

Never pays twice: before anything is sent, the run's idempotency key is saved in
${RUNS_FOLDER}/ (under the current directory). Running the same unchanged file again
re-attaches to that run (even after Ctrl+C, a kill or a lost connection) instead of
submitting it again, unless it failed, expired or was cancelled. --new submits again.

Before anything is sent, every AIR in the file (checkpoint, LoRAs, embeddings, VAE, other
model fields) is resolved with GET /v2/resources: the service would run (and bill) its
default model for an unknown one. An unknown or unusable resource stops the submission
(exit 8); fees, permission, early access and loading are reported. When the check itself
fails (network, 5xx), the AIRs left unchecked are named and the submission goes on.

Spending guard: without a terminal on stdin (CI, scripts), submit refuses unless --yes or
--max-cost is given.

Options:
  --yes              submit without a terminal (accept whatever it costs)
  --max-cost BUZZ    ask the service for the exact cost first (whatif) and submit only if it
                     is at most BUZZ; implies --yes
  --wait SECONDS     wait at most this long for the workflow to end (default: until it ends).
                     The service holds the request up to ${MAX_WAIT_SECONDS} s; polling covers the rest.
                     0 submits and returns at once with the id.
  --out DIR          save result images into DIR (created if missing)
  --new              submit again even if this body already ran (charges again)
  --external-id KEY  use KEY as the idempotency key (1-128 of A-Z a-z 0-9 _ -); the same KEY
                     never runs twice
  --whatif           only ask the service for the exact cost; nothing runs, nothing is charged
  --no-resolve       skip resolving the file's AIRs before sending it
  --base-url URL     orchestrator URL (default: $CIVITAI_BASE_URL, else ${DEFAULT_BASE_URL});
                     e.g. the URL printed by \`npm run emulator\`
  -h, --help         show this help

Picking a run up again (any interruption prints the exact command):
  ${PROGRAM} follow ID|KEY [--out DIR]   follow to the end, save the images
  ${PROGRAM} status ID|KEY               print the current state once
  ${PROGRAM} cancel ID|KEY               cancel it on the service

Exit codes:
  0    succeeded (or the cost preview was returned, or --wait ran out while it still runs)
  2    usage error (bad option, missing or unreadable file, no terminal without --yes)
  3    validation: the file has lint errors, or the service refused it (400)
  4    authentication: CIVITAI_API_TOKEN missing, invalid (401) or not allowed (403)
  5    network or service problem (unreachable, timeout, 429/5xx after retries, unreadable answer)
  6    the workflow ran and failed, expired or was canceled (or the service no longer has it)
  7    the service's price is above --max-cost: nothing was submitted
  8    a resource (AIR) is unknown to the service, cannot generate, or is unsupported;
       nothing was sent (see the findings above it; --no-resolve skips the check)
  130  interrupted (Ctrl+C, SIGTERM): the id or key and the command to follow it are printed
`;

interface SubmitOptions {
  file: string;
  waitSeconds?: number;
  whatif: boolean;
  baseUrl: string;
  outDir?: string;
  fresh: boolean;
  externalId?: string;
  yes: boolean;
  maxCost?: number;
  resolve: boolean;
}

function parse(args: readonly string[], io: CliIO, deps: SessionDeps): SubmitOptions | 'help' {
  const parsed = parseArgs(args, {
    valued: ['wait', 'base-url', 'out', 'external-id', 'max-cost'],
    flags: ['whatif', 'new', 'yes', 'y', 'no-resolve', 'help', 'h'],
  });
  if (parsed.options.has('help') || parsed.options.has('h')) return 'help';
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'no file given' : 'submit takes one file');
  const options: SubmitOptions = {
    file: parsed.positionals[0],
    whatif: parsed.options.has('whatif'),
    baseUrl: '',
    fresh: parsed.options.has('new'),
    yes: parsed.options.has('yes') || parsed.options.has('y'),
    resolve: !parsed.options.has('no-resolve'),
  };
  const wait = parsed.options.get('wait');
  if (wait !== undefined) {
    options.waitSeconds = Number(wait);
    if (!Number.isFinite(options.waitSeconds) || options.waitSeconds < 0) throw new UsageError(`--wait needs a number of seconds, not '${String(wait)}'`);
  }
  const maxCost = parsed.options.get('max-cost');
  if (maxCost !== undefined) {
    options.maxCost = Number(maxCost);
    if (maxCost === true || String(maxCost).trim() === '' || !Number.isFinite(options.maxCost) || options.maxCost < 0) {
      throw new UsageError(`--max-cost needs a number of Buzz, not '${String(maxCost)}'`);
    }
  }
  const key = parsed.options.get('external-id');
  if (key !== undefined) {
    if (!isValidExternalId(key)) throw new UsageError('--external-id needs 1-128 characters of A-Z, a-z, 0-9, "_" or "-"');
    options.externalId = key;
  }
  if (options.fresh && options.externalId) throw new UsageError('--new and --external-id do not go together (a key never runs twice)');
  try {
    options.baseUrl = resolveBaseUrl(parsed.options.get('base-url'), deps.env);
  } catch (e) {
    if (e instanceof BaseUrlError) throw new UsageError(e.message);
    throw e;
  }
  const out = parsed.options.get('out');
  options.outDir = out === undefined ? undefined : path.resolve(io.cwd, String(out));
  return options;
}

export async function runSubmit(args: readonly string[], rawIO: CliIO, deps: SessionDeps): Promise<number> {
  const io = redactingIO(rawIO, deps.env.CIVITAI_API_TOKEN?.trim());
  let opts: SubmitOptions;
  try {
    const parsed = parse(args, io, deps);
    if (parsed === 'help') {
      io.stdout(HELP);
      return EXIT.ok;
    }
    opts = parsed;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`${PROGRAM} submit: ${e.message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { file } = opts;

  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`${PROGRAM} submit: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return EXIT.usage;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // Lint first: a file the editor would mark with errors is not worth a round trip (or Buzz).
  const { document, findings } = lintWorkflow(text);
  if (hasErrors(findings)) {
    io.stderr(formatText([{ file, findings: findings.filter((f) => f.severity === 'error') }]));
    io.stderr(`${PROGRAM} submit: ${file} has errors; not submitted\n`);
    return EXIT.validation;
  }

  const client = makeClient('submit', opts.baseUrl, io, deps);
  if (typeof client === 'number') return client;
  const body = document.value as Record<string, unknown>;
  const heartbeat = new Heartbeat(io, deps.heartbeatMs ?? 10_000, 'waiting for the service');

  // Spending guard: a script or CI job must say it accepts the cost.
  const stdinIsTTY = deps.stdinIsTTY ?? process.stdin.isTTY === true;
  if (!opts.whatif && !stdinIsTTY && !opts.yes && opts.maxCost === undefined) {
    io.stderr(`${PROGRAM} submit: no terminal on stdin, so nobody can confirm spending Buzz: pass --yes, or --max-cost BUZZ to submit only up to that price. Nothing was sent.\n`);
    return EXIT.usage;
  }

  let record: RunRecord | undefined;
  try {
    // Resolve before spending: an unknown AIR would run, and bill, the service's default model.
    if (opts.resolve) {
      const refused = await resolveBeforeSpending(document, client, io, file, deps.signal);
      if (refused !== undefined) return refused;
    }
    if (opts.whatif) {
      heartbeat.start('asking the service for the price');
      const preview = await client.previewCost(body, { signal: deps.signal });
      heartbeat.stop();
      const local = estimateWorkflowCost(body).total;
      io.stdout(`cost preview: ${preview.total ?? 'unknown'} Buzz${local !== null ? ` (local estimate ≈ ${formatBuzz(local)})` : ''}\n`);
      for (const tx of preview.workflow.transactions?.list ?? []) io.stdout(`  ${tx.type} ${tx.amount} ${tx.accountType}\n`);
      if (preview.insufficientBuzz) io.stdout('  your Buzz balance is not enough for this workflow\n');
      return EXIT.ok;
    }

    const store = runStore(io);
    const digest = bodyDigest(body);
    // An earlier run of this body (or of this key) is followed, not paid for again.
    const earlier = opts.fresh ? undefined : opts.externalId ? await store.read(opts.externalId) : await store.findReattachable(digest, client.baseUrl);
    if (earlier && earlier.bodyDigest !== digest) {
      io.stderr(`${PROGRAM} submit: key ${earlier.key} was used for a different body${earlier.file ? ` (${earlier.file})` : ''}; choose another --external-id. Nothing was sent.\n`);
      return EXIT.usage;
    }
    if (earlier && earlier.serviceUrl !== client.baseUrl) {
      io.stderr(`${PROGRAM} submit: key ${earlier.key} belongs to a run on ${earlier.serviceUrl}; use --base-url ${earlier.serviceUrl}, or --new. Nothing was sent.\n`);
      return EXIT.usage;
    }
    const deadline = opts.waitSeconds === undefined ? undefined : Date.now() + opts.waitSeconds * 1000;
    if (earlier?.workflowId) {
      record = earlier;
      io.stderr(`${file} already ran as workflow ${earlier.workflowId} (${earlier.status}, key ${earlier.key}): following it instead of paying again. Use --new to run it again.\n`);
      heartbeat.start(`fetching workflow ${earlier.workflowId}`);
      const workflow = await client.getWorkflow(earlier.workflowId, { signal: deps.signal }).finally(() => heartbeat.stop());
      return await followToEnd({ command: 'submit', client, workflow, deadline, waitSeconds: opts.waitSeconds, outDir: opts.outDir, store, record: earlier, heartbeat }, io, deps);
    }

    if (opts.maxCost !== undefined) {
      heartbeat.start('asking the service for the price');
      const preview = await client.previewCost(body, { signal: deps.signal }).finally(() => heartbeat.stop());
      if (preview.total === null) {
        io.stderr(`${PROGRAM} submit: the service gave no price, so --max-cost ${opts.maxCost} cannot be checked. Nothing was submitted.\n`);
        return EXIT.overBudget;
      }
      if (preview.total > opts.maxCost) {
        io.stderr(`${PROGRAM} submit: the service prices this at ${preview.total} Buzz, above --max-cost ${opts.maxCost}. Nothing was submitted.\n`);
        return EXIT.overBudget;
      }
      io.stderr(`price ${preview.total} Buzz (at most ${opts.maxCost}): submitting\n`);
    }

    const key = earlier?.key ?? opts.externalId ?? (isValidExternalId(body.externalId) && !opts.fresh ? body.externalId : generateExternalId());
    record = earlier ?? (await store.write(newRunRecord({ key, serviceUrl: client.baseUrl, bodyDigest: digest, body, file, by: 'cli' })));
    io.stderr(
      earlier
        ? `re-attaching to the interrupted submission of ${file} (idempotency key ${key}): the service runs it at most once\n`
        : `submitting ${file} (idempotency key ${key}, saved in ${path.relative(io.cwd, store.fileFor(key))})\n`,
    );
    const wait = Math.min(MAX_WAIT_SECONDS, opts.waitSeconds ?? MAX_WAIT_SECONDS);
    heartbeat.start(`waiting for the service to accept ${file} (key ${key})`);
    let submitted;
    try {
      submitted = await client.submitWorkflow(body, {
        wait: earlier ? 0 : wait,
        signal: deps.signal,
        externalId: key,
      });
    } finally {
      heartbeat.stop();
    }
    const workflow = submitted.workflow;
    record = (await store.update(key, (r) => ({ ...r, workflowId: workflow.id ?? undefined, status: workflow.status, pendingBody: undefined }))) ?? record;
    io.stderr(`workflow ${workflow.id}: ${workflow.status}\n`);
    return await followToEnd({ command: 'submit', client, workflow, deadline, waitSeconds: opts.waitSeconds, outDir: opts.outDir, store, record, heartbeat }, io, deps);
  } catch (e) {
    heartbeat.stop();
    if (!(e instanceof ApiError)) throw e;
    const store = runStore(io);
    const again = record ? followCommand(record.workflowId ?? record.key, client.baseUrl, opts.outDir, io.cwd) : undefined;
    if (record && !record.workflowId && (e.kind === 'validation' || e.kind === 'auth' || e.kind === 'forbidden')) {
      // Refused: nothing was created or charged; a re-run submits afresh.
      await store.update(record.key, (r) => ({ ...r, status: 'rejected', pendingBody: undefined })).catch(() => undefined);
    }
    if (e.kind === 'validation' && e.validationErrors) {
      io.stderr(formatText([{ file, findings: serverErrorsToFindings(e.validationErrors, document) }]));
    }
    if (e.kind === 'aborted') {
      io.stderr(
        record?.workflowId
          ? `interrupted: workflow ${record.workflowId} was not cancelled.\n  follow it: ${again}\n`
          : record
          ? `interrupted before the service answered: the submission may have reached it (idempotency key ${record.key}).\n  follow it without paying twice: ${again}\n  (or run the same submit command again)\n`
          : `interrupted; nothing was submitted.\n`,
      );
      return EXIT.interrupted;
    }
    io.stderr(`${PROGRAM} submit: ${e.message}\n  ${e.hint}\n`);
    if (record?.workflowId && again) {
      io.stderr(`  workflow ${record.workflowId} is on the service; pick it up again: ${again}\n`);
    } else if (record && again && !['validation', 'auth', 'forbidden'].includes(e.kind)) {
      io.stderr(`  the submission may have reached the service (idempotency key ${record.key}); follow it without paying twice: ${again}\n`);
    }
    return exitFor(e);
  }
}

const submit: CliCommand = {
  summary: 'lint, submit and follow a workflow; save its images (CIVITAI_API_TOKEN)',
  run: (args, io) => withInterrupts((signal) => runSubmit(args, io, { env: process.env, signal })),
};

export default submit;
