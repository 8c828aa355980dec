import { createPubSub } from '@switchboard/bus';
import { installDevtoolsHook } from '@switchboard/bus/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { installRecorder, RECORDER_KEY, type Recorder, type RecorderInit } from '../../src/playwright/recorder.ts';

// As in a page: only the function's source text is run, so anything it reached outside itself
// would be a ReferenceError here.
const runFromSource = new Function('init', `(${installRecorder.toString()})(init)`) as (init: RecorderInit) => void;

function installed(): Recorder | undefined {
  return (globalThis as unknown as Record<symbol, Recorder | undefined>)[RECORDER_KEY];
}

function recorder(): Recorder {
  const found = installed();
  if (found === undefined) throw new Error('recorder(): none installed');
  return found;
}

afterEach(() => {
  installed()?.uninstall();
});

describe('installRecorder', () => {
  it('is self-contained and records deliveries of buses created after it, as clones', () => {
    const before = createPubSub({ app: 'early', tabId: 't0' });
    runFromSource({ pattern: 'orders.#' });
    const bus = createPubSub({ app: 'orders', tabId: 't1' });
    before.publish('orders.early', 0);
    const payload = { id: 1 };
    const message = bus.publish('orders.created', payload, { correlationId: 'c1' });
    bus.publish('cart.updated', {});
    payload.id = 2;

    expect(recorder().messages).toEqual([
      {
        seq: 0,
        id: message.id,
        topic: 'orders.created',
        payload: { id: 1 },
        ts: message.ts,
        source: 'orders',
        meta: { correlationId: 'c1' },
        origin: { tabId: 't1' },
        remote: false,
        busApp: 'orders',
      },
    ]);
    expect(recorder().observed).toBe(2);
    expect(recorder().tabIds()).toEqual(['t1']);
  });

  it('always records $sys. events and marks injected messages remote', () => {
    installRecorder({ pattern: 'none' });
    const bus = createPubSub({ app: 'a', tabId: 't1' });
    let link: Parameters<Parameters<typeof bus.attach>[0]['connect']>[0] | undefined;
    bus.attach({ name: 'fake-cross-tab', connect: (l) => (link = l) });
    link!.publishSystem('$sys.tab.joined', { tabId: 't2', apps: ['b'] });
    link!.inject({
      id: 'x',
      topic: 'none',
      payload: 1,
      ts: 0,
      source: 'b',
      meta: {},
      origin: { tabId: 't2' },
      depth: 0,
    });
    expect(recorder().messages.map(({ topic, remote }) => ({ topic, remote }))).toEqual([
      { topic: '$sys.tab.joined', remote: false },
      { topic: 'none', remote: true },
    ]);
  });

  it('matches patterns like the bus', () => {
    installRecorder({ pattern: '#' });
    const { matches } = recorder();
    expect(matches('a.#', 'a')).toBe(true);
    expect(matches('a.#', 'a.b.c')).toBe(true);
    expect(matches('#', 'x.y')).toBe(true);
    expect(matches('a.+', 'a.b')).toBe(true);
    expect(matches('a.+', 'a')).toBe(false);
    expect(matches('a.+', 'a.b.c')).toBe(false);
    expect(matches('a.b', 'a.bc')).toBe(false);
  });

  it('read() returns what is there, or waits for the next message', async () => {
    installRecorder({ pattern: '#' });
    const bus = createPubSub({ app: 'a', tabId: 't1' });
    const { documentId } = recorder();
    bus.publish('x.one', 1);
    expect(await recorder().read(0, 'x.#', 1000)).toEqual({
      documentId,
      next: 1,
      matching: [expect.objectContaining({ topic: 'x.one' })],
      otherTopics: [],
    });
    const next = recorder().read(1, 'x.#', 10_000);
    bus.publish('y.two', 2);
    expect(await next).toEqual({ documentId, next: 2, matching: [], otherTopics: ['y.two'] });
    expect(await recorder().read(2, '#', 0)).toEqual({ documentId, next: 2, matching: [], otherTopics: [] });
  });

  it('read() from another document (the page reloaded) starts from 0', async () => {
    installRecorder({ pattern: '#' });
    createPubSub({ app: 'a', tabId: 't1' }).publish('x.one', 1);
    const batch = await recorder().read(5, '#', 0, 'an-older-document');
    expect(batch).toMatchObject({ next: 1, matching: [{ topic: 'x.one' }] });
    expect(batch.documentId).not.toBe('an-older-document');
  });

  it('settle() waits for async handlers and what they publish', async () => {
    installRecorder({ pattern: '#' });
    const bus = createPubSub({ app: 'a', tabId: 't1' });
    bus.subscribe('ping', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      bus.publish('pong', null);
    });
    bus.publish('ping', null);
    expect(await recorder().settle()).toBe(2);
    expect(recorder().messages.map((message) => message.topic)).toEqual(['ping', 'pong']);
  });

  it('keeps a hook installed before it working, and puts it back on uninstall', () => {
    const theirs: string[] = [];
    const remove = installDevtoolsHook({ connect: () => (message) => theirs.push(message.topic) });
    installRecorder({ pattern: '#' });
    createPubSub({ app: 'a', tabId: 't1' }).publish('one', 1);
    recorder().uninstall();
    createPubSub({ app: 'a', tabId: 't1' }).publish('two', 2);
    expect(theirs).toEqual(['one', 'two']);
    remove();
  });
});
