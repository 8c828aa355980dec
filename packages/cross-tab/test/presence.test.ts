import type { AdapterLink, Leadership } from '@switchboard/bus';
import { describe, expect, it, vi } from 'vitest';
import { attachCrossTab, type Envelope, type Presence } from '../src/index.ts';
import { createPresence } from '../src/presence.ts';
import { createTestTabs, type MemoryChannel } from '@switchboard/testing';

function pageLifecycle() {
  const target = new EventTarget();
  return {
    target,
    fire: (type: 'pagehide' | 'pageshow', persisted: boolean) =>
      target.dispatchEvent(Object.assign(new Event(type), { persisted })),
  };
}

describe('presence', () => {
  it('lists the live tabs and their apps, and announces other tabs once', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a', 'shell');
    const b1 = tabs.open('tab-b', 'orders');
    const b2 = tabs.open('tab-b', 'inventory');
    await tabs.settle();
    expect(a.crossTab.tabs()).toEqual([
      { tabId: 'tab-a', apps: ['shell'], lastSeen: tabs.clock.now(), leader: false },
      { tabId: 'tab-b', apps: ['orders', 'inventory'], lastSeen: tabs.clock.now(), leader: false },
    ]);
    expect(b2.crossTab.tabs().map((t) => [t.tabId, t.apps])).toEqual([
      ['tab-b', ['orders', 'inventory']],
      ['tab-a', ['shell']],
    ]);
    expect(a.seen.filter((m) => m.topic === '$sys.tab.joined').map((m) => m.payload)).toEqual([
      { tabId: 'tab-b', apps: ['orders'] },
    ]);
    expect(b1.seen.filter((m) => m.topic === '$sys.tab.joined').map((m) => m.payload)).toEqual([
      { tabId: 'tab-a', apps: ['shell'] },
    ]);
    // Local events: the other tabs do not receive a copy of each tab's $sys.tab.* events.
    expect(a.seen.filter((m) => m.topic.startsWith('$sys.') && m.origin.tabId !== 'tab-a')).toEqual([]);
  });

  it('sees a tab that closes as left (closed) at once, and a crashed one after tabTimeoutMs (timeout)', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000, tabTimeoutMs: 3000 });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const c = tabs.open('tab-c');
    await tabs.settle();
    expect(a.crossTab.tabs()).toHaveLength(3);
    b.bus.dispose();
    await tabs.settle();
    expect(a.crossTab.tabs().map((t) => t.tabId)).toEqual(['tab-a', 'tab-c']);
    c.crash();
    await tabs.advance(2000);
    expect(a.crossTab.tabs()).toHaveLength(2);
    await tabs.advance(2000);
    expect(a.crossTab.tabs().map((t) => t.tabId)).toEqual(['tab-a']);
    expect(a.seen.filter((m) => m.topic === '$sys.tab.left').map((m) => m.payload)).toEqual([
      { tabId: 'tab-b', reason: 'closed' },
      { tabId: 'tab-c', reason: 'timeout' },
    ]);
  });

  it('keeps a tab alive while it sends heartbeats', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000, tabTimeoutMs: 3000 });
    const a = tabs.open('tab-a');
    tabs.open('tab-b');
    await tabs.advance(20_000, 500);
    expect(a.crossTab.tabs()).toHaveLength(2);
    expect(a.topics('$sys.tab.left')).toEqual([]);
  });

  it('gives a hidden tab, whose timers the browser may throttle, hiddenTabTimeoutMs before it is gone', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000, tabTimeoutMs: 3000, hiddenTabTimeoutMs: 60_000 });
    const a = tabs.open('tab-a');
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    const b = tabs.open('tab-b');
    await tabs.settle();
    vi.unstubAllGlobals();
    b.crash();
    await tabs.advance(30_000, 1000);
    expect(a.crossTab.tabs()).toHaveLength(2);
    await tabs.advance(31_000, 1000);
    expect(a.crossTab.tabs()).toHaveLength(1);
  });

  it('says goodbye on pagehide and rejoins on pageshow from the back/forward cache', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000, tabTimeoutMs: 3000 });
    const a = tabs.open('tab-a');
    const page = pageLifecycle();
    const channels: MemoryChannel[] = [];
    const channelFactory = (name: string): MemoryChannel => {
      const channel = tabs.hub.create(name);
      channels.push(channel);
      return channel;
    };
    const b = tabs.open('tab-b', 'app', { lifecycle: page.target, channelFactory });
    await tabs.settle();
    page.fire('pagehide', true);
    await tabs.settle();
    expect(a.crossTab.tabs().map((t) => t.tabId)).toEqual(['tab-a']);
    // Closed while cached: Chrome evicts a cached page that a channel message reaches, and the
    // other tabs keep sending heartbeats.
    expect(channels.map((channel) => channel.closed)).toEqual([true]);
    // Frozen in the cache: nothing in, nothing out, no heartbeat; the others time out meanwhile.
    await tabs.advance(10_000, 1000);
    page.fire('pageshow', true);
    await tabs.settle();
    expect(channels.map((channel) => channel.closed)).toEqual([true, false]);
    expect(a.crossTab.tabs().map((t) => t.tabId)).toEqual(['tab-a', 'tab-b']);
    expect(b.crossTab.tabs().map((t) => t.tabId)).toEqual(['tab-b', 'tab-a']);
    expect(a.seen.filter((m) => m.topic.startsWith('$sys.tab.')).map((m) => [m.topic, m.payload])).toEqual([
      ['$sys.tab.joined', { tabId: 'tab-b', apps: ['app'] }],
      ['$sys.tab.left', { tabId: 'tab-b', reason: 'closed' }],
      ['$sys.tab.joined', { tabId: 'tab-b', apps: ['app'] }],
    ]);
    // A normal pageshow (first load) changes nothing.
    page.fire('pageshow', false);
    b.bus.publish('still.talking', 1);
    await tabs.settle();
    expect(a.topics('still.')).toEqual(['still.talking']);
  });

  it('provides presence and leadership services to other adapters, withdrawn on detach', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    let link: AdapterLink | undefined;
    a.bus.attach({
      name: 'probe',
      connect(l) {
        link = l;
      },
    });
    tabs.open('tab-b');
    await tabs.advance(2000);
    const presence = link!.lookup<Presence>('presence')!;
    const leadership = link!.lookup<Leadership>('leadership')!;
    expect(presence.tabs().map((t) => t.tabId)).toEqual(['tab-a', 'tab-b']);
    expect(leadership.isLeader()).toBe(true);
    expect(leadership.leaderTabId()).toBe('tab-a');
    const listener = vi.fn();
    const off = presence.onChange(listener);
    tabs.open('tab-c', 'late');
    await tabs.settle();
    expect(listener).toHaveBeenLastCalledWith(
      expect.arrayContaining([expect.objectContaining({ tabId: 'tab-c', apps: ['late'] })]),
    );
    off();
    a.crossTab.detach();
    expect(link!.lookup('presence')).toBeUndefined();
    expect(link!.lookup('leadership')).toBeUndefined();
  });
});

describe('presence: sequence numbers of a sender', () => {
  const table = () =>
    createPresence({
      tabId: 'me',
      apps: () => ['app'],
      now: () => 0,
      minTtl: 1000,
      maxTtl: 5000,
      leaderTabId: () => undefined,
      onJoin: () => {},
      onLeave: () => {},
    });
  const envelope = (seq: number, kind: Envelope['kind'] = 'beat', firstId?: string): Envelope => ({
    switchboard: 3,
    kind,
    from: 'peer.x',
    tabId: 'peer',
    apps: ['app'],
    seq,
    since: 0,
    leader: false,
    ttl: 1000,
    proof: '',
    ...(firstId === undefined ? {} : { firstId }),
  });

  it('accepts the next number, drops repeats and older ones', () => {
    const presence = table();
    expect([1, 2, 2, 1, 3].map((seq) => presence.see(envelope(seq)))).toEqual([
      'joined',
      'seen',
      'duplicate',
      'duplicate',
      'seen',
    ]);
  });

  it('accepts a jump ahead but keeps the line it came from until the jump is continued', () => {
    const presence = table();
    presence.see(envelope(1));
    // A forged jump, then the sender goes on from where it was: nothing of its is dropped.
    expect([2 ** 53 - 1, 2, 3, 2 ** 53 - 1].map((seq) => presence.see(envelope(seq)))).toEqual([
      'seen',
      'seen',
      'seen',
      'seen', // a jump again, not a repeat: the first was forgotten when the line went on
    ]);
    // A real gap (this tab was frozen while the sender went on) becomes the line with its successor.
    expect([50, 51, 4, 52].map((seq) => presence.see(envelope(seq)))).toEqual(['seen', 'seen', 'duplicate', 'seen']);
  });

  it('keeps a real envelope that carries the number a forged one took first', () => {
    const presence = table();
    presence.see(envelope(1));
    expect(presence.see(envelope(2, 'batch', 'forged-id'))).toBe('seen');
    expect(presence.see(envelope(2, 'batch', 'real-id'))).toBe('seen');
    expect(presence.see(envelope(2, 'batch', 'real-id'))).toBe('duplicate');
  });

  it('bounds how long a peer is kept by its time to live', () => {
    const presence = table();
    presence.see({ ...envelope(1), ttl: 1 });
    expect(presence.peers()[0]!.expiresAt).toBe(1000);
    presence.see({ ...envelope(2), ttl: 10 ** 12 });
    expect(presence.peers()[0]!.expiresAt).toBe(5000);
  });
});
