import { describe, expect, it, vi } from 'vitest';
import { WRITERS_QUIET_MS, writeActivity } from '../src/write-activity.ts';
import { ANNOUNCE_EVERY_MS, openWriteSignal } from '../src/write-signal.ts';
import { freshIndexedDB } from './support.ts';

describe('openWriteSignal', () => {
  it("tells the other tabs' signals of the same database, at most once per ANNOUNCE_EVERY_MS", async () => {
    let now = 0;
    const heardByB: number[] = [];
    const heardByOther: number[] = [];
    let arrived: () => void = () => undefined;
    const a = openWriteSignal(
      'signal-db',
      () => undefined,
      () => now,
    )!;
    const b = openWriteSignal(
      'signal-db',
      () => {
        heardByB.push(now);
        arrived();
      },
      () => now,
    )!;
    const other = openWriteSignal(
      'other-db',
      () => void heardByOther.push(now),
      () => now,
    )!;
    try {
      const first = new Promise<void>((resolve) => (arrived = resolve));
      a.announce();
      a.announce(); // within ANNOUNCE_EVERY_MS: not posted
      await first;
      now += ANNOUNCE_EVERY_MS;
      const second = new Promise<void>((resolve) => (arrived = resolve));
      a.announce();
      await second;
      expect(heardByB).toEqual([0, ANNOUNCE_EVERY_MS]);
      expect(heardByOther).toEqual([]);
    } finally {
      a.close();
      b.close();
      other.close();
    }
  });
});

describe('writeActivity of a write held long', () => {
  it('counts as writing while the write is pending, then WRITERS_QUIET_MS more', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      let now = 0;
      const activity = writeActivity(freshIndexedDB(), 'held', () => now);
      const ended = activity.began();
      for (let i = 0; i < 8; i++) {
        now += WRITERS_QUIET_MS / 2;
        vi.advanceTimersByTime(WRITERS_QUIET_MS / 2);
        expect(activity.writing()).toBe(true);
      }
      ended();
      now += WRITERS_QUIET_MS / 2;
      vi.advanceTimersByTime(WRITERS_QUIET_MS / 2);
      expect(activity.writing()).toBe(true);
      now += WRITERS_QUIET_MS / 2;
      vi.advanceTimersByTime(WRITERS_QUIET_MS / 2);
      expect(activity.writing()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
