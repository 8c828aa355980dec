import { SwitchboardError, type Bus, type Handler, type Message, type Unsubscribe } from '@switchboard/bus';
import { assertPattern } from '@switchboard/bus/internal';
import type { HistoryQuery } from './app-session.ts';

// Shared by every bundled copy of the package in the page, so `frameHistory` finds the port of
// a handle that another copy's `joinHost` made. Versioned: another shape is left alone.
const REGISTRY_KEY = Symbol.for('switchboard.frame.ports');
const REGISTRY_VERSION = 1;

/** What `joinHost` registers for its handle. */
export interface FrameQueries {
  query(pattern: string, options: Record<string, unknown>): Promise<Message[]>;
}

interface Registry {
  readonly version: number;
  readonly handles: WeakMap<object, FrameQueries>;
}

/** The joined handles of this page; undefined when an incompatible copy made the registry. */
export function frameRegistry(): WeakMap<object, FrameQueries> | undefined {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  const existing = holder[REGISTRY_KEY];
  if (existing !== undefined) return existing.version === REGISTRY_VERSION ? existing.handles : undefined;
  const registry: Registry = { version: REGISTRY_VERSION, handles: new WeakMap() };
  Object.defineProperty(holder, REGISTRY_KEY, { value: registry, configurable: true });
  return registry.handles;
}

/** The host's history as a framed app reads it. */
export interface FrameHistory {
  /** Stored messages matching `pattern` that the app may receive (oldest first by default). */
  getHistory<T = unknown>(pattern: string, options?: HistoryQuery): Promise<Message<T>[]>;
  /**
   * Delivers the stored messages of `pattern` (the newest `last` of them, when given), then the
   * live ones: none missed in between, none twice. Resolves (with the unsubscribe) once the
   * stored ones were delivered; `signal` unsubscribes.
   */
  subscribe<T = unknown>(
    pattern: string,
    handler: Handler<T>,
    options?: { signal?: AbortSignal; last?: number },
  ): Promise<Unsubscribe>;
}

/**
 * The host's history, read from a frame through its port: the host answers each query with
 * `history.forApp(handle)`, so the frame reads only what its app may receive. The host passes its
 * history to `connectFrame({ history })`; without it the queries are refused.
 *
 * @example
 * import { frameHistory, joinHost } from '@switchboard/frame/join';
 * const bus = await joinHost({ hostOrigin: 'https://shell.example.com', app: 'inventory' });
 * const history = frameHistory(bus);
 * await history.subscribe('orders.placed', (m) => console.log(m.payload));
 */
export function frameHistory(bus: Bus): FrameHistory {
  const port = frameRegistry()?.get(bus);
  if (port === undefined) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `frameHistory(): expected the handle joinHost() resolved to (in a frame); an in-page app gets its history from the shell (history.forApp).`,
    );
  }
  const getHistory = async <T>(pattern: string, options: HistoryQuery = {}): Promise<Message<T>[]> => {
    assertPattern(pattern, 'getHistory');
    return (await port.query(pattern, { ...options })) as Message<T>[];
  };
  return {
    getHistory,
    async subscribe<T>(pattern: string, handler: Handler<T>, options: { signal?: AbortSignal; last?: number } = {}) {
      // Live first, held back, so nothing published while the query runs is missed; the host
      // answers in order, after it made this subscription.
      let held: Message<T>[] | undefined = [];
      const off = bus.subscribe<T>(
        pattern,
        (message) => (held === undefined ? handler(message) : void held.push(message)),
        options.signal === undefined ? {} : { signal: options.signal },
      );
      try {
        const stored = await getHistory<T>(pattern, options.last === undefined ? {} : { limit: options.last });
        if (options.signal?.aborted) return off;
        const seen = new Set<string>();
        for (const message of stored) {
          seen.add(message.id);
          await handler(message);
        }
        for (const message of held) if (!seen.has(message.id)) await handler(message);
      } catch (error) {
        off();
        throw error;
      } finally {
        held = undefined;
      }
      return off;
    },
  };
}
