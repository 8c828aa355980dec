import { describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createFakeClock, type FakeClock } from '@switchboard/testing';
import { createMemorySagaLog, createSaga, type SagaLog, type SagaStep } from '../src/index.ts';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await Promise.resolve();
  if (!condition()) throw new Error('until(): condition never became true');
}

/** Steps whose effects are recorded in `world`, shared by every simulated tab. */
function steps(world: string[], hangAt?: number): SagaStep<{ order: string }>[] {
  return ['reserve', 'pay', 'confirm'].map((name, index) => ({
    name,
    action: ({ input }) => {
      world.push(`${name} ${input.order}`);
      return index === hangAt ? new Promise(() => {}) : `${name}-id`;
    },
    compensation: ({ result, input }) => void world.push(`undo ${name} ${input.order} (${String(result)})`),
  }));
}

function tab(
  clock: FakeClock,
  tabId: string,
  log: SagaLog,
  world: string[],
  options: { hangAt?: number; onInterrupted?: 'compensate' | 'resume' } = {},
) {
  const bus = createPubSub({ app: 'shop', clock, tabId });
  const events: string[] = [];
  bus.subscribe('saga.#', (m) => void events.push(m.topic));
  const saga = createSaga<{ order: string }>(bus, {
    name: 'checkout',
    clock,
    durable: log,
    leaseMs: 3000,
    steps: steps(world, options.hangAt),
    ...(options.onInterrupted ? { onInterrupted: options.onInterrupted } : {}),
  });
  return {
    bus,
    saga,
    events,
    close: () => {
      saga.dispose();
      bus.dispose();
    },
  };
}

describe('durable saga', () => {
  it('removes its log record once it completes or finishes compensating', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    const world: string[] = [];
    const a = tab(clock, 't-a', log, world);
    expect((await a.saga.execute({ order: 'o1' })).success).toBe(true);
    expect(log.size).toBe(0);
  });

  it('a saga whose tab closed mid-way is compensated by the next start, exactly once, no step twice', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    const world: string[] = [];
    const a = tab(clock, 't-a', log, world, { hangAt: 1 });
    void a.saga.execute({ order: 'o1' });
    await until(() => world.length === 2);
    a.close(); // the tab is gone: its lease is no longer renewed
    expect(log.size).toBe(1);

    // Two tabs start at once; the lease of the closed tab has not run out yet.
    const b = tab(clock, 't-b', log, world);
    const c = tab(clock, 't-c', log, world);
    expect(await b.saga.recovery).toEqual([]);
    expect(await c.saga.recovery).toEqual([]);
    clock.advance(3001);
    await until(() => log.size === 0);
    await until(() => world.length === 3);
    expect(world).toEqual(['reserve o1', 'pay o1', 'undo reserve o1 (reserve-id)']);
    expect([...b.events, ...c.events]).toEqual(['saga.failed', 'saga.step.compensated']);
    clock.runAll();
    expect(world).toHaveLength(3);
  });

  it('a live saga keeps its lease: other tabs never take it over', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    const world: string[] = [];
    const a = tab(clock, 't-a', log, world, { hangAt: 1 });
    void a.saga.execute({ order: 'o1' });
    await until(() => world.length === 2);
    const b = tab(clock, 't-b', log, world);
    await b.saga.recovery;
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      await until(() => true);
      for (let j = 0; j < 20; j++) await Promise.resolve();
    }
    expect(world).toEqual(['reserve o1', 'pay o1']);
    expect(b.events).toEqual([]);
  });

  it('a lease renewal the log fails is reported through onError, naming the saga', async () => {
    const clock = createFakeClock(1_000);
    const memory = createMemorySagaLog();
    let diskFull = false;
    const log: SagaLog = {
      write: (record) => (diskFull ? Promise.reject(new Error('disk full')) : memory.write(record)),
      unfinished: (name) => memory.unfinished(name),
      claim: (...args) => memory.claim(...args),
      remove: (...args) => memory.remove(...args),
    };
    const errors: Array<{ error: unknown; adapter: unknown }> = [];
    const bus = createPubSub({
      app: 'shop',
      clock,
      tabId: 't-a',
      onError: (error, context) => void errors.push({ error, adapter: (context as { adapter?: unknown }).adapter }),
    });
    const world: string[] = [];
    const saga = createSaga<{ order: string }>(bus, {
      name: 'checkout',
      clock,
      durable: log,
      leaseMs: 3000,
      steps: steps(world, 1),
    });
    void saga.execute({ order: 'o1' });
    await until(() => world.length === 2);
    diskFull = true;
    clock.advance(1000); // a third of the lease: the renewal is due
    await until(() => errors.length === 1);
    expect(errors[0]).toEqual({ error: new Error('disk full'), adapter: 'saga:checkout' });
    saga.dispose();
  });

  it('resumes after the last completed step when its definition says so', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    await log.write({
      id: 's1',
      name: 'checkout',
      input: { order: 'o9' },
      status: 'running',
      owner: 'gone',
      leaseUntil: 0,
      startedAt: 0,
      steps: [{ status: 'completed', result: 'reserve-id' }],
    });
    const world: string[] = [];
    const b = tab(clock, 't-b', log, world, { onInterrupted: 'resume' });
    const [result] = await b.saga.recovery;
    expect(result).toMatchObject({ success: true, sagaId: 's1', results: ['reserve-id', 'pay-id', 'confirm-id'] });
    expect(world).toEqual(['pay o9', 'confirm o9']);
    expect(log.size).toBe(0);
  });

  it('never reruns a step caught mid-action, even when resuming: it compensates instead', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    await log.write({
      id: 's2',
      name: 'checkout',
      input: { order: 'o7' },
      status: 'running',
      owner: 'gone',
      leaseUntil: 0,
      startedAt: 0,
      steps: [{ status: 'completed', result: 'reserve-id' }, { status: 'started' }],
    });
    const world: string[] = [];
    const [result] = await tab(clock, 't-b', log, world, { onInterrupted: 'resume' }).saga.recovery;
    expect(result?.success).toBe(false);
    expect(world).toEqual(['undo reserve o7 (reserve-id)']);
  });

  it('finishes an interrupted compensation without compensating a step twice', async () => {
    const clock = createFakeClock(1_000);
    const log = createMemorySagaLog();
    await log.write({
      id: 's3',
      name: 'checkout',
      input: { order: 'o5' },
      status: 'compensating',
      owner: 'gone',
      leaseUntil: 0,
      startedAt: 0,
      error: { name: 'Error', message: 'card declined' },
      steps: [
        { status: 'completed', result: 'reserve-id' },
        { status: 'compensated', result: 'pay-id' },
      ],
    });
    const world: string[] = [];
    const [result] = await tab(clock, 't-b', log, world).saga.recovery;
    expect(result).toMatchObject({ success: false, error: { message: 'card declined' } });
    expect(world).toEqual(['undo reserve o5 (reserve-id)']);
  });
});
