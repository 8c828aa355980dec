import { SwitchboardError, type AnyBus, type Message } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { connectBus, randomId } from './bus-link.ts';
import {
  abortedError,
  NoHandlerError,
  RemoteError,
  RpcTargetGoneError,
  RpcTimeoutError,
  serializeError,
} from './errors.ts';
import type { AnyRpcMethods, RequestOptions, Rpc, RpcContext, RpcHandler, RpcMethods, RpcOptions } from './rpc-api.ts';
import { paramsError, rpcSendError } from './rpc-payload.ts';
import { pickTarget, rankTargets, type Endpoint, type Target } from './rpc-target.ts';
import {
  RPC_TOPICS,
  type AnnouncePayload,
  type ByePayload,
  type CancelPayload,
  type DiscoverPayload,
  type ReplyPayload,
  type RequestPayload,
} from './rpc-protocol.ts';

interface LocalEndpoint {
  readonly handlers: Map<string, RpcHandler<never, unknown>>;
}

interface Call {
  readonly id: string;
  readonly method: string;
  readonly params: unknown;
  readonly correlationId: string | undefined;
  readonly tried: Set<string>;
  target: Target | undefined;
  discoveryTimer: unknown;
  discovered: boolean;
  fail(error: unknown, cancelTarget: boolean): void;
  succeed(value: unknown): void;
}

const LOCAL_SERVICE = 'switchboard.rpc.local';
const RECENT_IDS = 256;

/**
 * Creates an RPC endpoint on a bus of any topic map. Works on a bare bus (everything local) and
 * across tabs once `@switchboard/cross-tab` is attached. Give it the method map `M` to check
 * method names, params, results and handlers.
 *
 * @example
 * import { createRpc } from '@switchboard/patterns';
 * interface OrderMethods {
 *   'orders.total'(params: { items: { price: number }[] }): number;
 * }
 * const rpc = createRpc<OrderMethods>(bus);
 * rpc.handle('orders.total', ({ items }) => items.reduce((sum, item) => sum + item.price, 0));
 * const total = await rpc.request('orders.total', { items: [{ price: 3 }] }, { timeout: 2000 }); // number
 */
export function createRpc<M extends RpcMethods<M> = AnyRpcMethods>(bus: AnyBus, options: RpcOptions = {}): Rpc<M> {
  const clock = options.clock ?? systemClock;
  const defaultTimeout = checkMs(options.timeout ?? 5000, 'timeout');
  const discoveryMs = checkMs(options.discoveryMs ?? 150, 'discoveryMs');
  const connection = connectBus(bus, 'rpc', 'createRpc()');
  const { link } = connection;
  const endpoint = `${bus.tabId}~${randomId()}`;
  const handlers = new Map<string, RpcHandler<never, unknown>>();
  const directory = new Map<string, Endpoint>();
  const pending = new Map<string, Call>();
  const running = new Map<string, { controller: AbortController; callerTabId: string }>();
  const recent = new Set<string>();
  let disposed = false;

  // Every rpc on this bus shares one set, so in-tab calls between them skip the transport.
  let locals = link.lookup<Set<LocalEndpoint>>(LOCAL_SERVICE);
  if (locals === undefined) {
    locals = new Set();
    link.provide(LOCAL_SERVICE, locals);
  }
  const self: LocalEndpoint = { handlers };
  locals.add(self);

  const offMessages = bus.subscribe('$sys.rpc.+', (message) => onMessage(message));
  const offTabLeft = bus.subscribe<{ tabId: string }>('$sys.tab.left', (message) => onTabLeft(message.payload.tabId));
  send(RPC_TOPICS.discover, { endpoint } satisfies DiscoverPayload);

  function send(topic: string, payload: unknown): void {
    link.publishSystem(topic, payload);
  }

  function announce(): void {
    send(RPC_TOPICS.announce, { endpoint, tabId: bus.tabId, methods: [...handlers.keys()] } satisfies AnnouncePayload);
  }

  function onMessage(message: Message): unknown {
    switch (message.topic) {
      case RPC_TOPICS.announce:
        return onAnnounce(message.payload as AnnouncePayload);
      case RPC_TOPICS.discover:
        if ((message.payload as DiscoverPayload).endpoint !== endpoint && handlers.size > 0) announce();
        return undefined;
      case RPC_TOPICS.bye:
        return onGone((message.payload as ByePayload).endpoint, undefined, 'stopped handling requests');
      case RPC_TOPICS.request:
        return onRequest(message as Message<RequestPayload>);
      case RPC_TOPICS.cancel: {
        const cancel = message.payload as CancelPayload;
        if (cancel.to === endpoint)
          running.get(cancel.id)?.controller.abort(cancel.reason ?? 'cancelled by the caller');
        return undefined;
      }
      case RPC_TOPICS.reply:
        return onReply(message.payload as ReplyPayload);
      default:
        return undefined;
    }
  }

  function onAnnounce(announcement: AnnouncePayload): void {
    if (announcement.endpoint === endpoint) return;
    directory.set(announcement.endpoint, { tabId: announcement.tabId, methods: new Set(announcement.methods) });
    for (const call of pending.values()) if (call.target === undefined) dispatch(call);
  }

  function onTabLeft(tabId: string): void {
    for (const [id, execution] of running) {
      if (execution.callerTabId === tabId) running.get(id)?.controller.abort(`the calling tab ${tabId} went away`);
    }
    for (const [key, entry] of directory) if (entry.tabId === tabId) onGone(key, tabId, 'closed');
  }

  function onGone(gone: string, tabId: string | undefined, reason: string): void {
    const entry = directory.get(gone);
    directory.delete(gone);
    for (const call of pending.values()) {
      if (call.target?.endpoint === gone) {
        call.fail(new RpcTargetGoneError(call.method, tabId ?? entry?.tabId ?? call.target.tabId, reason), false);
      }
    }
  }

  function dispatch(call: Call): void {
    const target = pickTarget(directory, call.method, call.tried, bus.tabId);
    if (target !== undefined) {
      if (call.discoveryTimer !== undefined) clock.clearTimeout(call.discoveryTimer);
      call.discoveryTimer = undefined;
      call.target = target;
      call.tried.add(target.endpoint);
      const request: RequestPayload =
        call.correlationId === undefined
          ? { id: call.id, to: target.endpoint, from: endpoint, method: call.method, params: call.params }
          : {
              id: call.id,
              to: target.endpoint,
              from: endpoint,
              method: call.method,
              params: call.params,
              correlationId: call.correlationId,
            };
      try {
        send(RPC_TOPICS.request, request);
      } catch (error) {
        call.fail(rpcSendError(call.method, error), false);
      }
      return;
    }
    if (connection.alone()) {
      call.fail(
        new NoHandlerError(
          call.method,
          `request('${call.method}'): no handler in this tab and no cross-tab transport is attached; register one with rpc.handle('${call.method}', fn) or attach @switchboard/cross-tab.`,
        ),
        false,
      );
      return;
    }
    if (call.discoveryTimer !== undefined) return;
    if (call.discovered) {
      call.fail(
        new NoHandlerError(
          call.method,
          `request('${call.method}'): every tab that announced '${call.method}' has stopped handling it; is the app that handles it still mounted?`,
        ),
        false,
      );
      return;
    }
    call.discovered = true;
    send(RPC_TOPICS.discover, { endpoint } satisfies DiscoverPayload);
    call.discoveryTimer = clock.setTimeout(() => {
      call.discoveryTimer = undefined;
      call.fail(
        new NoHandlerError(
          call.method,
          `request('${call.method}'): no tab handles '${call.method}' (none announced it within ${discoveryMs} ms); is the app that handles it mounted?`,
        ),
        false,
      );
    }, discoveryMs);
  }

  function onReply(reply: ReplyPayload): void {
    if (reply.to !== endpoint) return;
    const call = pending.get(reply.id);
    if (call === undefined) return;
    if (reply.ok) {
      call.succeed(reply.result);
    } else if (reply.unhandled === true) {
      // The target stopped handling the method before our request arrived: it did not run, so
      // choosing another tab cannot run it twice.
      call.target = undefined;
      dispatch(call);
    } else {
      call.fail(new RemoteError(call.method, reply.error, reply.tabId), false);
    }
  }

  function reply(payload: ReplyPayload, method: string): void {
    try {
      send(RPC_TOPICS.reply, payload);
    } catch (error) {
      if (disposed || bus.disposed) return;
      // Most likely a result that cannot be cloned: tell the caller instead of letting it time out.
      send(RPC_TOPICS.reply, {
        id: payload.id,
        to: payload.to,
        tabId: bus.tabId,
        ok: false,
        error: serializeError(rpcSendError(method, error)),
      } satisfies ReplyPayload);
    }
  }

  function onRequest(message: Message<RequestPayload>): Promise<void> | undefined {
    const request = message.payload;
    if (request.to !== endpoint || running.has(request.id) || recent.has(request.id)) return undefined;
    const handler = handlers.get(request.method);
    if (handler === undefined) {
      reply(
        {
          id: request.id,
          to: request.from,
          tabId: bus.tabId,
          ok: false,
          unhandled: true,
          error: { name: 'NoHandlerError', message: `'${request.method}' is no longer handled in tab ${bus.tabId}` },
        },
        request.method,
      );
      return undefined;
    }
    const controller = new AbortController();
    running.set(request.id, { controller, callerTabId: message.origin.tabId });
    const context = makeContext(
      controller.signal,
      request.method,
      request.id,
      message.origin.tabId,
      request.correlationId,
    );
    return invoke(handler, request.params, context)
      .then(
        (result) =>
          void (
            controller.signal.aborted ||
            reply({ id: request.id, to: request.from, tabId: bus.tabId, ok: true, result }, request.method)
          ),
        (error: unknown) =>
          void (
            controller.signal.aborted ||
            reply(
              { id: request.id, to: request.from, tabId: bus.tabId, ok: false, error: serializeError(error) },
              request.method,
            )
          ),
      )
      .finally(() => {
        running.delete(request.id);
        if (recent.size >= RECENT_IDS) recent.delete(recent.values().next().value!);
        recent.add(request.id);
      });
  }

  function findLocal(method: string): RpcHandler<never, unknown> | undefined {
    const own = handlers.get(method);
    if (own !== undefined) return own;
    for (const local of locals!) {
      const handler = local.handlers.get(method);
      if (handler !== undefined) return handler;
    }
    return undefined;
  }

  function request<R, P>(method: string, params?: P, requestOptions: RequestOptions = {}): Promise<R> {
    if (disposed) return Promise.reject(disposedError(`request('${method}')`));
    if (typeof method !== 'string' || method === '') {
      return Promise.reject(
        new SwitchboardError(
          'INVALID_OPTION',
          `request(): the method must be a non-empty string, got ${typeof method}.`,
        ),
      );
    }
    const timeout = checkMs(requestOptions.timeout ?? defaultTimeout, 'timeout');
    const { signal, correlationId } = requestOptions;
    const fn = `request('${method}')`;
    if (signal?.aborted) return Promise.reject(abortedError(fn, signal.reason));
    const id = randomId();
    return new Promise<R>((resolve, reject) => {
      let done = false;
      const timer = Number.isFinite(timeout)
        ? clock.setTimeout(() => call.fail(new RpcTimeoutError(method, timeout), true), timeout)
        : undefined;
      const onAbort = (): void => call.fail(abortedError(fn, signal!.reason), true);
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        pending.delete(id);
        if (timer !== undefined) clock.clearTimeout(timer);
        if (call.discoveryTimer !== undefined) clock.clearTimeout(call.discoveryTimer);
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const controller = new AbortController();
      const call: Call = {
        id,
        method,
        params,
        correlationId,
        tried: new Set(),
        target: undefined,
        discoveryTimer: undefined,
        discovered: false,
        fail(error, cancelTarget) {
          if (!finish()) return;
          controller.abort(error);
          if (cancelTarget && call.target !== undefined && !bus.disposed) {
            send(RPC_TOPICS.cancel, {
              id,
              to: call.target.endpoint,
              reason: (error as Error).message,
            } satisfies CancelPayload);
          }
          reject(error);
        },
        succeed(value) {
          if (finish()) resolve(value as R);
        },
      };
      const local = findLocal(method);
      if (local !== undefined) {
        // In-tab: call the handler directly, never through the transport.
        const context = makeContext(controller.signal, method, id, bus.tabId, correlationId);
        invoke(local, params, context).then(
          (value) => call.succeed(value),
          (error: unknown) =>
            call.fail(new RemoteError(method, serializeError(error), bus.tabId, { cause: error }), false),
        );
        return;
      }
      // Going to another tab: params that cannot get there fail now, not after discovery.
      const unsendable = connection.alone() ? undefined : paramsError(method, params);
      if (unsendable !== undefined) return call.fail(unsendable, false);
      pending.set(id, call);
      dispatch(call);
    });
  }

  const rpc: Rpc = {
    handle<P, R>(method: string, handler: RpcHandler<P, R>) {
      if (disposed) throw disposedError(`handle('${method}')`);
      if (typeof method !== 'string' || method === '' || typeof handler !== 'function') {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `handle(): expected a non-empty method name and a handler function, got ${typeof method} and ${typeof handler}.`,
        );
      }
      if (handlers.has(method)) {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `handle('${method}'): this rpc already handles '${method}'; call the unregister function returned by the first handle() before registering another.`,
        );
      }
      const stored = handler as RpcHandler<never, unknown>;
      handlers.set(method, stored);
      announce();
      return () => {
        if (handlers.get(method) !== stored || disposed) return;
        handlers.delete(method);
        announce();
      };
    },
    request,
    methods: () => [...handlers.keys()],
    targets(method) {
      const tabs = findLocal(method) === undefined ? [] : [bus.tabId];
      for (const { tabId } of rankTargets(directory, method, bus.tabId)) if (!tabs.includes(tabId)) tabs.push(tabId);
      return tabs;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      offMessages();
      offTabLeft();
      for (const execution of running.values()) execution.controller.abort('the rpc was disposed');
      for (const call of [...pending.values()]) call.fail(disposedError(`request('${call.method}')`), true);
      handlers.clear();
      locals!.delete(self);
      if (!bus.disposed) send(RPC_TOPICS.bye, { endpoint } satisfies ByePayload);
      connection.detach();
    },
  };
  // The method map types the calls only: at run time every rpc is the same untyped endpoint.
  return rpc as unknown as Rpc<M>;
}

function makeContext(
  signal: AbortSignal,
  method: string,
  requestId: string,
  callerTabId: string,
  correlationId: string | undefined,
): RpcContext {
  return correlationId === undefined
    ? { signal, method, requestId, callerTabId }
    : { signal, method, requestId, callerTabId, correlationId };
}

function invoke(handler: RpcHandler<never, unknown>, params: unknown, context: RpcContext): Promise<unknown> {
  return new Promise((resolve) => resolve(handler(params as never, context)));
}

function disposedError(fn: string): SwitchboardError {
  return new SwitchboardError('ABORTED', `${fn}: the rpc was disposed; create a new one with createRpc(bus).`);
}

function checkMs(value: number, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `createRpc(): ${name} must be a positive number of ms (Infinity for none), got ${String(value)}.`,
    );
  }
  return value;
}
