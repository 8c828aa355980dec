import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeLocks, createTestTabs, type TestTab } from '@switchboard/testing';
import { attachCrossTab, type CrossTab } from '../src/index.ts';

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

  it('tells its own buses that the tab no longer leads when its page hides, and that it leads once restored', async () => {
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'locks', locks: createFakeLocks() });
    const page = new EventTarget();
    const fire = (type: string) => page.dispatchEvent(Object.assign(new Event(type), { persisted: true }));
    const a = tabs.open('tab-a', 'app', { lifecycle: page });
    const b = tabs.open('tab-b');
    await tabs.settle();
    expect(a.crossTab.isLeader()).toBe(true);
    // An adapter that acts for the leader (a broker connection) must stop when the lock goes,
    // not when the page is finally torn down.
    fire('pagehide');
    await tabs.settle();
    expect(b.crossTab.isLeader()).toBe(true);
    expect(leaderEvents(a)).toEqual([
      { leaderTabId: 'tab-a', previousLeaderTabId: undefined, isLeader: true },
      { leaderTabId: undefined, previousLeaderTabId: 'tab-a', isLeader: false },
    ]);
    b.crossTab.detach();
    fire('pageshow');
    await tabs.advance(1000);
    expect(a.crossTab.isLeader()).toBe(true);
    expect(leaderEvents(a).at(-1)).toEqual({ leaderTabId: 'tab-a', previousLeaderTabId: undefined, isLeader: true });
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

describe('waiting for leadership', () => {
  it('whenLeader() resolves once this tab leads, which is never known at creation', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000 });
    const a = tabs.open('tab-a');
    // What `if (isLeader()) startPolling()` right after creation would see.
    expect(a.crossTab.isLeader()).toBe(false);
    const started: string[] = [];
    void a.crossTab.whenLeader().then(() => started.push('a'));
    const b = tabs.open('tab-b');
    void b.crossTab.whenLeader().then(() => started.push('b'));
    await tabs.settle();
    expect(started).toEqual([]);
    await tabs.advance(1000);
    expect(started).toEqual(['a']);
    await expect(a.crossTab.whenLeader()).resolves.toBeUndefined(); // at once when it leads
    a.close();
    await tabs.settle();
    expect(started).toEqual(['a', 'b']);
  });

  it('whenLeader() resolves when the Web Lock is granted', async () => {
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'locks', locks: createFakeLocks() });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const started: string[] = [];
    void b.crossTab.whenLeader().then(() => started.push('b'));
    await tabs.settle();
    expect([a.crossTab.isLeader(), started]).toEqual([true, []]);
    a.crash(); // the browser releases a crashed tab's locks
    await tabs.settle();
    expect(started).toEqual(['b']);
  });

  it('whenLeader() rejects with ABORTED when cross-tab is detached or the signal aborts first', async () => {
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'locks', locks: createFakeLocks() });
    tabs.open('tab-a');
    await tabs.settle();
    const b = tabs.open('tab-b');
    const controller = new AbortController();
    const aborted = b.crossTab.whenLeader({ signal: controller.signal });
    const detached = b.crossTab.whenLeader();
    controller.abort(new Error('unmounted'));
    await expect(aborted).rejects.toMatchObject({
      code: 'ABORTED',
      message: expect.stringMatching(/^whenLeader\(\): the signal aborted before this tab became the leader/),
      cause: new Error('unmounted'),
    });
    b.crossTab.detach();
    await expect(detached).rejects.toMatchObject({ code: 'ABORTED', message: expect.stringMatching(/detached/) });
    await expect(b.crossTab.whenLeader()).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('onLeaderChange() reports every change with the $sys.leader.changed payload until unsubscribed', async () => {
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'locks', locks: createFakeLocks() });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const seen: unknown[] = [];
    const off = b.crossTab.onLeaderChange((event) => void seen.push(event));
    const failing = b.crossTab.onLeaderChange(() => {
      throw new Error('listener failed');
    });
    await tabs.settle();
    a.close();
    await tabs.settle();
    expect(seen).toEqual([
      { leaderTabId: 'tab-a', previousLeaderTabId: undefined, isLeader: false },
      { leaderTabId: undefined, previousLeaderTabId: 'tab-a', isLeader: false },
      { leaderTabId: 'tab-b', previousLeaderTabId: undefined, isLeader: true },
    ]);
    expect(seen).toEqual(leaderEvents(b));
    // A throwing listener is reported and stops nothing.
    expect(b.errors).toEqual([
      new Error('listener failed'),
      new Error('listener failed'),
      new Error('listener failed'),
    ]);
    off();
    failing();
    tabs.open('tab-c');
    b.close();
    await tabs.settle();
    expect(seen).toHaveLength(3);
  });
});
