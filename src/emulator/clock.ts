// The emulator's clock: virtual milliseconds that run `speed` times faster than real time, so
// tests can play a whole workflow lifecycle in a few real milliseconds.

export interface EmulatorClock {
  /** Virtual epoch milliseconds. */
  now(): number;
  /** Real milliseconds that correspond to `virtualMs`. */
  toReal(virtualMs: number): number;
  readonly speed: number;
}

export function createClock(speed = 1, start: number = Date.now()): EmulatorClock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be a positive number');
  const realStart = Date.now();
  return {
    speed,
    now: () => start + (Date.now() - realStart) * speed,
    toReal: (virtualMs) => virtualMs / speed,
  };
}

/** A clock tests move by hand: real time plus whatever `advance` added. */
export function createManualClock(): EmulatorClock & { advance(ms: number): void } {
  let offset = 0;
  return {
    speed: 1,
    now: () => Date.now() + offset,
    toReal: (virtualMs) => virtualMs,
    advance: (ms) => void (offset += ms),
  };
}
