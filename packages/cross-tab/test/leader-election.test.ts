import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachCrossTab, type CrossTab, type LockManagerLike } from '../src/index.ts';
import { createTestTabs, type TestTab } from '@switchboard/testing';

/** Web Locks in one process: one holder per name, a FIFO queue, abortable requests. */
function createFakeLocks(): LockManagerLike & { holder(name: string): string | undefined } {
  interface Request {
    id: number;
    callback: (lock: unknown) => Promise<void>;
    resolve(v: unknown): void;
    reject(e: unknown): void;
  }
  const queues = new Map<string, Request[]>();
  const held = new Map<string, Request>();
  let ids = 0;
  function pump(name: string): void {
    const queue = queues.get(name) ?? [];
    if (held.has(name) || queue.length === 0) return;
    const next = queue.shift()!;
    held.set(name, next);
    void next.callback({ name }).then((value) => {
      held.delete(name);
      next.resolve(value);
      pump(name);
    });
  }
  return {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const request: Request = { id: ids++, callback, resolve, reject };
        queues.set(name, [...(queues.get(name) ?? []), request]);
        options.signal?.addEventListener('abort', () => {
          const queue = queues.get(name) ?? [];
          if (!queue.includes(request)) return;
          queue.splice(queue.indexOf(request), 1);
          reject(new DOMException('The request was aborted.', 'AbortError'));
        });
        queueMicrotask(() => pump(name));
      });
    },
    holder: (name) => (held.has(name) ? String(held.get(name)!.id) : undefined),
  };
}

afterEach(() => void vi.unstubAllGlobals());

function leaderEvents(tab: TestTab<CrossTab>): unknown[] {
  return tab.seen.filter((m) => m.topic === '$sys.leader.changed').map((m) => m.payload);
}

describe('leader election: heartbeat', () => {
  it('makes a lone tab leader once it had time to hear from others; newcomers do not take over', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000 });
    const a = tabs.open('tab-a');
    await tabs.settle();
    expect(a.crossTab.leaderTabId()).toBeUndefined();
    await tabs.advance(1000);
    expect(a.crossTab.isLeader()).toBe(true);
    const b = tabs.open('tab-b');
    await tabs.settle();
    expect(b.crossTab.leaderTabId()).toBe('tab-a');
    await tabs.advance(3000);
    expect([a.crossTab.isLeader(), b.crossTab.isLeader()]).toEqual([true, false]);
    expect(b.crossTab.tabs().find((t) => t.leader)?.tabId).toBe('tab-a');
    expect(leaderEvents(a)).toEqual([{ leaderTabId: 'tab-a', previousLeaderTabId: undefined, isLeader: true }]);
    expect(leaderEvents(b)).toEqual([{ leaderTabId: 'tab-a', previousLeaderTabId: undefined, isLeader: false }]);
  });

  it('replaces a leader that closes at once, and one that crashes after the timeout', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000, tabTimeoutMs: 3000 });
    const a = tabs.open('tab-a');
    await tabs.advance(1000);
    const b = tabs.open('tab-b');
    await tabs.advance(1000);
    const c = tabs.open('tab-c');
    await tabs.advance(1000);
    a.bus.dispose();
    await tabs.settle();
    expect([b.crossTab.leaderTabId(), c.crossTab.leaderTabId()]).toEqual(['tab-b', 'tab-b']);
    expect(leaderEvents(c).at(-1)).toEqual({ leaderTabId: 'tab-b', previousLeaderTabId: 'tab-a', isLeader: false });
    // A crash: b stops talking without a goodbye (its timers stop with the page).
    b.crash();
    await tabs.advance(4000);
    expect(c.crossTab.isLeader()).toBe(true);
    expect(leaderEvents(c).at(-1)).toEqual({ leaderTabId: 'tab-c', previousLeaderTabId: 'tab-b', isLeader: true });
  });

  it('agrees on one leader when several tabs start at the same moment', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000 });
    const all = ['d', 'b', 'c', 'a'].map((id) => tabs.open(`tab-${id}`));
    await tabs.advance(2000);
    const leaders = new Set(all.map((tab) => tab.crossTab.leaderTabId()));
    expect(leaders.size).toBe(1);
    expect(all.filter((tab) => tab.crossTab.isLeader())).toHaveLength(1);
  });
});

describe('leader election: Web Locks', () => {
  it('makes the lock holder leader and tells the others; the next in line takes over on close', async () => {
    const locks = createFakeLocks();
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'locks', locks });
    const a = tabs.open('tab-a');
    await tabs.settle();
    expect(a.crossTab.isLeader()).toBe(true);
    const b = tabs.open('tab-b');
    const c = tabs.open('tab-c');
    await tabs.settle();
    expect([b.crossTab.leaderTabId(), c.crossTab.leaderTabId()]).toEqual(['tab-a', 'tab-a']);
    a.crossTab.detach();
    await tabs.settle();
    expect(b.crossTab.isLeader()).toBe(true);
    expect(c.crossTab.leaderTabId()).toBe('tab-b');
    expect(leaderEvents(c)).toEqual([
      { leaderTabId: 'tab-a', previousLeaderTabId: undefined, isLeader: false },
      { leaderTabId: undefined, previousLeaderTabId: 'tab-a', isLeader: false },
      { leaderTabId: 'tab-b', previousLeaderTabId: undefined, isLeader: false },
    ]);
  });

  it('withdraws a waiting request on detach, so a closed tab never becomes leader', async () => {
    const locks = createFakeLocks();
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'locks', locks });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const c = tabs.open('tab-c');
    await tabs.settle();
    b.crossTab.detach();
    a.crossTab.detach();
    await tabs.settle();
    expect(c.crossTab.isLeader()).toBe(true);
    expect(b.crossTab.isLeader()).toBe(false);
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });

  it("uses Web Locks under 'auto' when they are there, heartbeats otherwise", async () => {
    const locks = createFakeLocks();
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'auto', locks });
    const a = tabs.open('tab-a');
    await tabs.settle();
    expect(a.crossTab.isLeader()).toBe(true); // no settling delay: the lock decides
    vi.stubGlobal('navigator', {});
    const plain = createTestTabs({ attachCrossTab, leaderElection: 'auto' });
    const p = plain.open('tab-p');
    await plain.settle();
    expect(p.crossTab.isLeader()).toBe(false);
    await plain.advance(1000);
    expect(p.crossTab.isLeader()).toBe(true);
  });
});
