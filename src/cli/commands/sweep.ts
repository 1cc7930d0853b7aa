// `civitai-workflow sweep FILE [AXIS...]`: one workflow, a grid of results, priced before paying.
// The axes come from the command line (`cfgScale=4,6,8 sampleMethod=euler,dpm++2m`) or from the
// sweep file beside the workflow (NAME.sweep.json). Every body is linted, priced locally and quoted
// by the service (whatif) before anything is submitted; each body's idempotency key is derived from
// its content, so re-running the same sweep re-attaches to the workflows it already started
// instead of paying again (`--new` really submits again).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ApiError, BaseUrlError, DEFAULT_BASE_URL, isTerminalStatus, type OrchestratorClient, type Workflow } from '../../core/api';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { formatBuzz } from '../../core/cost/estimate';
import { hasErrors } from '../../core/findings';
import { lintWorkflow } from '../../core/lint';
import { imageParametersText, resultImageWithParameters } from '../../core/results/image-parameters';
import {
  estimateSweepCost,
  expandSweep,
  parseAxisWord,
  loadWildcards,
  parseSweepSpec,
  promptTexts,
  quoteSweep,
  sweepBodyErrors,
  sweepKey,
  SweepSpecError,
  sweepFileBeside,
  workflowFileBeside,
  type ExpandedSweep,
  type SweepSpec,
} from '../../core/sweep';
import { composeSweepGrid, type GridImage } from '../../core/sweep/grid';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';
import { formatText } from '../format';
import { resolveBeforeSpending } from '../resolve';
import { EXIT, exitFor, makeClient, pollUntilEndOrDeadline, redactingIO, resolveBaseUrl, saveWorkflowImages, withInterrupts, type SessionDeps } from '../session';

/** The same exit codes as submit (7: above --max-cost, 8: an unknown or unusable resource). */
export const SWEEP_EXIT = EXIT;

const HELP = `Usage: civitai-workflow sweep FILE [AXIS...] [options]

Expands one step of the workflow FILE into a grid of cells (up to three axes: X, Y, Z), lints
every cell, prices the whole sweep (local estimate, then the service's whatif quote) and submits
it. Without AXIS words the axes come from the sweep file: FILE itself when it ends in .sweep.json,
else NAME.sweep.json beside NAME.civitai.json.

Axes (A1111's X/Y/Z plot syntax):
  cfgScale=4,6,8              a list                 steps=10-30(+10)    a range with an increment
  denoise=0.3-0.9[4]          a range with a count   seed=1-4            integers
  size=832x1216,1024x1024     width × height         sampleMethod=euler,dpm++2m
  lora:AIR=0.4-1.0[4]         a LoRA's strength      replace:red=red,blue  prompt search/replace
  prompt=variants             every dynamic-prompt variant ({a|b}, __wildcard__); prompt=variants:8 picks 8

Options:
  --step NAME|INDEX   the step to sweep (default: the first imageGen or textToImage step)
  --seed N            seeds dynamic-prompt choices (same sweep → same bodies)
  --wildcards DIR     folder of wildcard files NAME.txt (default: ./wildcards)
  --max-cost N        refuse (exit 7) when the service's quote is above N Buzz
  --yes               submit without asking (at a terminal the price is asked for with y/N;
                      without one, --yes or --max-cost is required)
  --whatif            print the cells and the quote; submit nothing
  --write DIR         write the expanded bodies into DIR and stop (no network)
  --new               submit again even if this exact sweep was submitted before
  --wait SECONDS      follow the workflows at most this long (default: until they end)
  --out DIR           save every cell's image, sweep.json (cell → parameters → files) and grid.png
  --no-resolve        skip resolving the workflow's AIRs (models, LoRAs) before paying
  --base-url URL      orchestrator URL (default: $CIVITAI_BASE_URL, else ${DEFAULT_BASE_URL})
  -h, --help          show this help

Exit codes: 0 done; 2 usage; 3 a cell has lint errors or the service refused it; 4 token missing
or refused; 5 network or service problem; 6 a workflow failed; 7 the quote is above --max-cost;
8 a model or LoRA the service does not know or cannot use; 130 interrupted (the workflow ids are
printed: re-run the same command to follow them, nothing is paid twice).
`;

export interface SweepDeps extends SessionDeps {
  /** Asks a person at a terminal; absent when nobody can be asked (CI, a pipe). */
  confirm?: (question: string) => Promise<boolean>;
}

/** A y/N question on the terminal (stdin and stderr), for the price of a sweep. */
async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

interface Options {
  file: string;
  axes: string[];
  step?: string;
  seed?: number;
  wildcards?: string;
  maxCost?: number;
  yes: boolean;
  whatif: boolean;
  write?: string;
  fresh: boolean;
  wait?: number;
  out?: string;
  baseUrl: string;
  resolve: boolean;
}

function parseOptions(args: readonly string[], env: SweepDeps['env']): Options | 'help' {
  const parsed = parseArgs(args, {
    valued: ['step', 'seed', 'wildcards', 'max-cost', 'write', 'wait', 'out', 'base-url'],
    flags: ['yes', 'whatif', 'new', 'no-resolve', 'help', 'h'],
  });
  if (parsed.options.has('help') || parsed.options.has('h')) return 'help';
  const [file, ...axes] = parsed.positionals;
  if (!file) throw new UsageError('no file given');
  const number = (name: string): number | undefined => {
    const raw = parsed.options.get(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} needs a non-negative number, not '${String(raw)}'`);
    return value;
  };
  const text = (name: string): string | undefined => {
    const raw = parsed.options.get(name);
    return raw === undefined ? undefined : String(raw);
  };
  return {
    file, axes, step: text('step'), seed: number('seed'), wildcards: text('wildcards'), maxCost: number('max-cost'),
    yes: parsed.options.has('yes'), whatif: parsed.options.has('whatif'), write: text('write'), fresh: parsed.options.has('new'),
    wait: number('wait'), out: text('out'), baseUrl: baseUrlOf(text('base-url'), env), resolve: !parsed.options.has('no-resolve'),
  };
}

function baseUrlOf(option: string | undefined, env: SweepDeps['env']): string {
  try {
    return resolveBaseUrl(option, env);
  } catch (e) {
    if (e instanceof BaseUrlError) throw new UsageError(e.message);
    throw e;
  }
}

async function readJson(file: string): Promise<{ text: string; value?: unknown }> {
  let text = await readFile(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    return { text };
  }
}

/** The workflow file and the sweep spec, from the command line or the sweep file. */
async function loadSweep(options: Options, cwd: string): Promise<{ workflowFile: string; workflowText: string; spec: SweepSpec }> {
  const given = path.resolve(cwd, options.file);
  let workflowFile = given;
  let specValue: unknown;
  if (given.endsWith('.sweep.json')) {
    const sweep = await readJson(given);
    if (sweep.value === undefined) throw new SweepSpecError(`${options.file} is not valid JSON`);
    specValue = sweep.value;
    const named = (sweep.value as { workflow?: unknown }).workflow;
    workflowFile = typeof named === 'string' ? path.resolve(path.dirname(given), named) : workflowFileBeside(given);
  } else if (options.axes.length === 0) {
    const beside = sweepFileBeside(given);
    const sweep = await readJson(beside).catch(() => undefined);
    if (!sweep) throw new UsageError(`no axes given and no sweep file ${path.relative(cwd, beside)} beside the workflow`);
    if (sweep.value === undefined) throw new SweepSpecError(`${path.relative(cwd, beside)} is not valid JSON`);
    specValue = sweep.value;
  }
  const base = specValue === undefined ? { axes: [] } : parseSweepSpec(specValue);
  const axes = options.axes.length > 0 ? options.axes.map(parseAxisWord) : base.axes;
  const stepOption = options.step === undefined ? undefined : /^\d+$/.test(options.step) ? Number(options.step) : options.step;
  const spec = parseSweepSpec({ ...base, axes, ...(stepOption !== undefined ? { step: stepOption } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  const workflowText = (await readJson(workflowFile)).text;
  return { workflowFile, workflowText, spec };
}

function describe(sweep: ExpandedSweep): string {
  const shape = sweep.axes.map((a) => `${a.values.length} ${a.label}`).join(' × ');
  return `${sweep.cells.length} cells (${shape}) in ${sweep.bodies.length} workflow${sweep.bodies.length === 1 ? '' : 's'}`;
}

export async function runSweep(args: readonly string[], rawIO: CliIO, deps: SweepDeps): Promise<number> {
  const io = redactingIO(rawIO, deps.env.CIVITAI_API_TOKEN?.trim());
  let options: Options;
  try {
    const parsed = parseOptions(args, deps.env);
    if (parsed === 'help') {
      io.stdout(HELP);
      return SWEEP_EXIT.ok;
    }
    options = parsed;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`civitai-workflow sweep: ${e.message}\n\n${HELP}`);
    return SWEEP_EXIT.usage;
  }

  let sweep: ExpandedSweep;
  let workflowFile: string;
  let workflowText = '';
  try {
    const loaded = await loadSweep(options, io.cwd);
    workflowFile = loaded.workflowFile;
    workflowText = loaded.workflowText;
    const { document, findings } = lintWorkflow(loaded.workflowText);
    if (hasErrors(findings)) {
      io.stderr(formatText([{ file: path.relative(io.cwd, workflowFile), findings: findings.filter((f) => f.severity === 'error') }]));
      io.stderr('civitai-workflow sweep: the workflow has errors; fix them before sweeping it\n');
      return SWEEP_EXIT.validation;
    }
    const wildcardDir = path.resolve(io.cwd, options.wildcards ?? 'wildcards');
    const wildcards = await loadWildcards(promptTexts(document.value), (name) => readFile(path.join(wildcardDir, `${name}.txt`), 'utf8'));
    sweep = expandSweep(document.value, loaded.spec, { wildcards: (name) => wildcards.get(name) });
  } catch (e) {
    if (e instanceof SweepSpecError || e instanceof UsageError) {
      io.stderr(`civitai-workflow sweep: ${e.message}\n`);
      return SWEEP_EXIT.usage;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      io.stderr(`civitai-workflow sweep: cannot read ${(e as NodeJS.ErrnoException).path ?? options.file}: no such file\n`);
      return SWEEP_EXIT.usage;
    }
    throw e;
  }

  // Every cell is linted: a value the contract refuses (an unknown sampler, a size out of range) is
  // named with its cell, before any money is involved.
  const invalid = sweepBodyErrors(sweep);
  for (const { body, errors } of invalid) io.stderr(formatText([{ file: `sweep body ${body + 1}`, findings: errors }]));
  if (invalid.length > 0) {
    io.stderr('civitai-workflow sweep: some cells are not valid requests; change the axis values above\n');
    return SWEEP_EXIT.validation;
  }

  const estimate = estimateSweepCost(sweep);
  io.stdout(`${describe(sweep)}\n`);
  for (const axis of sweep.axes) io.stdout(`  ${axis.axis.toUpperCase()}: ${axis.label} = ${axis.values.join(', ')}\n`);
  io.stdout(`estimate: ${estimate.total !== null ? `≈ ${formatBuzz(estimate.total)} Buzz`
    : `≈ ${formatBuzz(estimate.known)} Buzz for the priced steps; no published price for ${estimate.unknownSteps.length} (the quote below has it)`}\n`);
  for (const note of sweep.notes) io.stdout(`note: ${note}\n`);

  if (options.write) {
    const dir = path.resolve(io.cwd, options.write);
    await mkdir(dir, { recursive: true });
    const stem = path.basename(workflowFile).replace(/(\.civitai)?\.json$/, '');
    for (const [i, body] of sweep.bodies.entries()) {
      const out = path.join(dir, `${stem}.sweep-${i + 1}.civitai.json`);
      await writeFile(out, JSON.stringify(body, null, 2) + '\n');
      io.stdout(`wrote ${path.relative(io.cwd, out)}\n`);
    }
    return SWEEP_EXIT.ok;
  }

  const client = makeClient('sweep', options.baseUrl, io, deps);
  if (typeof client === 'number') return client;

  const keys = sweep.bodies.map((body) => sweepKey(body, options.fresh ? Date.now().toString(36) : undefined));
  const workflowIds: string[] = [];
  try {
    // Every cell names the same models: resolving the workflow once checks them all before paying.
    if (options.resolve) {
      const refused = await resolveBeforeSpending(parseWorkflowDocument(workflowText), client, io, path.relative(io.cwd, workflowFile), deps.signal, 'sweep');
      if (refused !== undefined) return refused;
    }
    const quote = await quoteSweep(sweep.bodies, client, deps.signal);
    io.stdout(`quote: ${formatBuzz(quote)} Buzz for ${sweep.cells.length} cells (service whatif)\n`);
    if (options.whatif) return SWEEP_EXIT.ok;
    if (options.maxCost !== undefined && quote > options.maxCost) {
      io.stderr(`civitai-workflow sweep: the quote (${formatBuzz(quote)} Buzz) is above --max-cost ${options.maxCost}; nothing submitted\n`);
      return SWEEP_EXIT.overBudget;
    }
    if (options.maxCost === undefined && !options.yes) {
      if (!deps.confirm) {
        io.stderr('civitai-workflow sweep: not submitting without --yes or --max-cost N (no terminal to confirm in)\n');
        return SWEEP_EXIT.usage;
      }
      if (!(await deps.confirm(`Submit ${sweep.cells.length} cells for ${formatBuzz(quote)} Buzz? [y/N] `))) {
        io.stderr('civitai-workflow sweep: not submitted\n');
        return SWEEP_EXIT.ok;
      }
    }

    for (const [i, body] of sweep.bodies.entries()) {
      io.stderr(`submitting part ${i + 1}/${sweep.bodies.length} (externalId ${keys[i]})\n`);
      const { workflow } = await client.submitWorkflow(body, { externalId: keys[i], wait: 0, signal: deps.signal });
      workflowIds.push(workflow.id as string);
      io.stdout(`workflow ${workflow.id}: ${workflow.status} (part ${i + 1})\n`);
    }

    const deadline = options.wait === undefined ? undefined : Date.now() + options.wait * 1000;
    const finals: Workflow[] = [];
    for (const id of workflowIds) finals.push(await follow(client, id, deadline, io, deps.signal));
    const running = finals.filter((w) => !isTerminalStatus(w.status));
    if (running.length > 0) {
      io.stdout(`${running.length} workflow(s) still running; re-run this command to follow them (it re-attaches, nothing is paid twice)\n`);
      return SWEEP_EXIT.ok;
    }
    const charged = finals.reduce((sum, w) => sum + (w.cost?.total ?? 0), 0);
    io.stdout(`done: ${finals.filter((w) => w.status === 'succeeded').length}/${finals.length} workflows succeeded, ${formatBuzz(charged)} Buzz charged\n`);
    if (options.out) await saveResults(client, sweep, finals, path.resolve(io.cwd, options.out), io, deps.signal);
    return finals.every((w) => w.status === 'succeeded') ? SWEEP_EXIT.ok : SWEEP_EXIT.workflowFailed;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (workflowIds.length > 0) io.stderr(`started: ${workflowIds.join(', ')}; re-run the same command to follow them (same keys, nothing paid twice)\n`);
    io.stderr(`civitai-workflow sweep: ${e.message}\n  ${e.hint}\n`);
    return exitFor(e);
  }
}

/** Follows one workflow of the sweep until it ends or the deadline passes (then its latest state). */
async function follow(client: OrchestratorClient, id: string, deadline: number | undefined, io: CliIO, signal?: AbortSignal): Promise<Workflow> {
  let status: string | undefined;
  const latest = await pollUntilEndOrDeadline(client, id, {
    deadline,
    signal,
    onProgress: (p) => {
      if (p.status !== status) io.stderr(`workflow ${id}: ${p.status}\n`);
      status = p.status;
    },
  });
  return latest ?? (await client.getWorkflow(id));
}

/** Saves each cell's images (with their parameters), sweep.json and the labelled grid. */
async function saveResults(client: OrchestratorClient, sweep: ExpandedSweep, finals: Workflow[], dir: string, io: CliIO, signal?: AbortSignal): Promise<void> {
  await mkdir(dir, { recursive: true });
  const record: Array<Record<string, unknown>> = [];
  const grid: GridImage[] = [];
  for (const cell of sweep.cells) {
    const workflow = finals[cell.body];
    const body = sweep.bodies[cell.body];
    const stepIndex = (body.steps as Array<{ name?: string }>).findIndex((s) => s.name === cell.stepName);
    // Each cell's images carry that cell's parameters, so any of them imports back as its workflow.
    const saved = await saveWorkflowImages(client, workflow, dir, io, {
      signal,
      // An image without a URL (hidden or blocked) is left out of the grid, as before, not refetched.
      select: (image) => image.stepName === cell.stepName && Boolean(image.blob.url),
      prepare: (image, bytes) => {
        const reportedSeed = (image.blob as { seed?: unknown }).seed;
        return resultImageWithParameters(bytes, body, stepIndex, typeof reportedSeed === 'number' ? reportedSeed : null);
      },
      fileName: (_image, { indexInStep }) => `${cell.stepName.replace(/[^A-Za-z0-9_-]/g, '_')}-${indexInStep}.png`,
    });
    const first = saved.find((s) => s.indexInStep === 0);
    if (first) grid.push({ x: cell.x, y: cell.y, z: cell.z, png: first.bytes });
    record.push({ cell: { x: cell.x, y: cell.y, z: cell.z }, step: cell.stepName, workflowId: workflow.id, parameters: cell.values, prompt: cell.prompt, files: saved.map((s) => s.name) });
  }
  await writeFile(path.join(dir, 'sweep.json'), JSON.stringify({ axes: sweep.axes, cells: record }, null, 2) + '\n');
  io.stdout(`saved ${record.reduce((n, r) => n + (r.files as string[]).length, 0)} images and ${path.join(dir, 'sweep.json')}\n`);
  const pages = composeSweepGrid(sweep.axes, grid, { parameters: firstParameters(sweep) });
  for (const [z, png] of pages.entries()) {
    const name = pages.length === 1 ? 'grid.png' : `grid-z${z}.png`;
    await writeFile(path.join(dir, name), png);
    io.stdout(`saved ${path.join(dir, name)}\n`);
  }
}

/** The grid PNG carries the first cell's parameters, so it imports back as a workflow. */
function firstParameters(sweep: ExpandedSweep): string | undefined {
  const body = sweep.bodies[0];
  const index = (body.steps as Array<{ name?: string }>).findIndex((s) => s.name === sweep.cells[0].stepName);
  return imageParametersText(body, index);
}

const sweep: CliCommand = {
  summary: 'expand one step into a grid of cells (X/Y/Z axes), price it, submit it',
  run: (args, io) => withInterrupts((signal) => runSweep(args, io, { env: process.env, signal, confirm: process.stdin.isTTY === true ? askOnTerminal : undefined })),
};

export default sweep;
