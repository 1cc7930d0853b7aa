// Bounded input, timed: `import-params` (the shipped dist/cli.js, in a fresh process each run) on
// a 3 MB PNG whose `parameters` chunk would inflate to ~3 GB, and on an ordinary PNG for
// comparison. Wall time from spawn to exit, and the process's peak RSS.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { encodePng } from '../../src/core/png/encode';
import { readPngChunks, writePngChunks, type PngChunk } from '../../src/core/png/chunks';
import { REPO_ROOT, scratchDir } from '../lib/builds';
import { roundSummary, summarize, type Summary } from '../lib/stats';

export interface BoundedInputCase {
  label: string;
  fileBytes: number;
  /** What the chunk would inflate to, had it been inflated. */
  inflatesToBytes: number;
  exitCode: number | null;
  message: string;
  wallMs: Summary;
  /** Peak resident set size of the CLI process, MiB. */
  maxRssMiB: number;
}

/**
 * A zlib stream inflating to `mib` MiB of zeros, built without compressing them: one byte-aligned
 * deflate block for 1 MiB of zeros (a sync flush) repeated, then an empty final block.
 */
export function zeroBombStream(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([Buffer.of(0x78, 0xda), ...Array.from({ length: mib }, () => block), Buffer.of(0x03, 0x00), Buffer.alloc(4)]);
}

function pngWith(chunk: PngChunk): Buffer {
  const base = readPngChunks(encodePng({ width: 8, height: 8, channels: 3, data: new Uint8Array(192) }));
  const at = base.findIndex((c) => c.type === 'IDAT');
  return Buffer.from(writePngChunks([...base.slice(0, at), chunk, ...base.slice(at)]));
}

const PARAMS = 'a red fox in snow\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3, Size: 512x512';

/** One fresh CLI process: `node -e` loads dist/cli.js, runs import-params, reports its peak RSS. */
function runOnce(file: string): { ms: number; code: number | null; stderr: string; maxRssKiB: number } {
  const script = `const {main}=require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'cli.js'))});` +
    `main(['import-params',${JSON.stringify(file)}]).then((c)=>{process.stderr.write('\\n@@'+process.resourceUsage().maxRSS);process.exitCode=c;});`;
  const started = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const ms = performance.now() - started;
  const [stderr, rss] = r.stderr.split('\n@@');
  return { ms, code: r.status, stderr: stderr.trim(), maxRssKiB: Number(rss) };
}

export function runBoundedInputSuite(rounds: number, log: (line: string) => void): BoundedInputCase[] {
  const dir = scratchDir('civitai-bench-bounded-');
  const bombMiB = 3000;
  const cases = [
    { label: 'parameters chunk inflating to ~3 GB', file: 'bomb.png', inflates: bombMiB * 1024 * 1024,
      bytes: pngWith({ type: 'zTXt', data: Buffer.concat([Buffer.from('parameters\0\0', 'latin1'), zeroBombStream(bombMiB)]) }) },
    { label: 'ordinary parameters chunk', file: 'plain.png', inflates: PARAMS.length,
      bytes: pngWith({ type: 'tEXt', data: Buffer.from(`parameters\0${PARAMS}`, 'latin1') }) },
  ];
  return cases.map((c) => {
    const file = path.join(dir, c.file);
    writeFileSync(file, c.bytes);
    const runs = Array.from({ length: rounds }, () => runOnce(file));
    const result: BoundedInputCase = {
      label: c.label,
      fileBytes: c.bytes.length,
      inflatesToBytes: c.inflates,
      exitCode: runs[0].code,
      message: runs[0].stderr.split('\n')[0] ?? '',
      wallMs: roundSummary(summarize(runs.map((r) => r.ms))),
      maxRssMiB: Math.round(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024),
    };
    log(`import-params, ${c.label}: exit ${result.exitCode}, median ${result.wallMs.median} ms, peak RSS ${result.maxRssMiB} MiB`);
    return result;
  });
}
