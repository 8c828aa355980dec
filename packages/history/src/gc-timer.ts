import type { Clock } from '@switchboard/bus';

/** Options of {@link createGcTimer}. */
export interface GcTimerOptions {
  readonly clock: Clock;
  /** Time between the end of one run and the next tick; 0 disables the timer. */
  readonly intervalMs: number;
  /** Asked at every tick, since leadership moves between tabs. */
  readonly isLeader: () => boolean;
  /** One collection; must not reject. */
  readonly run: () => Promise<unknown>;
  /** Called for a tick skipped because another tab leads. */
  readonly onSkip: () => void;
}

/** Starts and stops periodic garbage collection. */
export interface GcTimer {
  start(): void;
  stop(): void;
}

/**
 * Runs garbage collection every `intervalMs`, in the leader tab only. The next tick is scheduled
 * after a run finishes, so runs never overlap, and a tab that becomes leader takes over at its
 * next tick.
 */
export function createGcTimer(options: GcTimerOptions): GcTimer {
  const { clock, intervalMs } = options;
  let timer: unknown;
  let running = false;

  function schedule(): void {
    timer = clock.setTimeout(tick, intervalMs);
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    if (!options.isLeader()) {
      options.onSkip();
      schedule();
      return;
    }
    void options.run().finally(() => {
      if (running && timer === undefined) schedule();
    });
  }

  return {
    start() {
      if (running || intervalMs <= 0) return;
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
