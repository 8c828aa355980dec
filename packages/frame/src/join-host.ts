import {
  createPubSub,
  SwitchboardError,
  type AnyTopicMap,
  type Clock,
  type ErrorContext,
  type PubSubBus,
  type TopicMap,
} from '@switchboard/bus';
import { systemClock, warnOnce } from '@switchboard/bus/internal';
import { forApp, type AppBus, type AppPermissions } from '@switchboard/bus/apps';
import { FrameRefusedError } from './errors.ts';
import { frameRegistry } from './frame-history.ts';
import { createFramePort, type FramePort } from './frame-port.ts';
import { createJoiner, parentOriginOf } from './joiner.ts';
import { pinOrigins, type OriginList } from './origins.ts';
import type { Grant } from './protocol.ts';
import type { ListeningWindowLike, TargetWindowLike } from './window-like.ts';

/** Options of {@link joinHost}. */
export interface JoinHostOptions {
  /** The host page's origin, or a list of them (never `'*'`): only it may welcome this frame. */
  hostOrigin: OriginList;
  /** This frame's app, as the host registered it with `connectFrame`. */
  app: string;
  /**
   * How long to wait for the host's welcome before rejecting with a `TimeoutError`.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Errors of the frame's bus: handlers that threw, what the host refused (with its code, e.g.
   * `PERMISSION_DENIED` or `SCHEMA_INVALID`), handshake messages that were ignored.
   * @default rethrown asynchronously, as the bus does
   */
  onError?: (error: unknown, context: ErrorContext) => void;
  /** @default globalThis.window */
  window?: ListeningWindowLike;
  /** @default window.parent */
  parent?: TargetWindowLike;
  /** @default systemClock */
  clock?: Clock;
}

/**
 * Joins the host page that embeds this frame and resolves to the frame's handle on the host's
 * bus: the same `AppBus` an in-page MFE gets from `forApp`, with the permissions the host sent
 * in the handshake (a call they do not allow throws `PermissionError` at once; the host checks
 * again). What the frame publishes is published by the host as this app and reaches every tab,
 * history and the broker; what the host's bus carries for the frame's subscriptions comes back.
 * A host that reconnects, or a return from the back/forward cache, joins again with the same
 * handle; `dispose()` leaves.
 *
 * @example
 * import { joinHost } from '@switchboard/frame/join';
 * const bus = await joinHost({ hostOrigin: 'https://shell.example.com', app: 'orders' });
 * bus.subscribe('inventory.stock.#', (m) => render(m.payload));
 * bus.publish('orders.placed', { orderId: 'o1' });
 */
export async function joinHost<M extends TopicMap = AnyTopicMap>(options: JoinHostOptions): Promise<AppBus<M>> {
  const app = options?.app;
  if (typeof app !== 'string' || app === '') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `joinHost(): options.app must name this frame's app, as the host's connectFrame() does, got ${typeof app}.`,
    );
  }
  const caller = `joinHost('${app}')`;
  const origins = pinOrigins(options.hostOrigin, caller, 'hostOrigin');
  const self = options.window ?? (globalThis as { window?: ListeningWindowLike }).window;
  const parent = options.parent ?? (self as { parent?: TargetWindowLike } | undefined)?.parent;
  if (self === undefined || parent === undefined || (parent as unknown) === self) {
    throw new SwitchboardError(
      'UNSUPPORTED',
      `${caller}: this page is not in a frame, so there is no host to join; in-page MFEs get their handle from the shell (forApp).`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = options.clock ?? systemClock;
  const report = (error: unknown): void => {
    if (options.onError) options.onError(error, { kind: 'adapter', adapter: 'frame-port' });
    else warnOnce(`join:${(error as Error).message}`, (error as Error).message);
  };
  const joiner = createJoiner({
    role: 'app',
    app,
    origins,
    self,
    parent,
    parentOrigin:
      options.window === undefined ? parentOriginOf(globalThis.location, globalThis.document?.referrer) : undefined,
    clock,
    caller,
    refuse: (reason, origin, text) => report(new FrameRefusedError(reason, origin, text)),
  });
  let welcome: Awaited<ReturnType<typeof joiner.join>>;
  try {
    welcome = await joiner.join(timeoutMs);
  } catch (error) {
    joiner.close();
    throw error;
  }
  const grant: Grant = welcome.grant;
  const local = createPubSub({
    app,
    tabId: grant.tabId,
    clock,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  let rejoining = false;
  const port: FramePort = createFramePort(local, { hostOrigin: welcome.origin, onBye: () => void rejoin() });
  port.open(welcome.port);

  async function rejoin(): Promise<void> {
    if (rejoining || local.disposed) return;
    rejoining = true;
    try {
      // The host closed the connection or this page came back from the cache: the host may
      // take a while to connect again (a new connectFrame), so the frame keeps saying hello.
      port.open((await joiner.join(Number.POSITIVE_INFINITY)).port);
    } catch (error) {
      if (!local.disposed) report(error);
    } finally {
      rejoining = false;
    }
  }

  // Leaving the page: the host drops this frame at once instead of two heartbeats later. A page
  // unloaded for good (a reload, navigating away, its iframe removed) disposes its handle first,
  // so its helpers say goodbye through the port as an in-page MFE's do at unmount (the tab stays,
  // so no tab-left event would tell other tabs' RPC that its handlers are gone). A page kept in
  // the back/forward cache only leaves, and joins again when restored.
  const events = self as unknown as Partial<EventTarget>;
  const onPageHide = (event: Event): void => {
    if ((event as PageTransitionEvent).persisted) port.leave();
    else handle.dispose();
  };
  const onPageShow = (event: Event): void => {
    if ((event as PageTransitionEvent).persisted) void rejoin();
  };
  events.addEventListener?.('pagehide', onPageHide);
  events.addEventListener?.('pageshow', onPageShow);

  let attachedHandle = false;
  // The handle is forApp's own, over a view of the local bus whose subscriptions also ask the
  // host for their pattern: helpers find it with systemAccess() as in any page.
  const view: PubSubBus = {
    ...local,
    get disposed() {
      return local.disposed;
    },
    subscribe: port.subscribe as PubSubBus['subscribe'],
    attach(adapter) {
      const detach = local.attach(adapter);
      // The first adapter is forApp's, detached when its handle is disposed: the frame leaves
      // with it.
      const handleAdapter = !attachedHandle;
      attachedHandle = true;
      return () => {
        detach();
        if (handleAdapter) leave();
      };
    },
  };

  function leave(): void {
    if (local.disposed) return;
    events.removeEventListener?.('pagehide', onPageHide);
    events.removeEventListener?.('pageshow', onPageShow);
    joiner.close();
    port.close();
    local.dispose();
  }

  let handle: AppBus<M>;
  try {
    handle = forApp<M>(view as unknown as PubSubBus<M>, app, {
      ...(grant.permissions === undefined ? {} : { permissions: grant.permissions as AppPermissions }),
      ...(grant.helpers === undefined ? {} : { helpers: grant.helpers }),
    });
  } catch (error) {
    leave();
    throw error;
  }
  frameRegistry()?.set(handle, { query: port.query });
  return handle;
}
