// The emulator under a burst: N submissions at once, each waiting (`wait`) for its workflow to
// finish, against the in-process emulator on its fastest settings.
import { startEmulator, type EmulatorOptions } from '../../src/emulator';
import { generateWorkflow } from '../generate';
import { roundSummary, summarize, type Summary } from '../lib/stats';

export interface EmulatorBurstResult {
  settings: { label: string; timing: NonNullable<EmulatorOptions['timing']>; speed: number };
  submissions: number;
  stepsPerWorkflow: number;
  /** One submission before the burst (compiles the contract leaves it needs). */
  firstSubmissionMs: number;
  /** Submissions sent (and not measured) before the burst, so the JIT is warm for every setting. */
  warmupSubmissions: number;
  wallMs: number;
  latency: Summary;
  succeeded: number;
  statuses: Record<string, number>;
}

const TOKEN = 'bench-token';

async function submit(url: string, body: string): Promise<{ ms: number; http: number; status: string }> {
  const started = performance.now();
  const response = await fetch(`${url}/v2/consumer/workflows?wait=60`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  const json = (await response.json()) as { status?: string };
  return { ms: performance.now() - started, http: response.status, status: json.status ?? `http ${response.status}` };
}

export async function runEmulatorBurst(
  settings: EmulatorBurstResult['settings'],
  submissions: number,
  stepsPerWorkflow: number,
  log: (line: string) => void,
): Promise<EmulatorBurstResult> {
  const emulator = await startEmulator({ timing: settings.timing, speed: settings.speed, token: TOKEN });
  try {
    const warmup = Math.min(10, submissions);
    const bodies = Array.from({ length: submissions + 1 + warmup }, (_, i) => generateWorkflow({ steps: stepsPerWorkflow, seed: 1000 + i }).text);
    const first = await submit(emulator.url, bodies[submissions]);
    await Promise.all(bodies.slice(submissions + 1).map((b) => submit(emulator.url, b)));
    const started = performance.now();
    const answers = await Promise.all(bodies.slice(0, submissions).map((b) => submit(emulator.url, b)));
    const wallMs = performance.now() - started;
    const statuses: Record<string, number> = {};
    for (const a of answers) statuses[`${a.http} ${a.status}`] = (statuses[`${a.http} ${a.status}`] ?? 0) + 1;
    const result: EmulatorBurstResult = {
      settings,
      submissions,
      stepsPerWorkflow,
      firstSubmissionMs: Math.round(first.ms * 100) / 100,
      warmupSubmissions: warmup,
      wallMs: Math.round(wallMs * 100) / 100,
      latency: roundSummary(summarize(answers.map((a) => a.ms))),
      succeeded: answers.filter((a) => a.http === 200 && a.status.toLowerCase() === 'succeeded').length,
      statuses,
    };
    log(`emulator (${settings.label}): ${submissions} concurrent submissions with wait: ${result.wallMs} ms wall, ${result.succeeded} succeeded`);
    return result;
  } finally {
    await emulator.close();
  }
}
