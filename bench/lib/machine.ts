// The machine a run came from: numbers without it are not comparable.
import * as os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  totalMemoryMiB: number;
  /** 1-minute load average when the run started and ended (a busy machine inflates every time). */
  loadAverage: { start: number; end?: number };
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage: { start: round1(os.loadavg()[0]) },
  };
}

export function currentLoad(): number {
  return round1(os.loadavg()[0]);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
