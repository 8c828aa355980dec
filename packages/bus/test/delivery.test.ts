import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPubSub, type PubSubBus } from '../src/index.ts';

function quietBus(): PubSubBus {
  return createPubSub({ app: 'test', onError: () => {} });
}

describe('delivery order', () => {
  it('delivers a publish made inside a handler after the message being handled', () => {
    const bus = quietBus();
    const log: string[] = [];
    bus.subscribe('first', () => {
      log.push('A got first');
      bus.publish('second', null);
      log.push('A done');
    });
    bus.subscribe('first', () => void log.push('B got first'));
    bus.subscribe('second', () => void log.push('B got second'));
    bus.publish('first', null);
    expect(log).toEqual(['A got first', 'A done', 'B got first', 'B got second']);
  });

  it('gives every subscriber the same global publish order', () => {
    const bus = quietBus();
    const a: number[] = [];
    const b: number[] = [];
    bus.subscribe('n', (m) => {
      a.push(m.payload as number);
      if (m.payload === 1) bus.publish('n', 3);
    });
    bus.subscribe('n', (m) => {
      b.push(m.payload as number);
      if (m.payload === 1) bus.publish('n', 4);
    });
    bus.publish('n', 1);
    bus.publish('n', 2);
    expect(a).toEqual([1, 3, 4, 2]);
    expect(b).toEqual(a);
  });

  it('never calls a handler unsubscribed during delivery, even for queued messages', () => {
    const bus = quietBus();
    const late = vi.fn();
    let offLate = (): void => {};
    bus.subscribe('x', () => {
      bus.publish('x.again', null);
      offLate();
    });
    offLate = bus.subscribe('x', late);
    bus.subscribe('x.again', () => {});
    bus.publish('x', null);
    expect(late).not.toHaveBeenCalled();
  });

  it('tells apart two subscriptions of one handler when one is dropped mid-delivery', () => {
    const bus = quietBus();
    const calls: string[] = [];
    const handler = (message: { topic: string }) => void calls.push(message.topic);
    let offSecond = (): void => {};
    bus.subscribe('z', () => offSecond());
    bus.subscribe('z', handler);
    offSecond = bus.subscribe('z', handler);
    bus.publish('z', null);
    // The first subscription still runs, the second was dropped before its turn.
    expect(calls).toEqual(['z']);
    expect(bus.stats().delivered).toBe(2); // the dropped one is not counted either
    bus.publish('z', null);
    expect(calls).toEqual(['z', 'z']);
    expect(bus.stats().delivered).toBe(4);
  });

  it('keeps dropping the right subscription when one was added in the same delivery', () => {
    const bus = quietBus();
    const dropped = vi.fn();
    let offDropped = (): void => {};
    bus.subscribe('w', () => {
      bus.subscribe('w', () => {}); // replaces the list the loop is reading…
      offDropped(); // …so this removal happens in the newer list, and must still reach this loop
    });
    offDropped = bus.subscribe('w', dropped);
    bus.publish('w', null);
    expect(dropped).not.toHaveBeenCalled();
  });

  it('delivers to a subscription made during delivery only from the next message', () => {
    const bus = quietBus();
    const added = vi.fn();
    bus.subscribe(
      'y',
      () => {
        bus.subscribe('y', added);
      },
      {},
    );
    bus.publish('y', 1);
    expect(added).not.toHaveBeenCalled();
    bus.publish('y', 2);
    expect(added).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering after a handler throws mid-queue', () => {
    const bus = quietBus();
    const seen: number[] = [];
    bus.subscribe('q', (m) => {
      if (m.payload === 1) {
        bus.publish('q', 2);
        throw new Error('boom');
      }
    });
    bus.subscribe('q', (m) => void seen.push(m.payload as number));
    bus.publish('q', 1);
    expect(seen).toEqual([1, 2]);
  });

  it('calls the subscribers of one message grouped by pattern: # first, then the name, then +', () => {
    const bus = quietBus();
    const log: string[] = [];
    for (const pattern of ['+.created', 'orders.+', 'orders.created', 'orders.#', '#', 'orders.created', '#']) {
      const index = log.length;
      bus.subscribe(pattern, () => void log.push(`${pattern} (${index})`));
      log.push('');
    }
    log.length = 0;
    bus.publish('orders.created', null);
    expect(log).toEqual([
      '# (4)',
      '# (6)',
      'orders.# (3)',
      'orders.created (2)',
      'orders.created (5)',
      'orders.+ (1)',
      '+.created (0)',
    ]);
  });

  it('starts a subscription made during delivery, on any pattern, with the next message', () => {
    const bus = quietBus();
    const log: string[] = [];
    bus.subscribe('a.b', (m) => {
      log.push(`a.b ${String(m.payload)}`);
      if (m.payload === 1) {
        bus.subscribe('#', (n) => void log.push(`# ${String(n.payload)}`));
        bus.subscribe('a.+', (n) => void log.push(`a.+ ${String(n.payload)}`));
      }
    });
    bus.publish('a.b', 1);
    bus.publish('a.b', 2);
    expect(log).toEqual(['a.b 1', '# 2', 'a.b 2', 'a.+ 2']);
  });

  it('finishes a delivery over several patterns when a handler changes the subscriptions', () => {
    // Its lists are the matcher's answer for the topic; a change made by a handler must not
    // clear or overwrite the lists still to be read, and queued messages get a fresh answer.
    const bus = quietBus();
    const log: string[] = [];
    let offLate: () => void = () => {};
    bus.subscribe('a.#', (m) => {
      log.push(`a.# ${m.topic}`);
      if (m.topic !== 'a.b') return;
      bus.subscribe('x.y', () => void log.push('x.y'));
      offLate = bus.subscribe('a.c', () => void log.push('late a.c'));
      bus.publish('a.c', null);
    });
    bus.subscribe('a.b', () => void log.push('a.b'));
    bus.subscribe('a.+', (m) => {
      log.push(`a.+ ${m.topic}`);
      offLate();
      bus.publish('x.y', null);
    });
    bus.publish('a.b', null);
    expect(log).toEqual(['a.# a.b', 'a.b', 'a.+ a.b', 'a.# a.c', 'a.+ a.c', 'x.y', 'x.y']);
  });
});

describe('flush', () => {
  // Work that waits on a timer: fake timers, so the test decides when it ends, not the machine.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for async handlers and what they publish', async () => {
    vi.useFakeTimers();
    const bus = quietBus();
    const done: string[] = [];
    bus.subscribe('step.one', async () => {
      await Promise.resolve();
      bus.publish('step.two', null);
    });
    bus.subscribe('step.two', async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done.push('two');
    });
    bus.publish('step.one', null);
    let flushed = false;
    const flushing = bus.flush().then(() => {
      flushed = true;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect([flushed, done]).toEqual([false, []]);
    await vi.advanceTimersByTimeAsync(1);
    await flushing;
    expect(done).toEqual(['two']);
    expect(bus.stats().pendingHandlers).toBe(0);
  });

  it('waits for attached adapters', async () => {
    vi.useFakeTimers();
    const bus = quietBus();
    let written = 0;
    bus.attach({
      name: 'slow-store',
      connect() {},
      flush: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        written++;
      },
    });
    bus.publish('a', 1);
    let flushed = false;
    const flushing = bus.flush().then(() => {
      flushed = true;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect([flushed, written]).toEqual([false, 0]);
    await vi.advanceTimersByTimeAsync(1);
    await flushing;
    expect(written).toBe(1);
  });
});
