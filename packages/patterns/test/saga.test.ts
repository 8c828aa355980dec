import { describe, expect, it } from 'vitest';
import { createPubSub, isSwitchboardError, type Message } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createSaga, type SagaStep } from '../src/index.ts';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await Promise.resolve();
  if (!condition()) throw new Error('until(): condition never became true');
}

function setup() {
  const clock = createFakeClock(1_000);
  const bus = createPubSub({ app: 'shop', clock });
  const events: string[] = [];
  const payloads: Message[] = [];
  bus.subscribe('saga.#', (m) => {
    events.push(m.topic.slice(5) + ('step' in (m.payload as object) ? `:${(m.payload as { step: number }).step}` : ''));
    payloads.push(m);
  });
  return { clock, bus, events, payloads };
}

function recordingSteps(log: string[], failAt?: number): SagaStep<{ order: string }>[] {
  return [1, 2, 3].map((n) => ({
    name: `s${n}`,
    action: ({ input }) => {
      log.push(`do ${n}`);
      if (n === failAt) throw new Error(`step ${n} failed for ${input.order}`);
      return `r${n}`;
    },
    compensation: ({ result }) => void log.push(`undo ${n} (${String(result)})`),
  }));
}

describe('saga', () => {
  it('runs steps in order and publishes progress with a saga id', async () => {
    const { bus, events, payloads } = setup();
    const log: string[] = [];
    const saga = createSaga(bus, { name: 'checkout', steps: recordingSteps(log) });
    const result = await saga.execute({ order: 'o1' }, { sagaId: 'saga-1' });
    expect(result).toMatchObject({ success: true, sagaId: 'saga-1', results: ['r1', 'r2', 'r3'] });
    expect(log).toEqual(['do 1', 'do 2', 'do 3']);
    expect(events).toEqual(['step.completed:1', 'step.completed:2', 'step.completed:3', 'completed']);
    expect(payloads.every((m) => (m.payload as { sagaId: string }).sagaId === 'saga-1')).toBe(true);
  });

  it('compensates completed steps in reverse order with their results', async () => {
    const { bus, events } = setup();
    const log: string[] = [];
    const result = await createSaga(bus, { steps: recordingSteps(log, 3) }).execute({ order: 'o2' });
    expect(result.success).toBe(false);
    expect((result.error as Error).message).toBe('step 3 failed for o2');
    expect(log).toEqual(['do 1', 'do 2', 'do 3', 'undo 2 (r2)', 'undo 1 (r1)']);
    expect(events).toEqual([
      'step.completed:1',
      'step.completed:2',
      'failed',
      'step.compensated:2',
      'step.compensated:1',
    ]);
  });

  it('reports a compensation that throws and goes on with the others', async () => {
    const { bus, events } = setup();
    const log: string[] = [];
    const steps = recordingSteps(log, 3);
    steps[1]!.compensation = () => {
      throw new Error('refund API down');
    };
    const result = await createSaga(bus, { steps }).execute({ order: 'o3' });
    expect(events.slice(-2)).toEqual(['compensation.failed:2', 'step.compensated:1']);
    expect(result.compensationErrors).toEqual([{ step: 1, error: { name: 'Error', message: 'refund API down' } }]);
  });

  it('fails a step on its timeout (read from the clock) and aborts its signal', async () => {
    const { bus, clock } = setup();
    const log: string[] = [];
    let signal: AbortSignal | undefined;
    const saga = createSaga(bus, { clock, stepTimeoutMs: 1000 })
      .addStep({ action: () => void log.push('do 1'), compensation: () => void log.push('undo 1') })
      .addStep({
        name: 'slow',
        timeoutMs: 200,
        action: (context) => {
          signal = context.signal;
          return new Promise(() => {});
        },
      });
    const pending = saga.execute();
    await until(() => signal !== undefined);
    clock.advance(200);
    const result = await pending;
    expect(isSwitchboardError(result.error, 'TIMEOUT')).toBe(true);
    expect((result.error as Error).message).toMatch(/^saga 'saga' action of slow: did not finish within 200 ms/);
    expect(signal?.aborted).toBe(true);
    expect(log).toEqual(['do 1', 'undo 1']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts with a reason, from the caller or from a step', async () => {
    const { bus } = setup();
    const log: string[] = [];
    let signal: AbortSignal | undefined;
    const controller = new AbortController();
    const saga = createSaga(bus)
      .addStep({ action: () => void log.push('do 1'), compensation: () => void log.push('undo 1') })
      .addStep({
        action: (context) => {
          signal = context.signal;
          controller.abort('user cancelled');
          return new Promise(() => {});
        },
      });
    const result = await saga.execute(undefined, { signal: controller.signal });
    expect(isSwitchboardError(result.error, 'ABORTED')).toBe(true);
    expect((result.error as Error).cause).toBe('user cancelled');
    expect(signal?.aborted).toBe(true);
    expect(log).toEqual(['do 1', 'undo 1']);

    const validated = await createSaga(bus)
      .addStep({ action: () => 'reserved', compensation: () => void log.push('released') })
      .addStep({ action: (context) => context.abort('2 items are no longer available') })
      .execute();
    expect((validated.error as Error).message).toContain('2 items are no longer available');
    expect(log.at(-1)).toBe('released');
  });
});
