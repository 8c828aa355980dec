import { describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createFakeClock, createFakeLocks, type FakeClock, type FakeLocks } from '@switchboard/testing';
import { createMemorySagaLog, createSaga, type SagaLog, type SagaStep } from '../src/index.ts';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await Promise.resolve();
  if (!condition()) throw new Error('until(): condition never became true');
}

/** What the steps did, in order, across every simulated tab: `<tab> <what> <key>`. */
interface World {
  readonly events: string[];
  /** Compensations of these steps hang (until the tab closes) when run by these tabs. */
  readonly hangCompensation: Map<string, string>;
  /** Compensations running now: a second one of the same step at once is a failure. */
  readonly running: Set<string>;
  readonly overlaps: string[];
}

const STEPS = ['reserve', 'pay', 'ship', 'notify'];

function steps(world: World, tabId: string): SagaStep<{ order: string }>[] {
  return STEPS.map((name) => ({
    name,
    // 'notify' never finishes: the first tab closes while it runs.
    action: ({ idempotencyKey }) => {
      world.events.push(`${tabId} do ${idempotencyKey}`);
      return name === 'notify' ? new Promise(() => {}) : `${name}-id`;
    },
    compensation: async ({ idempotencyKey, rerun }) => {
      world.events.push(`${tabId} undo ${idempotencyKey}${rerun ? ' (rerun)' : ''}`);
      if (world.running.has(name)) world.overlaps.push(`${tabId} ${name}`);
      world.running.add(name);
      if (world.hangCompensation.get(name) === tabId) return new Promise<never>(() => {});
      await Promise.resolve();
      world.running.delete(name);
      return undefined;
    },
  }));
}

function newWorld(): World {
  return { events: [], hangCompensation: new Map(), running: new Set(), overlaps: [] };
}

function tab(tabId: string, clock: FakeClock, log: SagaLog, world: World, locks: FakeLocks | false) {
  const bus = createPubSub({ app: 'shop', clock, tabId });
  const saga = createSaga<{ order: string }>(bus, {
    name: 'checkout',
    clock,
    durable: log,
    leaseMs: 3000,
    steps: steps(world, tabId),
    locks: locks === false ? false : locks.forTab(tabId),
  });
  return {
    saga,
    close() {
      // As the browser does: the tab's locks go, its code stops (its pending work never resumes).
      if (locks !== false) locks.closeTab(tabId);
      saga.dispose();
      bus.dispose();
      for (const [step, holder] of world.hangCompensation) if (holder === tabId) world.running.delete(step);
    },
  };
}

describe('saga compensation across closing tabs', () => {
  it('with Web Locks: a compensation interrupted by a closed tab is rerun once elsewhere, with the same key; logged ones never', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    const locks = createFakeLocks();
    const world = newWorld();
    const a = tab('t-a', clock, log, world, locks);
    void a.saga.execute({ order: 'o1' }, { sagaId: 's1' });
    await until(() => world.events.length === 4);
    a.close();

    // B takes over at once (the lock is free: no waiting for the lease) and closes while
    // compensating 'pay', after 'ship' was compensated and logged.
    world.hangCompensation.set('pay', 't-b');
    const b = tab('t-b', clock, log, world, locks);
    await until(() => world.events.includes('t-b undo s1:1:compensation'));
    b.close();
    world.events.push('closed t-b');

    // Two tabs start together: one finishes the saga, the other finds nothing left to do.
    const c = tab('t-c', clock, log, world, locks);
    const d = tab('t-d', clock, log, world, locks);
    await Promise.all([c.saga.recovery, d.saga.recovery]);
    await until(() => log.size === 0);

    const undo = world.events.filter((e) => e.includes(' undo ') || e.startsWith('closed'));
    const takeover = undo[3]!.slice(0, 3);
    expect(['t-c', 't-d']).toContain(takeover);
    expect(undo).toEqual([
      't-b undo s1:2:compensation',
      't-b undo s1:1:compensation',
      'closed t-b',
      `${takeover} undo s1:1:compensation (rerun)`,
      `${takeover} undo s1:0:compensation`,
    ]);
    expect(world.overlaps).toEqual([]);
    expect(world.events.filter((e) => e.includes(' do '))).toHaveLength(4);
  });

  it('with Web Locks: a live tab keeps its saga even when its lease has long run out', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    const locks = createFakeLocks();
    const world = newWorld();
    world.hangCompensation.set('ship', 't-a');
    const a = tab('t-a', clock, log, world, locks);
    const controller = new AbortController();
    void a.saga.execute({ order: 'o1' }, { sagaId: 's1', signal: controller.signal });
    await until(() => world.events.length === 4);
    controller.abort('cancelled by the user');
    await until(() => world.events.some((e) => e.startsWith('t-a undo')));
    // Timers of a background tab can stall: no renewal for ten leases.
    clock.advance(30_000);
    const b = tab('t-b', clock, log, world, locks);
    expect(await b.saga.recovery).toEqual([]);
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(world.events.filter((e) => e.startsWith('t-b'))).toEqual([]);
    a.close();
    await until(() => log.size === 0);
    expect(world.events.filter((e) => e.startsWith('t-b'))).toEqual([
      't-b undo s1:2:compensation (rerun)',
      't-b undo s1:1:compensation',
      't-b undo s1:0:compensation',
    ]);
    expect(world.overlaps).toEqual([]);
  });

  it('with leases only: the interrupted compensation is rerun after the lease, with the same key', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    const world = newWorld();
    const a = tab('t-a', clock, log, world, false);
    void a.saga.execute({ order: 'o1' }, { sagaId: 's1' });
    await until(() => world.events.length === 4);
    a.close();
    clock.advance(3001);
    world.hangCompensation.set('pay', 't-b');
    const b = tab('t-b', clock, log, world, false);
    await until(() => world.events.includes('t-b undo s1:1:compensation'));
    b.close();
    const c = tab('t-c', clock, log, world, false);
    expect(await c.saga.recovery).toEqual([]);
    clock.advance(3001);
    await until(() => log.size === 0);
    expect(world.events.filter((e) => e.startsWith('t-c'))).toEqual([
      't-c undo s1:1:compensation (rerun)',
      't-c undo s1:0:compensation',
    ]);
  });

  it('never starts a compensation again once its completion is logged, even if the record outlived its tab', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    await log.write({
      id: 's9',
      name: 'checkout',
      input: { order: 'o9' },
      status: 'compensating',
      owner: 'gone',
      leaseUntil: 0,
      startedAt: 0,
      steps: [
        { status: 'compensated', result: 'reserve-id' },
        { status: 'compensation-failed', result: 'pay-id', error: { name: 'Error', message: 'x' } },
      ],
    });
    const world = newWorld();
    const b = tab('t-b', clock, log, world, createFakeLocks());
    const [result] = await b.saga.recovery;
    expect(result).toMatchObject({ success: false, sagaId: 's9' });
    expect(world.events).toEqual([]);
    expect(log.size).toBe(0);
  });

  it('refuses to run a sagaId that another tab is running', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    const locks = createFakeLocks();
    const world = newWorld();
    const a = tab('t-a', clock, log, world, locks);
    void a.saga.execute({ order: 'o1' }, { sagaId: 'same' });
    await until(() => world.events.length === 4);
    const b = tab('t-b', clock, log, world, locks);
    const result = await b.saga.execute({ order: 'o1' }, { sagaId: 'same' });
    expect(result.success).toBe(false);
    expect(String((result.error as Error).message)).toMatch(/already running in another tab/);
    expect(world.events.filter((e) => e.startsWith('t-b'))).toEqual([]);
  });
});
