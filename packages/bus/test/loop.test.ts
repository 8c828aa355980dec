import { describe, expect, it } from 'vitest';
import { createPubSub, isLoopDetectedError, isSwitchboardError } from '../src/index.ts';

describe('loop detection', () => {
  it('stops a ping-pong loop with a diagnostic instead of freezing', () => {
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'loop', maxDepth: 10, onError: (error) => errors.push(error) });
    let pings = 0;
    bus.subscribe('ping', () => {
      pings++;
      bus.publish('pong', null);
    });
    bus.subscribe('pong', () => void bus.publish('ping', null));
    bus.publish('ping', null);
    expect(pings).toBe(6);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toSatisfy(isLoopDetectedError);
    expect(String((errors[0] as Error).message)).toMatch(/causation depth 11 exceeds maxDepth 10/);
    expect(bus.stats().loopsStopped).toBe(1);
    // the bus still works afterwards
    expect(bus.publish('ping.other', null).depth).toBe(0);
  });

  it('records causation and inherits the correlation id', () => {
    const bus = createPubSub({ app: 'c' });
    let reply: { causationId?: string; correlationId?: string; depth: number } | undefined;
    bus.subscribe('req', () => void bus.publish('res', null));
    bus.subscribe('res', (m) => {
      reply = { ...m.meta, depth: m.depth };
    });
    const request = bus.publish('req', null, { correlationId: 'corr-1' });
    expect(reply).toEqual({ causationId: request.id, correlationId: 'corr-1', depth: 1 });
  });

  it('follows an explicit causationId across async handlers', async () => {
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'async-loop', maxDepth: 5, onError: (error) => errors.push(error) });
    bus.subscribe('tick', async (m) => {
      await Promise.resolve();
      bus.publish('tick', null, { causationId: m.id });
    });
    bus.publish('tick', null);
    await bus.flush();
    expect(errors.some((error) => isSwitchboardError(error, 'LOOP_DETECTED'))).toBe(true);
  });

  it('catches a loop that runs through two buses in one tab', () => {
    const errors: unknown[] = [];
    const onError = (error: unknown): number => errors.push(error);
    const a = createPubSub({ app: 'a', maxDepth: 8, onError });
    const b = createPubSub({ app: 'b', maxDepth: 8, onError });
    a.subscribe('x', () => void b.publish('y', null));
    b.subscribe('y', () => void a.publish('x', null));
    a.publish('x', null);
    expect(errors.some((error) => isSwitchboardError(error, 'LOOP_DETECTED'))).toBe(true);
  });
});
