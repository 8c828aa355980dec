import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../src/index.ts';

describe('createFakeClock', () => {
  it('runs due timers in time order when advanced', () => {
    const clock = createFakeClock(1000);
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => log.push(`a@${clock.now()}`), 10);
    const cancelled = clock.setTimeout(() => log.push('never'), 5);
    clock.clearTimeout(cancelled);
    clock.advance(15);
    expect(log).toEqual(['a@1010']);
    clock.advance(5);
    expect(log).toEqual(['a@1010', 'b@1020']);
    expect(clock.now()).toBe(1020);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runAll stops a timer that reschedules forever', () => {
    const clock = createFakeClock();
    const again = (): void => void clock.setTimeout(again, 1);
    again();
    expect(() => clock.runAll(50)).toThrow(/keeps re-scheduling/);
  });
});
