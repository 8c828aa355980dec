/** The host and frame a bridge test starts from, over fake windows. */
import { createPubSub, type Message, type PubSubBus } from '@switchboard/bus';
import { defineManifest, type AppBus } from '@switchboard/bus/apps';
import type { createMemoryHistory } from '@switchboard/history';
import { createFakeClock } from '@switchboard/testing';
import { createFrameHost, type FrameConnection, type FrameHost } from '../src/index.ts';
import { joinHost } from '../src/join.ts';
import { createJoiner } from '../src/joiner.ts';
import type { PortLike } from '../src/window-like.ts';
import { embed, type FakeEmbedding } from './fake-windows.ts';

const HOST = 'https://shell.example.com';
export const FRAME = 'https://orders.example.com';

export const manifest = defineManifest({
  orders: {
    publish: ['orders.#'],
    subscribe: ['orders.#', 'inventory.stock.#'],
    rpc: { call: ['inventory.#'] },
  },
});

const cleanups: Array<() => void> = [];

/** Disposes every bus and frame a test made; each test file runs it after each test. */
export function cleanUp(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}

export interface Setup {
  readonly bus: PubSubBus;
  readonly host: FrameHost;
  readonly connection: FrameConnection;
  readonly page: FakeEmbedding;
  readonly hostErrors: unknown[];
  /** Everything the host's bus delivers, `$sys.` included. */
  readonly seen: Message[];
}

export function setup(permissions: boolean = true, history?: ReturnType<typeof createMemoryHistory>): Setup {
  const hostErrors: unknown[] = [];
  const bus = createPubSub({ app: 'shell', onError: (error) => hostErrors.push(error) });
  const seen: Message[] = [];
  bus.subscribe('#', (m) => void seen.push(m));
  bus.subscribe('$sys.#', (m) => void seen.push(m));
  const page = embed(HOST, FRAME);
  const host = createFrameHost(bus, { window: page.host, clock: createFakeClock(), heartbeatMs: 1000 });
  const connection = host.connectFrame(page.element, {
    origin: FRAME,
    app: 'orders',
    ...(permissions ? { permissions: manifest.orders } : {}),
    ...(history === undefined ? {} : { history }),
  });
  cleanups.push(() => bus.dispose());
  return { bus, host, connection, page, hostErrors, seen };
}

export async function join(page: FakeEmbedding, errors: unknown[] = [], clock = createFakeClock()): Promise<AppBus> {
  const frame = await joinHost({
    hostOrigin: HOST,
    app: 'orders',
    window: page.frame,
    parent: page.parent,
    clock,
    onError: (error) => errors.push(error),
  });
  cleanups.push(() => frame.dispose());
  return frame;
}

export const appTopics = (messages: Message[]) =>
  messages.filter((m) => !m.topic.startsWith('$sys.')).map((m) => m.topic);

/** Joins like a frame that does not use joinHost: it holds the raw port. */
export async function rawJoin(page: FakeEmbedding): Promise<{ port: PortLike }> {
  const joiner = createJoiner({
    role: 'app',
    app: 'orders',
    origins: [HOST],
    self: page.frame,
    parent: page.parent,
    clock: createFakeClock(),
    caller: 'raw',
    refuse: () => {},
  });
  cleanups.push(() => joiner.close());
  return joiner.join(5000);
}
