import { createFakeLocks, createTestTabs, type TestTab, type TestTabs } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { writeEnvelope, type EnvelopeHead } from '../src/envelope.ts';
import { attachCrossTab, type CrossTab, type CrossTabOptions } from '../src/index.ts';

/**
 * A script on the channel that reads every envelope, as page code can, and posts forged ones
 * built from what it read.
 */
function intruder(tabs: TestTabs<CrossTab, CrossTabOptions>, tab: TestTab<CrossTab>) {
  const name = tab.bus.stats().adapters[0]!.replace(/^cross-tab:/, '');
  const channel = tabs.hub.create(name);
  const last = new Map<string, unknown[]>();
  channel.addEventListener('message', (event) => {
    const wire = event.data as unknown[];
    last.set(wire[4] as string, wire);
  });
  return {
    /** The header of the last envelope `tabId` posted, to copy from. */
    lastHead(tabId: string): EnvelopeHead & { kind: string } {
      const wire = last.get(tabId);
      if (wire === undefined) throw new Error(`intruder: nothing heard from ${tabId}`);
      const [, , kind, from, id, apps, seq, since, leader, ttl, proof] = wire;
      return {
        kind: kind as EnvelopeHead['kind'],
        from: from as string,
        tabId: id as string,
        apps: typeof apps === 'string' ? [apps] : (apps as string[]),
        seq: seq as number,
        since: since as number,
        leader: leader as boolean,
        ttl: ttl as number,
        proof: proof as string,
      };
    },
    post(head: EnvelopeHead, messages?: Parameters<typeof writeEnvelope>[1]): void {
      channel.postMessage(writeEnvelope(head, messages));
    },
  };
}

const topicsOf = (tab: TestTab<CrossTab>, topic: string): unknown[] =>
  tab.seen.filter((m) => m.topic === topic).map((m) => m.payload);

describe('one forged envelope', () => {
  it('with a copied sender id and sequence 2^53-1 does not silence the tab', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const spy = intruder(tabs, a);
    await tabs.advance(1000);
    spy.post({ ...spy.lastHead('tab-a'), kind: 'beat', seq: 2 ** 53 - 1 });
    await tabs.settle();
    for (let n = 0; n < 30; n++) {
      a.bus.publish('after.forgery', n);
      await tabs.advance(500);
    }
    expect(topicsOf(b, 'after.forgery')).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(b.crossTab.tabs().map((tab) => tab.tabId)).toEqual(['tab-b', 'tab-a']);
    expect(b.crossTab.stats().ignoredEnvelopes.duplicate).toBe(0);
  });

  it('cannot let an old envelope through again: a replay stays a duplicate', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const spy = intruder(tabs, a);
    await tabs.settle();
    a.bus.publish('once.only', 1);
    await tabs.settle();
    const batch = spy.lastHead('tab-a');
    const message = a.seen.find((m) => m.topic === 'once.only')!;
    spy.post({ ...batch, seq: 2 ** 53 - 1 }); // a jump first, then the replay
    spy.post(batch, [message]);
    await tabs.settle();
    expect(topicsOf(b, 'once.only')).toEqual([1]);
    expect(b.crossTab.stats().ignoredEnvelopes.duplicate).toBe(1);
  });

  it('claiming leadership for another tab makes no second leader where Web Locks exist, and is undone within a heartbeat', async () => {
    const tabs = createTestTabs({ attachCrossTab, leaderElection: 'locks', locks: createFakeLocks() });
    const a = tabs.open('tab-a');
    await tabs.settle();
    const b = tabs.open('tab-b');
    const c = tabs.open('tab-c');
    const spy = intruder(tabs, a);
    await tabs.advance(1000);
    expect(a.crossTab.isLeader()).toBe(true);
    const bHead = spy.lastHead('tab-b');
    spy.post({ ...bHead, seq: bHead.seq + 1, leader: true });
    // In c's own name too, from a sender that does not exist.
    spy.post({ ...bHead, from: 'tab-c.nobody', tabId: 'tab-c', seq: 1, leader: true });
    await tabs.settle();
    expect([a, b, c].map((tab) => tab.crossTab.isLeader())).toEqual([true, false, false]);
    await tabs.advance(1000);
    expect([a, b, c].map((tab) => tab.crossTab.leaderTabId())).toEqual(['tab-a', 'tab-a', 'tab-a']);
    expect([a, b, c].map((tab) => tab.crossTab.isLeader())).toEqual([true, false, false]);
  });

  it('saying goodbye for a live tab does not mark it as left, even with its commitment copied', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const spy = intruder(tabs, a);
    await tabs.advance(1000);
    const head = spy.lastHead('tab-a');
    spy.post({ ...head, kind: 'bye', seq: head.seq + 1, proof: head.proof });
    spy.post({ ...head, kind: 'bye', seq: head.seq + 2, proof: 'f'.repeat(32) });
    await tabs.settle();
    expect(topicsOf(b, '$sys.tab.left')).toEqual([]);
    expect(b.crossTab.tabs().map((tab) => tab.tabId)).toEqual(['tab-b', 'tab-a']);
    expect(b.crossTab.stats().ignoredEnvelopes.forged).toBe(2);
    a.bus.publish('still.here', 1);
    await tabs.settle();
    expect(topicsOf(b, 'still.here')).toEqual([1]);
    // The real goodbye still counts at once.
    a.close();
    await tabs.settle();
    expect(topicsOf(b, '$sys.tab.left')).toEqual([{ tabId: 'tab-a', reason: 'closed' }]);
  });

  it('cannot replay a goodbye after the tab came back from the back/forward cache: the secret was renewed', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const page = new EventTarget();
    const fire = (type: string, persisted: boolean): unknown =>
      page.dispatchEvent(Object.assign(new Event(type), { persisted }));
    const b = tabs.open('tab-b');
    const a = tabs.open('tab-a', 'app', { lifecycle: page, channelFactory: tabs.hub.create });
    const spy = intruder(tabs, b);
    await tabs.settle();
    fire('pagehide', true);
    await tabs.settle();
    const goodbye = spy.lastHead('tab-a');
    expect(goodbye.kind).toBe('bye');
    fire('pageshow', true);
    await tabs.advance(1000);
    spy.post({ ...goodbye, seq: spy.lastHead('tab-a').seq + 1 });
    await tabs.settle();
    expect(topicsOf(b, '$sys.tab.left')).toEqual([{ tabId: 'tab-a', reason: 'closed' }]); // the real one only
    expect(b.crossTab.tabs().map((tab) => tab.tabId)).toEqual(['tab-b', 'tab-a']);
    expect(a.crossTab.tabs()).toHaveLength(2);
  });

  it("carrying cross-tab's own $sys. events is dropped, counted and reported", async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const spy = intruder(tabs, a);
    await tabs.advance(1000);
    const head = spy.lastHead('tab-a');
    const forged = (topic: string, payload: unknown) => ({
      ...a.seen[0]!,
      id: `forged-${topic}`,
      topic,
      payload,
      origin: { tabId: 'tab-a' },
    });
    spy.post({ ...head, kind: 'batch', seq: head.seq + 1, proof: '' }, [
      forged('$sys.tab.left', { tabId: 'tab-a', reason: 'closed' }),
      forged('$sys.leader.changed', { leaderTabId: 'tab-x', isLeader: false }),
    ]);
    await tabs.settle();
    expect(topicsOf(b, '$sys.tab.left')).toEqual([]);
    expect(b.crossTab.stats().droppedMessages).toBe(2);
    expect(b.crossTab.leaderTabId()).toBe('tab-a');
    await tabs.advance(1000);
    expect(b.errors).toEqual([expect.objectContaining({ code: 'INVALID_ENVELOPE', counts: { droppedMessages: 2 } })]);
  });

  it('with a tiny or a huge time to live neither drops a live tab nor keeps a gone one for ever', async () => {
    const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000, tabTimeoutMs: 3000, hiddenTabTimeoutMs: 20_000 });
    const a = tabs.open('tab-a');
    const b = tabs.open('tab-b');
    const c = tabs.open('tab-c');
    const spy = intruder(tabs, a);
    await tabs.advance(1000);
    const aHead = spy.lastHead('tab-a');
    spy.post({ ...aHead, seq: aHead.seq + 1, ttl: 1 });
    c.crash();
    const cHead = spy.lastHead('tab-c');
    spy.post({ ...cHead, seq: cHead.seq + 1, ttl: Number.MAX_SAFE_INTEGER });
    await tabs.advance(2000, 500);
    expect(topicsOf(b, '$sys.tab.left')).toEqual([]);
    await tabs.advance(20_000, 1000);
    expect(topicsOf(b, '$sys.tab.left')).toEqual([{ tabId: 'tab-c', reason: 'timeout' }]);
  });
});
