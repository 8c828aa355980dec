// Shared by this package's tests: a fresh in-memory IndexedDB per test, and "tabs" (buses with
// their own tab ids) linked so that what one publishes is injected into the others, as
// cross-tab does between real tabs. Unlike @switchboard/testing's tabs (cross-tab with its
// election), these let a test say which tab leads, which GC tests need. The clock is the
// testing package's fake one; `fakeRealTime` stands in for the real time GC paces by.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { onTestFinished, vi } from 'vitest';
import {
  createPubSub,
  type AdapterLink,
  type Clock,
  type Leadership,
  type Message,
  type PubSubBus,
} from '@switchboard/bus';

/** A private IndexedDB, so tests never see each other's databases. */
export function freshIndexedDB(): IDBFactory {
  return new IDBFactory();
}

export interface Tab {
  readonly bus: PubSubBus;
  readonly link: AdapterLink;
  /** Makes this tab the leader (or not) for adapters that ask for `'leadership'`. */
  setLeader(leader: boolean): void;
}

/**
 * Creates `count` buses linked like tabs of one origin: every local publish reaches the other
 * buses through `inject`, in a microtask (like a channel, never synchronously).
 */
export function createTabs(count: number, options: { clock?: Clock; app?: string } = {}): Tab[] {
  const tabs: Tab[] = [];
  for (let i = 0; i < count; i++) {
    const bus = createPubSub({
      app: options.app ?? 'test',
      tabId: `tab-${i}`,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    let link!: AdapterLink;
    let leader = i === 0;
    bus.attach({
      name: 'relay',
      connect(l) {
        link = l;
        l.provide('leadership', { isLeader: () => leader, leaderTabId: () => undefined } satisfies Leadership);
      },
      onPublish(message: Message) {
        const copy = structuredClone(message);
        queueMicrotask(() => {
          for (const other of tabs) if (other.bus !== bus && !other.bus.disposed) other.link.inject(copy);
        });
      },
    });
    tabs.push({
      bus,
      link,
      setLeader: (value) => {
        leader = value;
      },
    });
  }
  return tabs;
}

/** A unique topic root per test, as the house style asks. */
export function uniqueRoot(): string {
  return `t${Math.random().toString(36).slice(2, 8)}`;
}

/** Waits for IndexedDB work (macrotasks in fake-indexeddb) until `condition` holds. */
export async function waitUntil(condition: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('waitUntil(): condition still false');
}

/**
 * The size of every GC chunk from now on, until the test ends: GC's key cursor advances to each
 * chunk's last key, skipping `size - 1` keys.
 */
export function recordChunkSizes(): number[] {
  const sizes: number[] = [];
  const originalAdvance = IDBCursor.prototype.advance;
  IDBCursor.prototype.advance = function (this: IDBCursor, count: number) {
    sizes.push(count + 1);
    return originalAdvance.call(this, count);
  };
  onTestFinished(() => {
    IDBCursor.prototype.advance = originalAdvance;
  });
  return sizes;
}

/** The real time a test moves by hand: see {@link fakeRealTime}. */
export interface FakeRealTime {
  /** Moves `performance.now()` forward by `ms`. */
  advance(ms: number): void;
}

/**
 * Replaces `performance.now()` until the test ends with a time that moves only when the test says.
 * GC paces itself by real time, not by the history's clock (whether the database counts as being
 * written, how long a chunk worked); with this, a slow or loaded machine cannot change what a
 * test sees. It starts at the real time now, so writes made before it are not made recent.
 */
export function fakeRealTime(): FakeRealTime {
  let now = performance.now();
  const spy = vi.spyOn(performance, 'now').mockImplementation(() => now);
  onTestFinished(() => {
    spy.mockRestore();
  });
  return {
    advance(ms) {
      now += ms;
    },
  };
}
