// `civitai-workflow lint [--fix] [--format text|json] FILE...`: the same checks as the editor.
// Exit code 0 when no file has an error, 1 when any has, 2 on a usage error (bad option, no
// files, a file that cannot be read).
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { lintWorkflow } from '../../core/lint';
import { hasErrors } from '../../core/findings';
import { decodeUtf8, foreignEncodingOfBytes } from '../../core/workflow/encoding';
import { fixUntilStable } from '../../core/fixes';
import { parseFileCommandArgs, unreadableReason, type CliCommand, type CliIO } from '../command';
import { formatJson, formatText, type FileReport } from '../format';

const HELP = `Usage: civitai-workflow lint [--fix] [--format text|json] FILE...

Checks workflow files (*.civitai.json) against the orchestrator's contract and the guides' rules.

Options:
  --format text|json  text: file:line:col severity message [code] (default); json: one entry per file
  --fix               apply each finding's preferred quick fix in place (repeated until nothing more
                      applies), then report what remains
  -h, --help          show this help

Exit codes: 0 no errors, 1 errors found (after fixing, with --fix), 2 usage error or a file that
cannot be read (or, with --fix, written).
`;

const lint: CliCommand = {
  summary: 'check workflow files against the contract and the rules',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseFileCommandArgs('lint', args, io, HELP, ['fix']);
    if (typeof parsed === 'number') return parsed;
    const { format, files } = parsed;
    const fix = parsed.options.has('fix');
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
        continue;
      }
      const decoded = decodeUtf8(bytes);
      let text = decoded.text;
      // A UTF-8 byte order mark is not part of the JSON.
      const bom = decoded.bom ? '\ufeff' : '';
      // Fixing would write U+FFFD over bytes the user may still recover in the right encoding.
      if (!fix || decoded.invalid) {
        reports.push({ file, findings: lintWorkflow(text).findings });
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
          continue;
        }
        io.stderr(`${file}: fixed ${fixed.applied.length} problem${fixed.applied.length === 1 ? '' : 's'}\n`);
      }
      reports.push({ file, findings: fixed.findings });
    }
    for (const problem of unreadable) io.stderr(`civitai-workflow lint: cannot read ${problem}\n`);

    // JSON always prints (an empty array is an answer); text has nothing to say about no files.
    if (format === 'json') io.stdout(formatJson(reports));
    else if (reports.length > 0) io.stdout(formatText(reports));
    if (unreadable.length > 0 || unwritable) return 2;
    return reports.some((r) => hasErrors(r.findings)) ? 1 : 0;
  },
};

export default lint;
