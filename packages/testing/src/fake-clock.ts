import type { Clock } from '@switchboard/bus';

/** A {@link Clock} that only moves when told to. */
export interface FakeClock extends Clock {
  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void;
  /** Runs timers until none is left (or `limit` have run, to stop endless re-scheduling). */
  runAll(limit?: number): void;
  /** Timers not yet run. */
  readonly pendingTimers: number;
}

/**
 * Creates a fake clock. Pass it as `clock` to buses and helpers so timeouts run on command.
 *
 * @example
 * import { createFakeClock } from '@switchboard/testing';
 * const clock = createFakeClock();
 * clock.setTimeout(() => console.log('later'), 100);
 * clock.advance(100); // logs 'later'
 */
export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();

  function nextDue(until: number): number | undefined {
    let found: number | undefined;
    let foundAt = Infinity;
    for (const [id, timer] of timers) {
      if (timer.at <= until && timer.at < foundAt) {
        found = id;
        foundAt = timer.at;
      }
    }
    return found;
  }

  function runTimer(id: number): void {
    const timer = timers.get(id)!;
    timers.delete(id);
    now = Math.max(now, timer.at);
    timer.callback();
  }

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (let id = nextDue(until); id !== undefined; id = nextDue(until)) runTimer(id);
      now = until;
    },
    runAll(limit = 10_000) {
      for (let run = 0; run < limit; run++) {
        const id = nextDue(Infinity);
        if (id === undefined) return;
        runTimer(id);
      }
      throw new Error(`runAll(): still ${timers.size} timers after ${limit} runs; a timer keeps re-scheduling itself.`);
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}
