import { createPubSub, type Message } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createFakeClock, createTestTabs } from '@switchboard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFrameHostCore } from '../src/frame-host.ts';
import { createFrameHost } from '../src/index.ts';
import { createJoiner } from '../src/joiner.ts';
import { readPortMessage } from '../src/protocol.ts';
import type { PortLike } from '../src/window-like.ts';
import { embed, type FakeEmbedding, until } from './fake-windows.ts';

const HOST = 'https://shell.example.com';
const FRAME = 'https://orders.example.com';
const BEAT = 100;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setup() {
  const clock = createFakeClock(1000);
  const bus = createPubSub({ app: 'shell' });
  cleanups.push(() => bus.dispose());
  const events: Message[] = [];
  bus.subscribe('$sys.frame.#', (message) => void events.push(message));
  const page = embed(HOST, FRAME);
  const core = createFrameHostCore(bus, { window: page.host, clock, heartbeatMs: BEAT });
  const sessions: Array<{ closed: boolean }> = [];
  const connection = core.connect({
    role: 'app',
    app: 'orders',
    origins: [FRAME],
    element: page.element,
    grant: () => ({ app: 'orders', tabId: bus.tabId, heartbeatMs: BEAT }),
    openSession() {
      const session = { closed: false };
      sessions.push(session);
      return {
        receive() {},
        close: () => {
          session.closed = true;
        },
      };
    },
  });
  const left = () =>
    events.filter((m) => m.topic === '$sys.frame.left').map((m) => (m.payload as { reason: string }).reason);
  return { clock, bus, page, core, connection, sessions, events, left };
}

/** Joins like a frame document would; `answer` decides whether pings get their pongs. */
async function frameJoins(page: FakeEmbedding, answer = true): Promise<{ port: PortLike; pings: number[] }> {
  const joiner = createJoiner({
    role: 'app',
    app: 'orders',
    origins: [HOST],
    self: page.frame,
    parent: page.parent,
    clock: createFakeClock(),
    caller: "joinHost('orders')",
    refuse: () => {},
  });
  cleanups.push(() => joiner.close());
  const { port } = await joiner.join(5000);
  const pings: number[] = [];
  port.onmessage = (event) => {
    for (const item of Array.isArray(event.data) ? event.data : [event.data]) {
      const message = readPortMessage(item);
      if (message?.t !== 'ping') continue;
      pings.push(message.n);
      if (answer) port.postMessage({ t: 'pong', n: message.n });
    }
  };
  return { port, pings };
}

describe('heartbeats and leaving', () => {
  it('keeps a frame that answers its pings', async () => {
    const { clock, page, connection } = setup();
    const { pings } = await frameJoins(page);
    for (let beat = 1; beat <= 5; beat++) {
      clock.advance(BEAT);
      await until(() => expect(pings).toHaveLength(beat));
      // Its pong must arrive before the next beat for the frame to count as answering.
      await until(() => expect(connection.stats().received).toBe(beat));
    }
    expect(connection.state).toBe('connected');
  });

  it('drops a frame that misses two pings in a row, closing its session, and says so', async () => {
    const { clock, page, connection, sessions, left } = setup();
    const { pings } = await frameJoins(page, false);
    clock.advance(BEAT);
    await until(() => expect(pings).toEqual([1]));
    clock.advance(BEAT);
    await until(() => expect(pings).toEqual([1, 2]));
    expect(connection.state).toBe('connected');
    clock.advance(BEAT);
    expect(connection.state).toBe('waiting');
    expect(sessions[0]!.closed).toBe(true);
    expect(left()).toEqual(['timeout']);
  });

  it('drops a frame whose element left the page at the next beat', async () => {
    const { clock, page, connection, sessions, left } = setup();
    await frameJoins(page);
    page.element.contentWindow = null;
    clock.advance(BEAT);
    expect(connection.state).toBe('waiting');
    expect(sessions[0]!.closed).toBe(true);
    expect(left()).toEqual(['removed']);
  });

  it('drops a frame at once when it says goodbye (navigating away, reloading)', async () => {
    const { page, connection, sessions, left } = setup();
    const { port } = await frameJoins(page);
    port.postMessage({ t: 'bye' });
    await until(() => expect(connection.state).toBe('waiting'));
    expect(sessions[0]!.closed).toBe(true);
    expect(left()).toEqual(['closed']);
  });

  it('a reloaded frame rejoins: the old session closes, a new one opens', async () => {
    const { page, connection, sessions, events } = setup();
    await frameJoins(page);
    page.frame.navigate();
    await frameJoins(page);
    expect(connection.state).toBe('connected');
    expect(sessions.map((s) => s.closed)).toEqual([true, false]);
    expect(events.map((m) => [m.topic, (m.payload as { reason?: string }).reason])).toEqual([
      ['$sys.frame.joined', undefined],
      ['$sys.frame.left', 'rejoined'],
      ['$sys.frame.joined', undefined],
    ]);
    expect(connection.stats()).toMatchObject({ joins: 2, leaves: 1 });
  });

  it('close() tells the frame, ends the session and ignores the frame afterwards', async () => {
    const { page, connection, sessions, left, core } = setup();
    const { port } = await frameJoins(page);
    const got: unknown[] = [];
    port.onmessage = (event) => void got.push(event.data);
    connection.close();
    expect(connection.state).toBe('closed');
    expect(sessions[0]!.closed).toBe(true);
    expect(left()).toEqual(['disconnected']);
    await until(() => expect(got).toEqual([{ t: 'bye' }]));
    expect(core.frames()).toEqual([]);
  });

  it('disposing the bus closes every connection', async () => {
    const { bus, page, connection } = setup();
    await frameJoins(page);
    bus.dispose();
    expect(connection.state).toBe('closed');
  });
});

describe('in other tabs', () => {
  it('every tab hears a frame join and leave, from the host tab', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const hostTab = tabs.open('t-a', 'shell');
    const otherTab = tabs.open('t-b', 'shell');
    const page = embed(HOST, FRAME);
    const host = createFrameHost(hostTab.bus, { window: page.host, clock: tabs.clock, heartbeatMs: BEAT });
    host.connectFrame(page.element, { origin: FRAME, app: 'orders' });
    await frameJoins(page);
    page.element.contentWindow = null;
    tabs.clock.advance(BEAT);
    await tabs.settle();
    const heard = otherTab.seen.filter((m) => m.topic.startsWith('$sys.frame.'));
    expect(heard.map((m) => [m.topic, m.origin.tabId, (m.payload as { reason?: string }).reason])).toEqual([
      ['$sys.frame.joined', 't-a', undefined],
      ['$sys.frame.left', 't-a', 'removed'],
    ]);
  });
});
