// `civitai-workflow lint [--fix] [--resolve] [--format text|json] FILE...`: the same checks as the
// editor; with --resolve, also what the service says about each AIR. Exit code 0 when no file has
// an error, 1 when any has, 2 on a usage error (bad option, no files, a file that cannot be read).
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_BASE_URL } from '../../core/api';
import { lintWorkflow } from '../../core/lint';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { resolveForLint, type LintResolveSettings } from '../resolve';
import { hasErrors } from '../../core/findings';
import { decodeUtf8, foreignEncodingOfBytes } from '../../core/workflow/encoding';
import { fixUntilStable } from '../../core/fixes';
import { parseFileCommandArgs, unreadableReason, type CliCommand, type CliIO } from '../command';
import { formatJson, formatText, type FileReport } from '../format';

const HELP = `Usage: civitai-workflow lint [--fix] [--resolve [--base-url URL]] [--format text|json] FILE...

Checks workflow files (*.civitai.json) against the orchestrator's contract and the guides' rules.

Options:
  --format text|json  text: file:line:col severity message [code] (default); json: one entry per file
  --fix               apply each finding's preferred quick fix in place (repeated until nothing more
                      applies), then report what remains
  --resolve           also resolve every AIR (checkpoint, LoRAs, embeddings, VAE, other model fields)
                      with GET /v2/resources: an unknown one is an error (the service would run its
                      default model and bill you), so is one that cannot generate; permission, early
                      access (with its fee) and loading are reported. Needs CIVITAI_API_TOKEN; without
                      it, says so once and lints as usual.
  --base-url URL      service to resolve with (default: $CIVITAI_BASE_URL, else ${DEFAULT_BASE_URL})
  -h, --help          show this help

Exit codes: 0 no errors, 1 errors found (after fixing, with --fix), 2 usage error or a file that
cannot be read (or, with --fix, written).
`;

export interface LintDeps {
  env: Record<string, string | undefined>;
  client?: LintResolveSettings['client'];
}

export async function runLint(args: readonly string[], io: CliIO, deps: LintDeps): Promise<number> {
  const parsed = parseFileCommandArgs('lint', args, io, HELP, ['fix', 'resolve'], ['base-url']);
  if (typeof parsed === 'number') return parsed;
  const { format, files } = parsed;
  const fix = parsed.options.has('fix');
  const texts: string[] = [];
  let unwritable = false;

  const reports: FileReport[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path.resolve(io.cwd, file));
    } catch (e) {
      unreadable.push(`${file}: ${unreadableReason(e)}`);
      continue;
    }
    // Read as bytes: a file in another encoding is one finding, invalid UTF-8 is found where it is.
    const foreignEncoding = foreignEncodingOfBytes(bytes);
    if (foreignEncoding !== undefined) {
      reports.push({ file, findings: lintWorkflow('', { foreignEncoding }).findings });
      texts.push('');
      continue;
    }
    const decoded = decodeUtf8(bytes);
    const text = decoded.text;
    // A UTF-8 byte order mark is not part of the JSON.
    const bom = decoded.bom ? '\ufeff' : '';
    // Fixing would write U+FFFD over bytes the user may still recover in the right encoding.
    if (!fix || decoded.invalid) {
      reports.push({ file, findings: lintWorkflow(text).findings });
      texts.push(text);
      continue;
    }
    const fixed = fixUntilStable(text, (t) => lintWorkflow(t).findings);
    if (fixed.text !== text) {
      try {
        await writeFile(path.resolve(io.cwd, file), bom + fixed.text, 'utf8');
      } catch (e) {
        io.stderr(`civitai-workflow lint: cannot write the fixes to ${file}: ${(e as Error).message}\n`);
        unwritable = true;
        reports.push({ file, findings: lintWorkflow(text).findings });
        texts.push(text);
        continue;
      }
      io.stderr(`${file}: fixed ${fixed.applied.length} problem${fixed.applied.length === 1 ? '' : 's'}\n`);
    }
    reports.push({ file, findings: fixed.findings });
    texts.push(fixed.text);
  }
  if (parsed.options.has('resolve') && reports.length > 0) {
    const baseUrl = String(parsed.options.get('base-url') ?? deps.env.CIVITAI_BASE_URL ?? DEFAULT_BASE_URL);
    const extra = await resolveForLint(texts.map(parseWorkflowDocument), { baseUrl, token: deps.env.CIVITAI_API_TOKEN?.trim() || undefined, client: deps.client }, io);
    reports.forEach((r, i) => (r.findings = [...r.findings, ...extra[i]].sort((a, b) => a.offset - b.offset)));
  }
  for (const problem of unreadable) io.stderr(`civitai-workflow lint: cannot read ${problem}\n`);

  // JSON always prints (an empty array is an answer); text has nothing to say about no files.
  if (format === 'json') io.stdout(formatJson(reports));
  else if (reports.length > 0) io.stdout(formatText(reports));
  if (unreadable.length > 0 || unwritable) return 2;
  return reports.some((r) => hasErrors(r.findings)) ? 1 : 0;
}

const lint: CliCommand = {
  summary: 'check workflow files against the contract and the rules (--resolve: and their AIRs)',
  run: (args: readonly string[], io: CliIO) => runLint(args, io, { env: process.env }),
};

export default lint;
