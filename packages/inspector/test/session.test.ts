// @vitest-environment happy-dom
import { createPubSub, isSwitchboardError, systemAccess } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { isInspectorError, mountInspector, parseSession, SESSION_VERSION, serializeSession } from '../src/index.ts';
import { message, rows } from './fixtures.ts';

const commit = {
  storeId: 'cart',
  version: 1,
  opId: 'op-1',
  value: { items: 2 },
  tabId: 't',
  source: 'orders',
  label: 'set',
  ts: 1,
  schemaVersion: 1,
};

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('session files', () => {
  it('round-trips a recorded session: export, parse, and show it in a new inspector', async () => {
    const bus = createPubSub({ app: 'shell' });
    const live = mountInspector(document.createElement('div'), { bus });
    bus.publish('orders.placed', { orderId: 'o-1' });
    systemAccess(bus, 'store').publish('$sys.store.commit.cart', commit);
    systemAccess(bus, 'circuit').publish('$sys.circuit.pay.state', {
      name: 'pay',
      state: 'OPEN',
      previous: 'CLOSED',
      generation: 1,
      since: 1,
      tabId: bus.tabId,
    });
    await bus.flush();

    const session = parseSession(live.exportSession());
    expect(session.version).toBe(SESSION_VERSION);
    expect(session.tabId).toBe(bus.tabId);
    expect(session.messages.map((m) => m.topic)).toEqual([
      'orders.placed',
      '$sys.store.commit.cart',
      '$sys.circuit.pay.state',
    ]);
    expect(session.storeOperations).toEqual([
      expect.objectContaining({ kind: 'commit', storeId: 'cart', version: 1, source: 'orders' }),
    ]);

    const replay = document.createElement('div');
    mountInspector(replay, { session });
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect(rows(replay, 'message-row').map((row) => row.getAttribute('data-topic'))).toEqual(['orders.placed']);
    expect(rows(replay, 'circuit-row')[0]?.getAttribute('data-state')).toBe('OPEN');
    expect([...replay.querySelectorAll('.store-row')][0]?.getAttribute('data-version')).toBe('1');
    // And the replayed session exports to the same content.
    expect(JSON.parse(serializeSession({ ...session, exportedAt: session.exportedAt }))).toEqual(session);
  });

  it('leaves out, and counts, messages whose payload is not JSON', () => {
    const session = parseSession(
      serializeSession({ tabId: 't', messages: [message('a.b', { n: 1n }), message('a.c', 1)], storeOperations: [] }),
    );
    expect(session.messages.map((m) => m.topic)).toEqual(['a.c']);
    expect(session.skipped).toBe(1);
  });

  it('refuses a file of another version with a typed error that says what to do', () => {
    const text = serializeSession({ tabId: 't', messages: [], storeOperations: [] }).replace(
      '"version":1',
      '"version":2',
    );
    const error = caught(() => parseSession(text));
    expect(isInspectorError(error, 'UNSUPPORTED_SESSION_VERSION')).toBe(true);
    expect(isSwitchboardError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^parseSession: the file is session format version 2, this inspector reads version 1;/,
    );
  });

  const good = () => JSON.parse(serializeSession({ tabId: 't', messages: [message('a.b', 1)], storeOperations: [] }));
  const edited = (
    edit: (session: { messages: Array<Record<string, unknown>>; storeOperations: unknown[] }) => void,
  ): string => {
    const session = good();
    edit(session);
    return JSON.stringify(session);
  };
  it.each([
    { refused: 'not JSON', text: '{', path: '(file)' },
    { refused: 'another format', text: JSON.stringify({ format: 'har', version: 1 }), path: 'format' },
    {
      refused: 'a message without a topic',
      text: edited((session) => delete session.messages[0]?.topic),
      path: 'messages[0].topic',
    },
    {
      refused: 'an operation of an unknown kind',
      text: edited((session) => {
        session.storeOperations = [{ kind: 'merge', storeId: 's', tabId: 't', source: 'a', messageId: 'm', ts: 1 }];
      }),
      path: 'storeOperations[0].kind',
    },
  ])('refuses $refused, naming the field', ({ text, path }) => {
    const error = caught(() => parseSession(text));
    expect(isInspectorError(error, 'INVALID_SESSION')).toBe(true);
    expect((error as { path: string }).path).toBe(path);
    expect((error as Error).message).toMatch(/^parseSession: .*; load a file the inspector's Export wrote\.$/);
  });
});
