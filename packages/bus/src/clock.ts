/**
 * Time as Switchboard reads it. Every timeout in the bus and its helpers goes through a clock, so
 * tests can swap in a fake one and never wait for real time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock (`Date.now`, the global timers). Timers are looked up at call time so that test
 * tools which replace the globals (Vitest's fake timers) take effect.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
