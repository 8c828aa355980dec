import { describe, expect, it } from 'vitest';
import { defineStore, type StoreDefinition } from '../src/index.ts';
import { createOptimisticView } from '../src/optimistic-view.ts';
import type { Write } from '../src/write.ts';

const counter = defineStore({ name: 'test.counter', initial: 0, owner: 'app' }) as unknown as StoreDefinition<
  unknown,
  never
>;

/** A write that adds `n` and counts how often its function ran. */
function add(n: number, runs: { count: number }): Write {
  return {
    apply: (state) => {
      runs.count++;
      if (n < 0) throw new Error('no negative steps');
      return (state as number) + n;
    },
    label: `add ${n}`,
    writer: { app: 'app', propose: () => undefined },
    resolve: () => undefined,
    reject: () => undefined,
  };
}

describe('the optimistic view', () => {
  it('folds each new write once onto the kept view, and a proposal of all of them reuses it', () => {
    const view = createOptimisticView(counter, 'test.counter');
    const runs = { count: 0 };
    const queue: Write[] = [];
    expect(view.value(10, () => queue)).toBe(10);
    for (const n of [1, 2, 3]) {
      const write = add(n, runs);
      queue.push(write);
      view.extend(write, queue.length);
    }
    expect(view.value(10, () => queue)).toBe(16);
    expect(view.settleAll(10, queue)).toEqual({ value: 16, kept: queue });
    expect(runs.count).toBe(3);
  });

  it('folds again when the confirmed value moved, and rejects a write that throws when settling', () => {
    const view = createOptimisticView(counter, 'test.counter');
    const runs = { count: 0 };
    const good = add(1, runs);
    const bad = add(-1, runs);
    view.value(0, () => []);
    view.extend(good, 1);
    view.extend(bad, 2);
    // The throwing write is skipped in the view, which then cannot stand for the proposal.
    expect(view.value(0, () => [good, bad])).toBe(1);
    expect(view.settleAll(0, [good, bad])).toMatchObject({ value: 1, kept: [good] });
    view.drop();
    expect(view.value(5, () => [good])).toBe(6);
    expect(view.settleAll(7, [good]).value).toBe(8);
  });

  it('forgets the view when a write arrives that it does not follow', () => {
    const view = createOptimisticView(counter, 'test.counter');
    const runs = { count: 0 };
    const first = add(1, runs);
    const second = add(2, runs);
    view.value(0, () => []);
    // Two writes queued, but the view held none: it must fold both when read.
    view.extend(second, 2);
    expect(view.value(0, () => [first, second])).toBe(3);
    view.keepIf(4);
    expect(view.value(1, () => [second])).toBe(3);
  });
});
