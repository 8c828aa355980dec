import { createPubSub, type Message } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../src/connection.ts';
import { isFrameRefusedError } from '../src/errors.ts';
import { createFrameHostCore, type FrameHostCore } from '../src/frame-host.ts';
import { createJoiner, parentOriginOf, type Welcome } from '../src/joiner.ts';
import type { PortMessage } from '../src/protocol.ts';
import { windowMessage } from '../src/protocol.ts';
import { createFakeWindow, embed, settle, type FakeEmbedding, until } from './fake-windows.ts';

const HOST = 'https://shell.example.com';
const FRAME = 'https://orders.example.com';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setup(frameOrigin = FRAME) {
  const clock = createFakeClock(1000);
  const errors: unknown[] = [];
  const bus = createPubSub({ app: 'shell', onError: (error) => errors.push(error) });
  const system: Message[] = [];
  bus.subscribe('$sys.frame.#', (message) => void system.push(message));
  const page = embed(HOST, frameOrigin);
  const core = createFrameHostCore(bus, { window: page.host, clock, heartbeatMs: 100 });
  cleanups.push(() => bus.dispose());
  const received: PortMessage[] = [];
  const sessions: Array<{ closed: boolean }> = [];
  const connection = core.connect({
    role: 'app',
    app: 'orders',
    origins: [FRAME],
    element: page.element,
    grant: () => ({ app: 'orders', tabId: bus.tabId, heartbeatMs: 100 }),
    openSession(): Session {
      const session = { closed: false };
      sessions.push(session);
      return {
        receive: (message) => void received.push(message),
        close: () => {
          session.closed = true;
        },
      };
    },
  });
  return { clock, errors, bus, system, page, core, connection, received, sessions };
}

function joinFrom(page: FakeEmbedding, app = 'orders', origins = [HOST]) {
  const refusals: Array<{ reason: string; origin: string }> = [];
  const joiner = createJoiner({
    role: 'app',
    app,
    origins,
    self: page.frame,
    parent: page.parent,
    clock: createFakeClock(),
    caller: `joinHost('${app}')`,
    refuse: (reason, origin) => void refusals.push({ reason, origin }),
  });
  cleanups.push(() => joiner.close());
  return { joiner, refusals };
}

describe('handshake', () => {
  it('welcomes the frame with a port of its own and publishes $sys.frame.joined', async () => {
    const { page, connection, system, received } = setup();
    const { joiner } = joinFrom(page);
    const welcome: Welcome = await joiner.join(5000);
    expect(welcome.origin).toBe(HOST);
    expect(welcome.grant).toMatchObject({ app: 'orders', heartbeatMs: 100 });
    expect(connection.state).toBe('connected');
    expect(connection.origin).toBe(FRAME);
    expect(system.map((m) => [m.topic, m.payload])).toEqual([
      ['$sys.frame.joined', { app: 'orders', origin: FRAME, role: 'app' }],
    ]);
    welcome.port.postMessage({ t: 'sub', pattern: 'orders.#' });
    await until(() => expect(received).toEqual([{ t: 'sub', pattern: 'orders.#' }]));
  });

  it('sends the welcome only to the pinned origin it verified', async () => {
    const { page } = setup();
    const { joiner } = joinFrom(page);
    await joiner.join(5000);
    expect(page.frame.mismatched).toBe(0);
  });

  it('refuses, counts and reports a hello from an origin that is not pinned', async () => {
    const { page, connection, core, errors } = setup('https://evil.example.net');
    const { joiner } = joinFrom(page);
    const joining = joiner.join(200).catch((error: unknown) => error);
    await until(() => expect(core.stats().refused.origin).toBeGreaterThan(0));
    expect(connection.state).toBe('waiting');
    expect(isFrameRefusedError(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ reason: 'origin', origin: 'https://evil.example.net', code: 'FRAME_REFUSED' });
    expect((errors[0] as Error).message).toContain('not among the pinned origins (https://orders.example.com)');
    joiner.close();
    await joining;
  });

  it('refuses a frame that claims another app', async () => {
    const { page, connection, core, errors } = setup();
    const { joiner } = joinFrom(page, 'inventory');
    const joining = joiner.join(200).catch((error: unknown) => error);
    await until(() => expect(core.stats().refused.app).toBeGreaterThan(0));
    expect(connection.state).toBe('waiting');
    expect((errors[0] as Error).message).toContain(
      "claims to be app 'inventory', but this iframe was registered for app 'orders'",
    );
    joiner.close();
    await joining;
  });

  it('refuses a handshake from a window that is no connected frame', async () => {
    const { page, core, errors } = setup();
    const stranger = createFakeWindow(FRAME);
    stranger.post(page.host, windowMessage({ type: 'hello', role: 'app', app: 'orders', nonce: 'a'.repeat(32) }), HOST);
    await until(() => expect(core.stats().refused.source).toBe(1));
    expect(errors[0]).toMatchObject({ reason: 'source' });
  });

  it('refuses malformed handshakes and ignores messages of other scripts', async () => {
    const { page, core, errors } = setup();
    page.frame.post(page.host, { sb: 'switchboard.frame', v: 1, type: 'hello', app: 'orders' }, HOST);
    page.frame.post(page.host, { sb: 'switchboard.frame', v: 99, type: 'hello' }, HOST);
    page.frame.post(page.host, { hello: 'from an analytics script' }, HOST);
    page.frame.post(page.host, 'just a string', HOST);
    await settle();
    expect(core.stats().refused.malformed).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it('counts port data it cannot read as malformed and keeps the connection', async () => {
    const { page, connection, received } = setup();
    const { joiner } = joinFrom(page);
    const { port } = await joiner.join(5000);
    port.postMessage({ t: 'pub', topic: 'bad topic!', payload: 1, meta: {} });
    port.postMessage({ t: 'nope' });
    port.postMessage({ t: 'sub', pattern: 'orders.#' });
    await until(() => expect(received).toHaveLength(1));
    expect(connection.stats().refused).toBe(2);
    expect(connection.state).toBe('connected');
  });

  it('the frame ignores a welcome that answers no hello of its own, or comes from another window', async () => {
    const { page } = setup();
    const { joiner, refusals } = joinFrom(page, 'orders', [HOST]);
    const other = createFakeWindow(HOST);
    const joining = joiner.join(5000);
    other.post(page.frame, windowMessage({ type: 'welcome', nonce: 'b'.repeat(32), grant: grantOf() }), FRAME);
    page.host.post(page.frame, windowMessage({ type: 'welcome', nonce: 'c'.repeat(32), grant: grantOf() }), FRAME);
    await joining;
    expect(refusals).toEqual(
      expect.arrayContaining([
        { reason: 'source', origin: HOST },
        { reason: 'handshake', origin: HOST },
      ]),
    );
  });

  it('a frame that loaded first joins a host that connects later, at its next hello', async () => {
    const clock = createFakeClock();
    const page = embed(HOST, FRAME);
    const joiner = createJoiner({
      role: 'app',
      app: 'orders',
      origins: [HOST],
      self: page.frame,
      parent: page.parent,
      clock,
      caller: "joinHost('orders')",
      refuse: () => {},
    });
    cleanups.push(() => joiner.close());
    const joining = joiner.join(60_000);
    await settle();
    const bus = createPubSub({ app: 'shell' });
    cleanups.push(() => bus.dispose());
    const core: FrameHostCore = createFrameHostCore(bus, { window: page.host, clock: createFakeClock() });
    core.connect({
      role: 'app',
      app: 'orders',
      origins: [FRAME],
      element: page.element,
      grant: () => grantOf(),
      openSession: () => ({ receive() {}, close() {} }),
    });
    // Nobody listened to the first hello; the next one, 50 ms later, finds the host.
    clock.advance(50);
    await expect(joining).resolves.toMatchObject({ origin: HOST });
  });

  it('says hello to the parent origin alone when the browser tells it, so no post misses', async () => {
    const page = embed(HOST, FRAME);
    const other = 'https://shell.example.org';
    const joiner = createJoiner({
      role: 'app',
      app: 'orders',
      origins: [other, HOST],
      parentOrigin: HOST,
      self: page.frame,
      parent: page.parent,
      clock: createFakeClock(),
      caller: "joinHost('orders')",
      refuse: () => {},
    });
    cleanups.push(() => joiner.close());
    void joiner.join(60_000).catch(() => {});
    await settle();
    expect(page.host.mismatched).toBe(0);
    expect(parentOriginOf({ ancestorOrigins: { length: 1, 0: HOST } }, '')).toBe(HOST);
    expect(parentOriginOf({}, `${HOST}/shell?x=1`)).toBe(HOST);
    expect(parentOriginOf({}, '')).toBeUndefined();
  });

  it('the frame gives up after timeoutMs with a TimeoutError that says what to check', async () => {
    const clock = createFakeClock();
    const page = embed(HOST, FRAME);
    const joiner = createJoiner({
      role: 'app',
      app: 'orders',
      origins: [HOST],
      self: page.frame,
      parent: page.parent,
      clock,
      caller: "joinHost('orders')",
      refuse: () => {},
    });
    cleanups.push(() => joiner.close());
    const joining = joiner.join(1000).catch((error: unknown) => error);
    clock.advance(1000);
    const error = await joining;
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect((error as Error).message).toBe(
      "joinHost('orders'): no host at https://shell.example.com answered within 1000 ms; does the host page call connectFrame() for this iframe with this frame's origin?",
    );
  });
});

function grantOf() {
  return { app: 'orders', tabId: 't', heartbeatMs: 100 };
}
