import { SwitchboardError, type AnyBus, type Message } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import {
  abortedError,
  NoHandlerError,
  RemoteError,
  RpcTargetGoneError,
  RpcTimeoutError,
  serializeError,
} from './errors.ts';
import { helperAccess, isAlone, randomId, sendFarewell } from './helper-access.ts';
import type { AnyRpcMethods, RequestOptions, Rpc, RpcHandler, RpcMethods, RpcOptions } from './rpc-api.ts';
import { findLocalHandler, joinLocalEndpoints, type LocalEndpoint } from './rpc-local.ts';
import { paramsError, rpcSendError } from './rpc-payload.ts';
import {
  ANNOUNCE_PATTERN,
  announcedMethod,
  assertMethod,
  BYE_TOPIC,
  cancelTopic,
  DISCOVER_TOPIC,
  replyTopic,
  requestTopic,
  type AnnouncePayload,
  type CancelPayload,
  type EndpointPayload,
  type ReplyPayload,
  type RequestPayload,
} from './rpc-protocol.ts';
import { createRpcServer, invoke, makeContext } from './rpc-serve.ts';
import { pickTarget, rankTargets, type Target } from './rpc-target.ts';

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

/**
 * Creates an RPC endpoint on a bus of any topic map, or on an app's handle (`forApp`): then it
 * acts as the handle's app, its calls and handlers are checked against the app's `rpc.call` and
 * `rpc.handle` rules, and it is disposed with the handle. Works on a bare bus (everything local)
 * and across tabs once `@switchboard/cross-tab` is attached. Give it the method map `M` to check
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
  const access = helperAccess(bus, 'rpc', 'rpc', 'createRpc()');
  const { tabId } = access;
  const endpoint = randomId();
  const directory = new Map<string, { readonly tabId: string; readonly methods: Set<string> }>();
  const pending = new Map<string, Call>();
  let disposed = false;

  const server = createRpcServer(access, endpoint);
  // Every rpc on this bus shares one set, so in-tab calls between them skip the transport.
  const self: LocalEndpoint = { handlers: server.handlers, receives: (topic) => access.receives(topic) };
  const locals = joinLocalEndpoints(access, self);

  access.subscribe<EndpointPayload>(DISCOVER_TOPIC, (message) => {
    if (message.payload.endpoint !== endpoint) server.announceAll();
  });
  access.subscribe<AnnouncePayload>(ANNOUNCE_PATTERN, (message) => onAnnounce(message));
  access.subscribe<EndpointPayload>(BYE_TOPIC, (message) =>
    onGone(message.payload.endpoint, undefined, 'stopped handling requests'),
  );
  access.subscribe<ReplyPayload>(replyTopic(endpoint), (message) => onReply(message.payload));
  access.subscribe<{ tabId: string }>('$sys.tab.left', (message) => onTabLeft(message.payload.tabId));
  // Disposing the handle (an unmounted app) disposes the rpc.
  access.onDispose(() => rpc.dispose());
  access.publish(DISCOVER_TOPIC, { endpoint } satisfies EndpointPayload);

  function onAnnounce(message: Message<AnnouncePayload>): void {
    const method = announcedMethod(message.topic);
    const announcement = message.payload;
    if (method === undefined || announcement.endpoint === endpoint) return;
    let entry = directory.get(announcement.endpoint);
    if (entry === undefined) {
      entry = { tabId: announcement.tabId, methods: new Set() };
      directory.set(announcement.endpoint, entry);
    }
    if (!announcement.handles) {
      entry.methods.delete(method);
      return;
    }
    entry.methods.add(method);
    for (const call of pending.values()) if (call.target === undefined && call.method === method) dispatch(call);
  }

  function onTabLeft(left: string): void {
    server.callerLeft(left);
    for (const [key, entry] of directory) if (entry.tabId === left) onGone(key, left, 'closed');
  }

  function onGone(gone: string, goneTab: string | undefined, reason: string): void {
    const entry = directory.get(gone);
    directory.delete(gone);
    for (const call of pending.values()) {
      if (call.target?.endpoint === gone) {
        call.fail(new RpcTargetGoneError(call.method, goneTab ?? entry?.tabId ?? call.target.tabId, reason), false);
      }
    }
  }

  function dispatch(call: Call): void {
    const target = pickTarget(directory, call.method, call.tried, tabId);
    if (target !== undefined) {
      if (call.discoveryTimer !== undefined) clock.clearTimeout(call.discoveryTimer);
      call.discoveryTimer = undefined;
      call.target = target;
      call.tried.add(target.endpoint);
      const request: RequestPayload =
        call.correlationId === undefined
          ? { id: call.id, to: target.endpoint, from: endpoint, params: call.params }
          : {
              id: call.id,
              to: target.endpoint,
              from: endpoint,
              params: call.params,
              correlationId: call.correlationId,
            };
      try {
        access.publish(requestTopic(call.method), request);
      } catch (error) {
        call.fail(rpcSendError(call.method, error), false);
      }
      return;
    }
    if (isAlone(access)) {
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
    access.publish(DISCOVER_TOPIC, { endpoint } satisfies EndpointPayload);
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

  function findLocal(method: string): RpcHandler<never, unknown> | undefined {
    return findLocalHandler(locals.endpoints, self, method, requestTopic(method));
  }

  function request<R, P>(method: string, params?: P, requestOptions: RequestOptions = {}): Promise<R> {
    const fn = `request('${String(method)}')`;
    try {
      if (disposed) throw disposedError(fn);
      assertMethod(method, fn);
      // The caller's `rpc.call` rule, before anything is sent or run, in this tab or another.
      access.authorizePublish(requestTopic(method), fn);
    } catch (error) {
      return Promise.reject(error);
    }
    const timeout = checkMs(requestOptions.timeout ?? defaultTimeout, 'timeout');
    const { signal, correlationId } = requestOptions;
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
          if (cancelTarget && call.target !== undefined) {
            sendFarewell(access, cancelTopic(call.target.endpoint), {
              id,
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
        const context = makeContext(controller.signal, method, id, tabId, correlationId);
        invoke(local, params, context).then(
          (value) => call.succeed(value),
          (error: unknown) => call.fail(new RemoteError(method, serializeError(error), tabId, { cause: error }), false),
        );
        return;
      }
      // Going to another tab: params that cannot get there fail now, not after discovery.
      const unsendable = isAlone(access) ? undefined : paramsError(method, params);
      if (unsendable !== undefined) return call.fail(unsendable, false);
      pending.set(id, call);
      dispatch(call);
    });
  }

  const rpc: Rpc = {
    handle<P, R>(method: string, handler: RpcHandler<P, R>) {
      if (disposed) throw disposedError(`handle('${method}')`);
      return server.handle(method, handler as RpcHandler<never, unknown>);
    },
    request,
    methods: () => [...server.handlers.keys()],
    targets(method) {
      const tabs = findLocal(method) === undefined ? [] : [tabId];
      for (const target of rankTargets(directory, method, tabId)) {
        if (!tabs.includes(target.tabId)) tabs.push(target.tabId);
      }
      return tabs;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      server.dispose();
      for (const call of [...pending.values()]) call.fail(disposedError(`request('${call.method}')`), true);
      locals.leave();
      sendFarewell(access, BYE_TOPIC, { endpoint } satisfies EndpointPayload);
      access.release();
    },
  };
  // The method map types the calls only: at run time every rpc is the same untyped endpoint.
  return rpc as unknown as Rpc<M>;
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
