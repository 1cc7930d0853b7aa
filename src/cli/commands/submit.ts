// `civitai-workflow submit FILE [--wait SECONDS] [--whatif] [--base-url URL] [--out DIR]`:
// lint, then run (or price) a workflow on the orchestrator, follow it to the end, print what
// came out and save the images. The token comes from CIVITAI_API_TOKEN and is never printed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  ApiError,
  DEFAULT_BASE_URL,
  failureReasons,
  isTerminalStatus,
  MAX_WAIT_SECONDS,
  OrchestratorClient,
  serverErrorsToFindings,
  workflowBlobs,
  workflowImages,
  type OrchestratorClientOptions,
  type Workflow,
} from '../../core/api';
import { estimateWorkflowCost, formatBuzz } from '../../core/cost/estimate';
import { hasErrors } from '../../core/findings';
import { lintWorkflow } from '../../core/lint';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';
import { formatText } from '../format';
import { RESOURCE_EXIT_CODE, resolveBeforeSpending } from '../resolve';
import { outputExtension } from '../../core/results/file-types';
import { outputTexts, type OutputMedia } from '../../core/results/step-outputs';

/** Output files other than images (videos, audio, 3D models, archives…), saved with --out too. */
const OTHER_FILES: readonly OutputMedia[] = ['video', 'audio', 'model3d', 'file'];

export const EXIT = {
  ok: 0,
  usage: 2,
  validation: 3,
  auth: 4,
  service: 5,
  workflowFailed: 6,
  resource: RESOURCE_EXIT_CODE,
  interrupted: 130,
} as const;

const HELP = `Usage: civitai-workflow submit FILE [--wait SECONDS] [--whatif] [--no-resolve] [--base-url URL] [--out DIR]

Lints FILE, then submits it to the orchestrator and follows it until it ends: prints the
workflow id, status, cost and image URLs, and saves the images when --out is given.
A file with lint errors is not sent. The API token is read from CIVITAI_API_TOKEN.
Before anything is sent, every AIR in the file (checkpoint, LoRAs, embeddings, VAE,
other model fields) is resolved with GET /v2/resources: the service would run (and
bill) its default model for an unknown one. An unknown or unusable resource stops
the submission (exit 7); fees, permission, early access and loading are reported.
When the check itself fails (network, 5xx), the AIRs left unchecked are named and
the submission goes on.

Options:
  --wait SECONDS   wait at most this long for the workflow to end (default: until it ends).
                   The service holds the request up to ${MAX_WAIT_SECONDS} s; polling covers the rest.
                   0 submits and returns at once with the id.
  --whatif         only ask the service for the exact cost; nothing runs, nothing is charged
  --no-resolve     skip resolving the file's AIRs before sending it
  --base-url URL   orchestrator URL (default: $CIVITAI_BASE_URL, else ${DEFAULT_BASE_URL});
                   e.g. the URL printed by \`npm run emulator\`
  --out DIR        save result images into DIR (created if missing)
  -h, --help       show this help

Exit codes:
  0    succeeded (or the cost preview was returned, or --wait ran out while it still runs)
  2    usage error (bad option, missing or unreadable file)
  3    validation: the file has lint errors, or the service refused it (400)
  4    authentication: CIVITAI_API_TOKEN missing, invalid (401) or not allowed (403)
  5    network or service problem (unreachable, timeout, 429/5xx after retries, unreadable answer)
  6    the workflow ran and failed, expired or was canceled
  7    a resource (AIR) is unknown to the service, cannot generate, or is unsupported;
       nothing was sent (see the findings above it; --no-resolve skips the check)
  130  interrupted (Ctrl+C)
`;

/** What the command needs from its surroundings; tests pass their own. */
export interface SubmitDeps {
  env: Record<string, string | undefined>;
  client?: Partial<OrchestratorClientOptions>;
  /** Cancels the run (default: Ctrl+C). */
  signal?: AbortSignal;
}

function exitFor(err: ApiError): number {
  switch (err.kind) {
    case 'validation':
      return EXIT.validation;
    case 'auth':
    case 'forbidden':
      return EXIT.auth;
    case 'aborted':
      return EXIT.interrupted;
    default:
      return EXIT.service;
  }
}

function summary(workflow: Workflow): string[] {
  const lines = [`workflow ${workflow.id ?? '(none)'}: ${workflow.status}`];
  if (workflow.cost) lines.push(`cost: ${workflow.cost.total} Buzz`);
  for (const tx of workflow.transactions?.list ?? []) lines.push(`  ${tx.type} ${tx.amount} ${tx.accountType}`);
  for (const f of failureReasons(workflow)) {
    lines.push(`step ${f.stepName}: ${f.reason}${f.blockedReason ? ` (${f.blockedReason})` : ''}`);
  }
  for (const img of workflowImages(workflow)) {
    const size = img.blob.width && img.blob.height ? ` ${img.blob.width}x${img.blob.height}` : '';
    lines.push(`image ${img.stepName}/${img.blob.id}${size}: ${img.blob.url ?? '(no URL: hidden or blocked)'}`);
  }
  for (const file of workflowBlobs(workflow, OTHER_FILES)) {
    lines.push(`${file.media} ${file.stepName}/${file.path}: ${file.blob.url ?? '(no URL: hidden or blocked)'}`);
  }
  for (const step of workflow.steps) {
    for (const text of outputTexts(step.$type, step.output)) lines.push(`${text.label.toLowerCase()} ${step.name}: ${text.text.split('\n')[0].slice(0, 200)}`);
  }
  return lines;
}

export async function runSubmit(args: readonly string[], io: CliIO, deps: SubmitDeps): Promise<number> {
  let file: string;
  let waitSeconds: number | undefined;
  let whatif: boolean;
  let resolve: boolean;
  let baseUrl: string;
  let outDir: string | undefined;
  try {
    const parsed = parseArgs(args, { valued: ['wait', 'base-url', 'out'], flags: ['whatif', 'no-resolve', 'help', 'h'] });
    if (parsed.options.has('help') || parsed.options.has('h')) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'no file given' : 'submit takes one file');
    file = parsed.positionals[0];
    const wait = parsed.options.get('wait');
    if (wait !== undefined) {
      waitSeconds = Number(wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError(`--wait needs a number of seconds, not '${String(wait)}'`);
    }
    whatif = parsed.options.has('whatif');
    resolve = !parsed.options.has('no-resolve');
    baseUrl = String(parsed.options.get('base-url') ?? deps.env.CIVITAI_BASE_URL ?? DEFAULT_BASE_URL);
    const out = parsed.options.get('out');
    outDir = out === undefined ? undefined : path.resolve(io.cwd, String(out));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`civitai-workflow submit: ${e.message}\n\n${HELP}`);
    return EXIT.usage;
  }

  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`civitai-workflow submit: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return EXIT.usage;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // Lint first: a file the editor would mark with errors is not worth a round trip (or Buzz).
  const { document, findings } = lintWorkflow(text);
  if (hasErrors(findings)) {
    io.stderr(formatText([{ file, findings: findings.filter((f) => f.severity === 'error') }]));
    io.stderr(`civitai-workflow submit: ${file} has errors; not submitted\n`);
    return EXIT.validation;
  }

  const token = deps.env.CIVITAI_API_TOKEN?.trim();
  if (!token) {
    io.stderr('civitai-workflow submit: set CIVITAI_API_TOKEN to your Civitai API token (or any token for a local emulator)\n');
    return EXIT.auth;
  }

  let client: OrchestratorClient;
  try {
    client = new OrchestratorClient({ ...(deps.client ?? {}), baseUrl, token });
  } catch (e) {
    io.stderr(`civitai-workflow submit: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const body = document.value as Record<string, unknown>;

  try {
    // Resolve before spending (issue 13): an unknown AIR would run, and bill, the default model.
    if (resolve) {
      const refused = await resolveBeforeSpending(document, client, io, file, deps.signal);
      if (refused !== undefined) return refused;
    }
    if (whatif) {
      const preview = await client.previewCost(body, { signal: deps.signal });
      const local = estimateWorkflowCost(body).total;
      io.stdout(`cost preview: ${preview.total ?? 'unknown'} Buzz${local !== null ? ` (local estimate ≈ ${formatBuzz(local)})` : ''}\n`);
      for (const tx of preview.workflow.transactions?.list ?? []) io.stdout(`  ${tx.type} ${tx.amount} ${tx.accountType}\n`);
      if (preview.insufficientBuzz) io.stdout('  your Buzz balance is not enough for this workflow\n');
      return EXIT.ok;
    }

    const deadline = waitSeconds === undefined ? undefined : Date.now() + waitSeconds * 1000;
    const { workflow: submitted, externalId } = await client.submitWorkflow(body, {
      wait: Math.min(MAX_WAIT_SECONDS, waitSeconds ?? MAX_WAIT_SECONDS),
      signal: deps.signal,
      // Printed before the request: with it, a re-run re-attaches instead of running twice.
      onExternalId: (key) => io.stderr(`submitting ${file} (externalId ${key})\n`),
    });
    io.stderr(`workflow ${submitted.id}: ${submitted.status}\n`);

    let workflow = submitted;
    if (!isTerminalStatus(workflow.status) && (deadline === undefined || Date.now() < deadline)) {
      const stop = new AbortController();
      const timer = deadline === undefined ? undefined : setTimeout(() => stop.abort(), Math.max(0, deadline - Date.now()));
      const onOuterAbort = (): void => stop.abort();
      deps.signal?.addEventListener('abort', onOuterAbort, { once: true });
      let last = workflow.status as string;
      try {
        workflow = await client.pollUntilTerminal(submitted.id as string, {
          signal: stop.signal,
          onProgress: (p) => {
            if (p.status !== last) io.stderr(`workflow ${p.workflowId}: ${p.status}\n`);
            last = p.status;
            workflow = p.workflow;
          },
        });
      } catch (e) {
        // Our own deadline is not an error: the workflow keeps running upstream.
        if (!(e instanceof ApiError && e.kind === 'aborted' && !deps.signal?.aborted)) throw e;
      } finally {
        if (timer) clearTimeout(timer);
        deps.signal?.removeEventListener('abort', onOuterAbort);
      }
    }

    io.stdout(summary(workflow).join('\n') + '\n');
    if (!isTerminalStatus(workflow.status)) {
      io.stdout(`still ${workflow.status} after ${waitSeconds} s; it keeps running. Re-run with the same file and externalId ${externalId} to follow it.\n`);
      return EXIT.ok;
    }
    if (outDir && workflow.status === 'succeeded') {
      await mkdir(outDir, { recursive: true });
      for (const [i, img] of workflowImages(workflow).entries()) {
        const bytes = await client.downloadImage(img.blob, { signal: deps.signal });
        const name = `${workflow.id}-${img.stepName.replace(/[^A-Za-z0-9_-]/g, '_')}-${i}.png`;
        await writeFile(path.join(outDir, name), bytes);
        io.stdout(`saved ${path.join(outDir, name)}\n`);
      }
      for (const file of workflowBlobs(workflow, OTHER_FILES)) {
        const bytes = await client.downloadImage({ id: file.blob.id, url: file.blob.url ?? null }, { signal: deps.signal });
        const name = `${workflow.id}-${file.stepName.replace(/[^A-Za-z0-9_-]/g, '_')}-${file.path.replace(/[^A-Za-z0-9_-]+/g, '_')}.${outputExtension(bytes, file.media)}`;
        await writeFile(path.join(outDir, name), bytes);
        io.stdout(`saved ${path.join(outDir, name)}\n`);
      }
    }
    return workflow.status === 'succeeded' ? EXIT.ok : EXIT.workflowFailed;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.kind === 'validation' && e.validationErrors) {
      io.stderr(formatText([{ file, findings: serverErrorsToFindings(e.validationErrors, document) }]));
    }
    io.stderr(`civitai-workflow submit: ${e.message}\n  ${e.hint}\n`);
    return exitFor(e);
  }
}

const submit: CliCommand = {
  summary: 'lint, submit and follow a workflow; save its images (CIVITAI_API_TOKEN)',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const interrupt = new AbortController();
    const onSigint = (): void => interrupt.abort();
    process.once('SIGINT', onSigint);
    try {
      return await runSubmit(args, io, { env: process.env, signal: interrupt.signal });
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};

export default submit;
