import { createPubSub, type Message } from '@switchboard/bus';
import { createFakeClock, createMemoryChannelHub, createTestTabs, type TestTabs } from '@switchboard/testing';
import { describe, expect, it, vi } from 'vitest';
import { attachCrossTab, type CrossTab, type CrossTabOptions } from '../src/index.ts';

/** Opens `count` buses in page `tabId`, as that many bundled copies of an MFE would. */
function openCopies(tabs: TestTabs<CrossTab, CrossTabOptions>, tabId: string, count: number, prefix = 'mfe') {
  return Array.from({ length: count }, (_, i) => tabs.open(tabId, `${prefix}${i}`));
}

describe('one shared channel per tab', () => {
  it('gives twenty bus copies of a tab one heartbeat, not twenty', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000 });
    openCopies(tabs, 'tab-a', 20);
    openCopies(tabs, 'tab-b', 20);
    await tabs.advance(2000);
    const before = tabs.hub.posted;
    await tabs.advance(10_000, 1000);
    // One beat per tab and heartbeat: 2 tabs x 10 heartbeats.
    expect(tabs.hub.posted - before).toBe(20);
  });

  it('delivers every message once to each subscriber of every copy, in per-publisher order', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const buses = [...openCopies(tabs, 'tab-a', 3, 'a'), ...openCopies(tabs, 'tab-b', 2, 'b')];
    await tabs.settle();
    for (let round = 0; round < 2; round++) {
      for (const [index, tab] of buses.entries()) {
        for (let n = 0; n < 25; n++) tab.bus.publish(`load.p${index}`, round * 25 + n);
      }
      await tabs.settle();
    }
    for (const tab of buses) {
      const load = tab.seen.filter((m) => m.topic.startsWith('load.'));
      expect(load).toHaveLength(250);
      expect(new Set(load.map((m) => m.id)).size).toBe(250);
      for (let publisher = 0; publisher < buses.length; publisher++) {
        const payloads = load.filter((m) => m.topic === `load.p${publisher}`).map((m) => m.payload);
        expect(payloads).toEqual(Array.from({ length: 50 }, (_, n) => n));
      }
      expect(tab.crossTab.stats()).toMatchObject({ sent: 50, received: 200 });
    }
  });

  it('hands messages to the other copies of the tab after the publisher, with every field', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const [shell, orders] = openCopies(tabs, 'tab-a', 2);
    const order: string[] = [];
    shell!.bus.subscribe('orders.created', () => void order.push('shell'));
    orders!.bus.subscribe('orders.created', () => void order.push('orders'));
    const sent = orders!.bus.publish('orders.created', { id: 'o1' }, { correlationId: 'c1' });
    // Never nested in the publisher's call: the other copy gets it at the end of the run.
    expect(order).toEqual(['orders']);
    await tabs.settle();
    expect(order).toEqual(['orders', 'shell']);
    expect(shell!.seen.find((m) => m.topic === 'orders.created')).toEqual(sent);
  });

  it('hands the other copies a flat payload as a plain copy, as other tabs get it (it may be a Proxy)', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const [shell, orders] = openCopies(tabs, 'tab-a', 2);
    const flat = new Proxy({ id: 'o1', qty: 2 }, {});
    const nested = { id: 'o2', lines: [{ sku: 'a' }] };
    orders!.bus.publish('orders.created', flat);
    orders!.bus.publish('orders.created', nested);
    await tabs.settle();
    const [first, second] = shell!.seen.filter((m) => m.topic === 'orders.created');
    expect(first!.payload).not.toBe(flat);
    expect(first!.payload).toEqual({ id: 'o1', qty: 2 });
    expect(Object.getPrototypeOf(first!.payload)).toBe(Object.prototype);
    expect(second!.payload).toBe(nested);
  });

  it("lists each copy's app in presence, following buses that attach and detach", async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const [first, second] = openCopies(tabs, 'tab-a', 2);
    const other = tabs.open('tab-b', 'other');
    await tabs.settle();
    const appsOfA = () => other.crossTab.tabs().find((tab) => tab.tabId === 'tab-a')?.apps;
    expect(appsOfA()).toEqual(['mfe0', 'mfe1']);
    expect(first!.crossTab.tabs()[0]!.apps).toEqual(['mfe0', 'mfe1']);
    const late = tabs.open('tab-a', 'late');
    await tabs.settle();
    expect(appsOfA()).toEqual(['mfe0', 'mfe1', 'late']);
    second!.close();
    await tabs.settle();
    expect(appsOfA()).toEqual(['mfe0', 'late']);
    // The tab is still there: one bus left is no tab left.
    expect(other.topics('$sys.tab.left')).toEqual([]);
    first!.close();
    late.close();
    await tabs.settle();
    expect(other.seen.filter((m) => m.topic === '$sys.tab.left').map((m) => m.payload)).toEqual([
      { tabId: 'tab-a', reason: 'closed' },
    ]);
  });

  it('tells a bus that joins a running channel of the tabs and the leader it would have heard of', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const first = tabs.open('tab-a', 'first');
    tabs.open('tab-b', 'other');
    await tabs.advance(2000);
    expect(first.crossTab.isLeader()).toBe(true);
    const late = tabs.open('tab-a', 'late');
    await tabs.settle();
    expect(late.crossTab.isLeader()).toBe(true);
    expect(late.seen.filter((m) => m.topic.startsWith('$sys.')).map((m) => [m.topic, m.payload])).toEqual([
      ['$sys.tab.joined', { tabId: 'tab-b', apps: ['other'] }],
      ['$sys.leader.changed', { leaderTabId: 'tab-a', previousLeaderTabId: undefined, isLeader: true }],
    ]);
  });

  it('gives buses of one tab with other options a channel of their own, still talking to the rest', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const usual = tabs.open('tab-a', 'usual');
    const slow = tabs.open('tab-a', 'slow', { heartbeatMs: 2000, tabTimeoutMs: 10_000 });
    const other = tabs.open('tab-b', 'other');
    await tabs.settle();
    slow.bus.publish('x.from-slow', 1);
    usual.bus.publish('x.from-usual', 2);
    await tabs.settle();
    for (const tab of [usual, slow, other]) expect(tab.topics('x.').sort()).toEqual(['x.from-slow', 'x.from-usual']);
    expect(other.crossTab.tabs().map((tab) => [tab.tabId, [...tab.apps].sort()])).toEqual([
      ['tab-b', ['other']],
      ['tab-a', ['slow', 'usual']],
    ]);
  });

  it('is shared by separately loaded copies of the library through a versioned registry on globalThis', async () => {
    const hub = createMemoryChannelHub();
    const clock = createFakeClock();
    const options = { channel: 'copies', channelFactory: hub.create, clock, leaderElection: 'heartbeat' } as const;
    vi.resetModules();
    const second = (await import('../src/index.ts')) as typeof import('../src/index.ts');
    expect(second.attachCrossTab).not.toBe(attachCrossTab);
    const one = createPubSub({ app: 'one', tabId: 'copies-tab', clock });
    const two = createPubSub({ app: 'two', tabId: 'copies-tab', clock });
    const crossOne = attachCrossTab(one, options);
    const crossTwo = second.attachCrossTab(two, options);
    const registry = (globalThis as Record<symbol, { version: number; channels: Map<string, unknown> }>)[
      Symbol.for('switchboard.cross-tab.registry@1')
    ];
    expect(registry?.version).toBe(1);
    const got: Message[] = [];
    two.subscribe('copies.hello', (m) => void got.push(m));
    one.publish('copies.hello', 1);
    await one.flush();
    await hub.flush();
    expect(got.map((m) => m.source)).toEqual(['one']);
    // One channel for the tab: its hello, the beat announcing the second app, the message.
    expect(hub.posted).toBe(3);
    expect(crossTwo.tabs()[0]!.apps).toEqual(['one', 'two']);
    crossOne.detach();
    crossTwo.detach();
  });
});
