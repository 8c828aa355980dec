import { SwitchboardError, type Clock } from '@switchboard/bus';
import { systemClock, warnOnce } from '@switchboard/bus/internal';
import { FrameRefusedError } from './errors.ts';
import { createJoiner, parentOriginOf, type Joiner, type Welcome } from './joiner.ts';
import { pinOrigins, type OriginList } from './origins.ts';
import { createPortWriter, type PortWriter } from './port-writer.ts';
import { isMessage, PROTOCOL_VERSION, readPortMessage } from './protocol.ts';
import { probeReach, type CookieJarLike, type HubReach } from './site-probe.ts';
import type { ListeningWindowLike, PortLike, TargetWindowLike } from './window-like.ts';

/** The part of BroadcastChannel a hub uses. */
export interface HubChannelLike {
  postMessage(data: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

/** Options of {@link serveHub}. */
export interface ServeHubOptions {
  /** The origins of the site whose pages may connect to this hub (never `'*'`). */
  hostOrigins: OriginList;
  /**
   * The BroadcastChannel the hubs of every tab share.
   * @default 'switchboard.hub'
   */
  channel?: string;
  /**
   * Where refusals and failures go.
   * @default a `[switchboard]` console warning, once per kind
   */
  onError?: (error: unknown) => void;
  /** @default globalThis.window */
  window?: ListeningWindowLike;
  /** @default window.parent */
  parent?: TargetWindowLike;
  /** @default (name) => new BroadcastChannel(name) */
  channelFactory?: (name: string) => HubChannelLike;
  /** Where the reach probe writes its cookie. @default globalThis.document */
  cookies?: CookieJarLike;
  /** @default systemClock */
  clock?: Clock;
}

/** Counters of a hub frame. */
export interface HubFrameStats {
  /** Messages from this hub's page sent to the other hubs. */
  readonly sent: number;
  /** Messages from other hubs handed to this hub's page. */
  readonly received: number;
  /** Channel or port data that was not a valid hub message (ignored). */
  readonly malformed: number;
}

/** A running hub frame. */
export interface HubFrame {
  /** What it reaches, once its page connected; undefined before. */
  readonly reach: HubReach | undefined;
  stats(): HubFrameStats;
  /** Leaves the channel and the page. */
  close(): void;
}

const HUB_MARK = 'switchboard.hub';

/**
 * Serves the hub: the page at the hub origin that every page of the site embeds, hidden, with
 * `connectHub()`. It relays what its page publishes to the hubs of every other tab over the hub
 * origin's BroadcastChannel, and what they relay to its page. Before relaying anything it checks
 * that it is first-party (same site as the top-level page); a third-party hub would be given a
 * partition of its own, so it tells its page `partitioned` and relays nothing.
 *
 * @example
 * // hub.html on https://hub.example.com
 * import { serveHub } from '@switchboard/frame/hub';
 * serveHub({ hostOrigins: ['https://orders.example.com', 'https://inventory.example.com'] });
 */
export function serveHub(options: ServeHubOptions): HubFrame {
  const origins = pinOrigins(options?.hostOrigins, 'serveHub()', 'hostOrigins');
  const self = options.window ?? (globalThis as { window?: ListeningWindowLike & { parent?: unknown } }).window;
  const parent = options.parent ?? (self as { parent?: TargetWindowLike } | undefined)?.parent;
  if (self === undefined || parent === undefined || (parent as unknown) === self) {
    throw new SwitchboardError(
      'UNSUPPORTED',
      'serveHub(): this page is not in a frame; pages embed it with connectHub({ url }) instead of opening it.',
    );
  }
  const channelName = options.channel ?? HUB_MARK;
  const onError =
    options.onError ??
    ((error: unknown) => warnOnce(`hub:${(error as Error).message}`, `serveHub(): ${(error as Error).message}`));
  const counts = { sent: 0, received: 0, malformed: 0 };
  let reach: HubReach | undefined;
  let channel: HubChannelLike | undefined;
  let writer: PortWriter | undefined;
  let livePort: PortLike | undefined;
  let hostOrigin = '';
  let closed = false;

  const joiner: Joiner = createJoiner({
    role: 'hub',
    app: 'hub',
    origins,
    self,
    parent,
    parentOrigin:
      options.window === undefined ? parentOriginOf(globalThis.location, globalThis.document?.referrer) : undefined,
    clock: options.clock ?? systemClock,
    caller: 'serveHub()',
    refuse: (reason, origin, text) => onError(new FrameRefusedError(reason, origin, text)),
  });

  function openChannel(): HubChannelLike | undefined {
    if (channel !== undefined) return channel;
    const factory =
      options.channelFactory ??
      (typeof globalThis.BroadcastChannel === 'function'
        ? (name: string) => new globalThis.BroadcastChannel(name) as unknown as HubChannelLike
        : undefined);
    if (factory === undefined) return undefined;
    channel = factory(channelName);
    channel.onmessage = (event) => {
      const data = event.data as { sb?: unknown; v?: unknown; from?: unknown; m?: unknown } | null;
      if (
        typeof data !== 'object' ||
        data === null ||
        data.sb !== HUB_MARK ||
        data.v !== PROTOCOL_VERSION ||
        typeof data.from !== 'string' ||
        !isMessage(data.m)
      ) {
        counts.malformed++;
        return;
      }
      counts.received++;
      writer?.write({ t: 'msg', m: data.m, from: data.from });
    };
    return channel;
  }

  function start(welcome: Welcome): void {
    hostOrigin = welcome.origin;
    const port = welcome.port;
    const current = createPortWriter(port, (error) => onError(error));
    writer = current;
    livePort = port;
    const hasChannel = options.channelFactory !== undefined || typeof globalThis.BroadcastChannel === 'function';
    reach ??= probeReach(options.cookies ?? (globalThis as { document?: CookieJarLike }).document, hasChannel);
    current.write({ t: 'status', reach });
    const relaying = reach === 'site' ? openChannel() : undefined;
    port.onmessage = (event) => {
      const batch = Array.isArray(event.data) ? event.data : [event.data];
      for (const item of batch) {
        const message = readPortMessage(item);
        if (message === undefined) {
          counts.malformed++;
          continue;
        }
        if (message.t === 'ping') current.write({ t: 'pong', n: message.n });
        else if (message.t === 'msg' && relaying !== undefined) {
          relaying.postMessage({ sb: HUB_MARK, v: PROTOCOL_VERSION, from: hostOrigin, m: message.m });
          counts.sent++;
        } else if (message.t === 'bye') {
          // The page closed this connection (or thought the hub gone): ask to join again.
          port.onmessage = null;
          port.close();
          current.close();
          if (writer === current) writer = undefined;
          void join();
          return;
        }
      }
    };
  }

  async function join(): Promise<void> {
    if (closed || writer !== undefined) return;
    try {
      // No deadline: the page reports a hub that does not answer (connectHub's timeoutMs).
      start(await joiner.join(Number.POSITIVE_INFINITY));
    } catch (error) {
      if (!closed) onError(error);
    }
  }
  void join();

  // Leaving for the back/forward cache or for good: the page drops this connection at once, and
  // a page restored from the cache is joined again.
  const onPageHide = (): void => {
    const current = writer;
    if (current === undefined) return;
    writer = undefined;
    current.write({ t: 'bye' });
    current.flush();
    current.close();
    if (livePort !== undefined) {
      livePort.onmessage = null;
      livePort.close();
    }
  };
  const onPageShow = (event: Event): void => {
    if ((event as PageTransitionEvent).persisted) void join();
  };
  const events = self as unknown as Partial<EventTarget>;
  events.addEventListener?.('pagehide', onPageHide);
  events.addEventListener?.('pageshow', onPageShow);

  return {
    get reach() {
      return reach;
    },
    stats: () => ({ ...counts }),
    close() {
      if (closed) return;
      closed = true;
      onPageHide();
      joiner.close();
      channel?.close();
      events.removeEventListener?.('pagehide', onPageHide);
      events.removeEventListener?.('pageshow', onPageShow);
    },
  };
}
