// `civitai-workflow estimate [--format text|json] FILE...`: the Buzz estimate the editor shows,
// from the guides' formulas. Exit 0 when every file was read, 1 when a file cannot be read or
// parsed, 2 on a usage error.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { estimateWorkflowCost, formatBuzz, formatTotal, type StepCostEstimate, type WorkflowCostEstimate } from '../../core/cost/estimate';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { parseFileCommandArgs, unreadableReason, type CliCommand, type CliIO } from '../command';

const HELP = `Usage: civitai-workflow estimate [--format text|json] FILE...

Estimates the Buzz cost of workflow files with the prices Civitai's recipes
publish: per-pixel/per-step formulas, per-megapixel rates, flat per-image tiers
by model, version, quality or resolution, LoRA and reference-image surcharges,
times quantity (or numImages); absent fields take the contract's defaults.
Each step names the recipe page its price comes from. Steps no recipe prices,
or whose values come from another step at run time, are unknown with the
reason; a file with unknown steps shows the known part and names the unknown
steps. The service's own preview is exact: \`civitai-workflow submit --whatif FILE\`.

Options:
  --format text|json  text (default), or JSON:
                      [{"file": "...", "total": 9.6, "known": 9.6, "unknownSteps": [],
                        "steps": [{"index": 0, "name": "0", "buzz": 9.6,
                                   "source": "anima.md", "formula": "8 × …"}]}]
                      (total is null when any step is unknown; reason says why)
  -h, --help          show this help

Exit codes: 0 estimated (even if unknown), 1 a file could not be read or parsed, 2 usage error.
`;

export interface EstimateFileResult {
  file: string;
  total: number | null;
  /** Sum of the known steps. */
  known?: number;
  /** Names of the steps whose cost is unknown. */
  unknownSteps?: string[];
  steps: Array<{ index: number; name: string; buzz: number | null; reason?: string; source?: string; formula?: string }>;
  /** Why the file could not be estimated at all (unreadable, not JSON). */
  error?: string;
}

function toResult(file: string, estimate: WorkflowCostEstimate): EstimateFileResult {
  return {
    file,
    total: estimate.total,
    known: estimate.known,
    unknownSteps: estimate.unknownSteps,
    steps: estimate.steps.map((s) => ({
      index: s.index,
      name: s.name,
      buzz: s.buzz,
      ...(s.buzz === null && s.reason ? { reason: s.reason } : {}),
      ...(s.detail && 'source' in s.detail ? { source: s.detail.source, formula: s.detail.formula } : {}),
    })),
  };
}

function describeStep(s: StepCostEstimate): string {
  const d = s.detail;
  let how = '';
  if (d?.kind === 'imageGen' || d?.kind === 'flat') {
    const what = d.kind === 'imageGen' ? d.label : d.stepType;
    how = ` (${what}: ${d.formula}; recipes/${d.source}${d.defaulted.length ? `; defaults: ${d.defaulted.join(', ')}` : ''})`;
  } else if (d?.kind === 'imageUpscaler') {
    how = ` (upscale ${d.inputWidth}x${d.inputHeight} ×${d.scale})`;
  }
  const label = s.name === String(s.index) ? `step ${s.index}` : `step ${s.index} "${s.name}"`;
  return s.buzz === null ? `  ${label}: unknown — ${s.reason ?? 'no formula'}` : `  ${label}: ${formatBuzz(s.buzz)} Buzz${how}`;
}

export function formatEstimateText(results: readonly EstimateFileResult[], estimates: ReadonlyMap<string, WorkflowCostEstimate>): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.error) {
      lines.push(`${r.file}: cannot estimate: ${r.error}`);
      continue;
    }
    lines.push(`${r.file}: ${r.total === null && !r.unknownSteps?.length ? 'unknown (see steps)' : formatTotal(r)}`);
    for (const s of estimates.get(r.file)?.steps ?? []) lines.push(describeStep(s));
    if (r.steps.length === 0) lines.push('  no steps');
  }
  return lines.join('\n') + '\n';
}

const estimate: CliCommand = {
  summary: 'estimate the Buzz cost of workflow files (documented formulas)',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseFileCommandArgs('estimate', args, io, HELP);
    if (typeof parsed === 'number') return parsed;
    const { format, files } = parsed;

    const results: EstimateFileResult[] = [];
    const estimates = new Map<string, WorkflowCostEstimate>();
    let failed = false;
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(path.resolve(io.cwd, file), 'utf8');
      } catch (e) {
        results.push({ file, total: null, steps: [], error: unreadableReason(e) });
        failed = true;
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const doc = parseWorkflowDocument(text);
      if (doc.syntaxErrors.length > 0 || doc.value === undefined) {
        const first = doc.syntaxErrors[0];
        const where = first ? ` at line ${doc.lineStarts.filter((s) => s <= first.offset).length}` : '';
        results.push({ file, total: null, steps: [], error: `not valid JSON (${first?.message ?? 'empty file'}${where})` });
        failed = true;
        continue;
      }
      const e = estimateWorkflowCost(doc.value);
      estimates.set(file, e);
      results.push(toResult(file, e));
    }
    if (format === 'json') io.stdout(JSON.stringify(results, null, 2) + '\n');
    else io.stdout(formatEstimateText(results, estimates));
    for (const r of results) if (r.error && format === 'json') io.stderr(`civitai-workflow estimate: ${r.file}: ${r.error}\n`);
    return failed ? 1 : 0;
  },
};

export default estimate;
