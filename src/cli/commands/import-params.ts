// `civitai-workflow import-params [--engine sdcpp|comfy] [--out FILE] [--site-url URL]
// [--offline] [FILE|-]`: turns generation parameters (an image's metadata or a text file; `-` or
// nothing reads stdin) into a workflow. The workflow JSON goes to stdout (or --out), the notes to
// stderr. Civitai version ids without an AIR are looked up on the site API (CIVITAI_API_TOKEN is
// sent when set) unless --offline.
import { readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { importGenerationParametersResolving } from '../../core/prompt/import-params';
import { MAX_PARAMETERS_PNG_BYTES, MAX_PARAMETERS_TEXT_BYTES, parametersFromBytes } from '../../core/prompt/params-source';
import { createModelVersionResolver, describeLookupFailures, DEFAULT_SITE_URL } from '../../core/api/site-model-versions';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';

const HELP = `Usage: civitai-workflow import-params [--engine sdcpp|comfy] [--out FILE] [--site-url URL] [--offline] [FILE|-]

Reads the "generation parameters" AUTOMATIC1111, Forge, SD.Next, ComfyUI savers and
Civitai write, and prints a workflow that reproduces them: the engine and ecosystem
of the base model they reveal, and a second step for a hires fix. FILE may be a PNG
("parameters" text chunk), a JPEG or WebP (EXIF UserComment or XMP) or a text file;
"-" or no FILE reads stdin.

Input is bounded: text up to ${MAX_PARAMETERS_TEXT_BYTES / 1024} KiB, an image up to ${MAX_PARAMETERS_PNG_BYTES / 1024 / 1024} MiB whose
"parameters" chunk holds at most ${MAX_PARAMETERS_TEXT_BYTES / 1024} KiB once decompressed. A truncated PNG is read
up to the damage.

What could not be mapped is kept in the step's metadata and listed on stderr.
When the parameters name no checkpoint AIR, "model" holds a placeholder that
fails linting until you replace it. Civitai resources listed by version id are
looked up on the site API (with CIVITAI_API_TOKEN when it is set).

Options:
  --engine sdcpp|comfy  prefer this engine where both can express the parameters
                        (default sdcpp; a sampler only one engine has decides)
  --out FILE            write the workflow to FILE instead of stdout
  --site-url URL        the Civitai site for version lookups (default ${DEFAULT_SITE_URL};
                        CIVITAI_SITE_URL; a local emulator serves them too)
  --offline             do not look anything up
  -h, --help            show this help

Exit codes: 0 imported, 1 no parameters found or input unreadable, 2 usage error.
`;

/** The CLI's IO plus a way to read stdin (tests pass their own). */
export type ImportParamsIO = CliIO & { readStdin?: () => Promise<Buffer>; env?: Record<string, string | undefined> };

/** Reads stdin, but never more than one byte past the largest input we accept. */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buf);
    total += buf.length;
    if (total > MAX_PARAMETERS_PNG_BYTES) break;
  }
  return Buffer.concat(chunks);
}

const importParams: CliCommand = {
  summary: 'make a workflow from generation parameters (text, PNG, JPEG or WebP)',
  async run(args: readonly string[], io: ImportParamsIO): Promise<number> {
    let file: string | undefined;
    let engine: 'sdcpp' | 'comfy' | undefined;
    let out: string | undefined;
    let siteUrl: string | undefined;
    let offline = false;
    const env = io.env ?? process.env;
    try {
      const parsed = parseArgs(args, { valued: ['engine', 'out', 'site-url'], flags: ['help', 'h', 'offline'] });
      if (parsed.options.has('help') || parsed.options.has('h')) {
        io.stdout(HELP);
        return 0;
      }
      const e = parsed.options.get('engine');
      if (e !== undefined && e !== 'sdcpp' && e !== 'comfy') throw new UsageError(`unknown engine '${String(e)}' (use sdcpp or comfy)`);
      engine = e;
      const o = parsed.options.get('out');
      out = typeof o === 'string' ? o : undefined;
      const site = parsed.options.get('site-url');
      siteUrl = typeof site === 'string' ? site : env.CIVITAI_SITE_URL;
      if (siteUrl !== undefined && !/^https?:\/\//.test(siteUrl)) throw new UsageError(`--site-url must be an http(s) URL`);
      offline = parsed.options.has('offline');
      if (parsed.positionals.length > 1) throw new UsageError('give one FILE (or - for stdin)');
      file = parsed.positionals[0];
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`import-params: ${error.message}\n\n${HELP}`);
      return 2;
    }

    const label = file === undefined || file === '-' ? 'stdin' : file;
    let bytes: Buffer;
    try {
      if (file === undefined || file === '-') {
        bytes = await (io.readStdin ?? readStdin)();
      } else {
        const full = path.resolve(io.cwd, file);
        const size = (await stat(full)).size;
        if (size > MAX_PARAMETERS_PNG_BYTES) {
          io.stderr(`import-params: ${label} is ${Math.round(size / 1024 / 1024)} MiB; generation parameters (or a PNG carrying them) are far smaller. Not read.\n`);
          return 1;
        }
        bytes = await readFile(full);
      }
    } catch (error) {
      io.stderr(`import-params: cannot read ${label}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const source = parametersFromBytes(bytes, label);
    if (!source.ok) {
      io.stderr(`import-params: ${source.message}\n`);
      return 1;
    }
    if (source.note) io.stderr(`note: ${source.note}\n`);
    const failures: Array<{ id: number | string; reason: string }> = [];
    const resolver = offline
      ? undefined
      : createModelVersionResolver({
          baseUrl: siteUrl ?? DEFAULT_SITE_URL,
          token: env.CIVITAI_API_TOKEN?.trim() || undefined,
          onError: (id, reason) => failures.push({ id, reason }),
        });
    const result = await importGenerationParametersResolving(source.text, resolver, engine ? { engine } : {});
    const failed = describeLookupFailures(failures);
    if (failed) io.stderr(`import-params: ${failed}\n`);
    if (!result) {
      io.stderr(`import-params: no generation parameters found in ${label}\n`);
      return 1;
    }
    const json = JSON.stringify(result.workflow, null, 2) + '\n';
    if (out) {
      try {
        await writeFile(path.resolve(io.cwd, out), json, 'utf8');
      } catch (error) {
        io.stderr(`import-params: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
      }
    } else {
      io.stdout(json);
    }
    for (const n of result.notes) io.stderr(`${n.severity}: ${n.message}\n`);
    return 0;
  },
};

export default importParams;
