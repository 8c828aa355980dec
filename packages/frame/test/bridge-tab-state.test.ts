import { createPubSub, systemAccess } from '@switchboard/bus';
import { createMemoryHistory } from '@switchboard/history';
import { afterEach, describe, expect, it } from 'vitest';
import { frameHistory } from '../src/join.ts';
import { until } from './fake-windows.ts';
import { cleanUp, join, setup } from './bridge-setup.ts';

afterEach(cleanUp);

describe("the host tab's leadership and presence, seen from the frame", () => {
  it("a frame's helpers see the tab they run in, and its changes", async () => {
    const { bus, page } = setup();
    let leader = false;
    const listeners = new Set<() => void>();
    const tabs = [{ tabId: bus.tabId, apps: ['shell'], lastSeen: 1, leader: false }];
    bus.attach({
      name: 'fake-cross-tab',
      connect(link) {
        link.provide('leadership', { isLeader: () => leader, leaderTabId: () => (leader ? bus.tabId : 'other') });
        link.provide('presence', {
          tabs: () => tabs,
          onChange(listener: () => void) {
            listeners.add(listener);
            return () => void listeners.delete(listener);
          },
        });
      },
    });
    const frame = await join(page);
    const access = systemAccess(frame, 'rpc');
    type Leading = { isLeader(): boolean; leaderTabId(): string | undefined };
    type Tabs = { tabs(): Array<{ tabId: string }>; onChange(listener: () => void): () => void };
    await until(() => expect(access.lookup<Leading>('leadership')?.leaderTabId()).toBe('other'));
    expect(access.lookup<Leading>('leadership')?.isLeader()).toBe(false);
    expect(
      access
        .lookup<Tabs>('presence')
        ?.tabs()
        .map((tab) => tab.tabId),
    ).toEqual([bus.tabId]);

    let changes = 0;
    access.lookup<Tabs>('presence')!.onChange(() => void changes++);
    tabs.push({ tabId: 'tab-2', apps: ['orders'], lastSeen: 2, leader: false });
    for (const listener of listeners) listener();
    await until(() => expect(access.lookup<Tabs>('presence')?.tabs()).toHaveLength(2));
    expect(changes).toBe(1);
    leader = true;
    bus.attach({ name: 'leader-event', connect: (link) => void link.publishSystem('$sys.leader.changed', {}) });
    await until(() => expect(access.lookup<Leading>('leadership')?.isLeader()).toBe(true));
  });
});

describe("the host's history, read from the frame", () => {
  async function withHistory() {
    const history = createMemoryHistory();
    const context = setup(true, history);
    await history.attach(context.bus);
    return { ...context, history };
  }

  it('returns only what the app may receive', async () => {
    const { bus, page } = await withHistory();
    const allowed = bus.publish('orders.placed', { id: 'o1' });
    bus.publish('billing.charged', { amount: 3 });
    const stock = bus.publish('inventory.stock.sku-1', { qty: 2 });
    await bus.flush();
    const frame = await join(page);
    const stored = await frameHistory(frame).getHistory('#');
    expect(stored).toEqual([allowed, stock]);
    await expect(frameHistory(frame).getHistory('billing.#')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('subscribe replays the stored messages, then the live ones, none twice', async () => {
    const { bus, page } = await withHistory();
    const before = bus.publish('orders.placed', { id: 'o1' });
    await bus.flush();
    const frame = await join(page);
    const got: string[] = [];
    const replayed = frameHistory(frame).subscribe('orders.#', (m) => void got.push(m.id));
    const during = bus.publish('orders.shipped', { id: 'o1' });
    await replayed;
    const after = bus.publish('orders.paid', { id: 'o1' });
    await until(() => expect(got).toEqual([before.id, during.id, after.id]));
  });

  it('subscribe with { last } replays only the newest stored messages', async () => {
    const { bus, page } = await withHistory();
    bus.publish('orders.placed', { id: 'o1' });
    const newest = bus.publish('orders.placed', { id: 'o2' });
    await bus.flush();
    const frame = await join(page);
    const got: string[] = [];
    await frameHistory(frame).subscribe('orders.#', (m) => void got.push(m.id), { last: 1 });
    expect(got).toEqual([newest.id]);
  });

  it('without a history on connectFrame the query is refused, saying what to pass', async () => {
    const { page } = setup();
    const frame = await join(page);
    await expect(frameHistory(frame).getHistory('orders.#')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('pass { history } there'),
    });
  });

  it('frameHistory() of a bus that did not join a host says what it expects', () => {
    expect(() => frameHistory(createPubSub({ app: 'x' }))).toThrow(/expected the handle joinHost\(\) resolved to/);
  });
});
