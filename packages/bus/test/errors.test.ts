import { describe, expect, it, vi } from 'vitest';
import * as bus from '../src/index.ts';

/** A second, independent copy of the bus module, as a second bundled copy of the library is. */
async function secondCopy(): Promise<typeof bus> {
  vi.resetModules();
  return import('../src/index.ts');
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('error guards', () => {
  it('tell each class apart, and subclasses from their base', () => {
    const topic = thrownBy(() => bus.createPubSub({ app: 'a' }).publish('a.+', 1));
    expect(bus.isTopicError(topic)).toBe(true);
    expect(bus.isSwitchboardError(topic, 'INVALID_TOPIC')).toBe(true);
    expect(bus.isSwitchboardError(topic, 'TIMEOUT')).toBe(false);
    expect(bus.isLoopDetectedError(topic)).toBe(false);
    expect(bus.isTimeoutError(topic)).toBe(false);

    const timeout = new bus.TimeoutError('TIMEOUT', 'waitFor(): late');
    expect([bus.isTimeoutError(timeout), bus.isSwitchboardError(timeout), bus.isTopicError(timeout)]).toEqual([
      true,
      true,
      false,
    ]);
    const loop = new bus.LoopDetectedError('a', 33, 32);
    expect([bus.isLoopDetectedError(loop), bus.isSwitchboardError(loop, 'LOOP_DETECTED')]).toEqual([true, true]);
    for (const value of [new Error('x'), { code: 'INVALID_TOPIC', name: 'TopicError' }, null, 'TopicError']) {
      expect(bus.isSwitchboardError(value)).toBe(false);
      expect(bus.isTopicError(value)).toBe(false);
    }
  });

  it('recognise the errors of another bundled copy of the bus, both ways', async () => {
    const other = await secondCopy();
    // Really another copy: its classes are not these.
    expect(other.TopicError).not.toBe(bus.TopicError);
    const theirs = thrownBy(() => other.createPubSub({ app: 'b' }).subscribe('a.#.b', () => {}));
    const ours = thrownBy(() => bus.createPubSub({ app: 'a' }).subscribe('a.#.b', () => {}));
    for (const error of [theirs, ours]) {
      expect(bus.isTopicError(error)).toBe(true);
      expect(other.isTopicError(error)).toBe(true);
      expect(bus.isSwitchboardError(error, 'INVALID_PATTERN')).toBe(true);
      expect(other.isSwitchboardError(error, 'INVALID_PATTERN')).toBe(true);
    }
    const timeout = new other.TimeoutError('TIMEOUT', 'late');
    expect(bus.isTimeoutError(timeout)).toBe(true);
    expect(bus.isLoopDetectedError(new other.LoopDetectedError('a', 33, 32))).toBe(true);
    const refused = thrownBy(() => other.createPubSub({ app: 'b' }).publish('a.b', { save() {} }));
    expect([bus.isNotCloneableError(refused), bus.isTopicError(refused)]).toEqual([true, false]);
  });
});
