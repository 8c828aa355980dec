import { SwitchboardError, type Message, type SystemAccess, type Unsubscribe } from '@switchboard/bus';
import { serializeError } from './errors.ts';
import type { RpcContext, RpcHandler } from './rpc-api.ts';
import { rpcSendError } from './rpc-payload.ts';
import {
  announceTopic,
  assertMethod,
  cancelTopic,
  replyTopic,
  requestTopic,
  type AnnouncePayload,
  type CancelPayload,
  type ReplyPayload,
  type RequestPayload,
} from './rpc-protocol.ts';

const RECENT_IDS = 256;

/** The handling side of one rpc endpoint: its handlers, their requests and their replies. */
export interface RpcServer {
  /** The handlers by method, read by in-tab callers too. */
  readonly handlers: ReadonlyMap<string, RpcHandler<never, unknown>>;
  /** Registers `handler` for `method`, announces it; returns the unregister function. */
  handle(method: string, handler: RpcHandler<never, unknown>): () => void;
  /** Announces every method handled (a caller asked who handles what). */
  announceAll(): void;
  /** Aborts the requests that `tabId` is waiting for: nobody is left to read the reply. */
  callerLeft(tabId: string): void;
  /** Aborts running requests and stops listening. */
  dispose(): void;
}

/**
 * Serves requests for the endpoint `endpoint`. Each handled method is a subscription of its own
 * to `$sys.rpc.request.<method>` through `access`, so a host's `rpc.handle` rule decides which
 * requests ever reach it; the announcement of a method is checked by the same rule first.
 */
export function createRpcServer(access: SystemAccess, endpoint: string): RpcServer {
  const handlers = new Map<string, RpcHandler<never, unknown>>();
  // Every method ever handled keeps its subscription until dispose: a request sent before the
  // caller heard that a method was unregistered is answered "unhandled", so it moves on at once.
  const listening = new Map<string, Unsubscribe>();
  const running = new Map<string, { controller: AbortController; callerTabId: string }>();
  const recent = new Set<string>();
  let disposed = false;

  const offCancel = access.subscribe<CancelPayload>(cancelTopic(endpoint), (message) => {
    running.get(message.payload.id)?.controller.abort(message.payload.reason ?? 'cancelled by the caller');
  });

  function announce(method: string, handles: boolean): void {
    access.publish(announceTopic(method), { endpoint, tabId: access.tabId, handles } satisfies AnnouncePayload);
  }

  function reply(to: string, payload: ReplyPayload, method: string): void {
    try {
      access.publish(replyTopic(to), payload);
    } catch (error) {
      if (disposed || access.released) return;
      // Most likely a result that cannot be cloned: tell the caller instead of letting it time out.
      access.publish(replyTopic(to), {
        id: payload.id,
        tabId: access.tabId,
        ok: false,
        error: serializeError(rpcSendError(method, error)),
      } satisfies ReplyPayload);
    }
  }

  function onRequest(method: string, message: Message<RequestPayload>): Promise<void> | undefined {
    const request = message.payload;
    if (request.to !== endpoint || running.has(request.id) || recent.has(request.id)) return undefined;
    const handler = handlers.get(method);
    if (handler === undefined) {
      const error = { name: 'NoHandlerError', message: `'${method}' is no longer handled in tab ${access.tabId}` };
      reply(request.from, { id: request.id, tabId: access.tabId, ok: false, unhandled: true, error }, method);
      return undefined;
    }
    const controller = new AbortController();
    const callerTabId = message.origin.tabId;
    running.set(request.id, { controller, callerTabId });
    const context = makeContext(controller.signal, method, request.id, callerTabId, request.correlationId);
    const answer = (payload: ReplyPayload): void => {
      if (!controller.signal.aborted) reply(request.from, payload, method);
    };
    return invoke(handler, request.params, context)
      .then(
        (result) => answer({ id: request.id, tabId: access.tabId, ok: true, result }),
        (error: unknown) => answer({ id: request.id, tabId: access.tabId, ok: false, error: serializeError(error) }),
      )
      .finally(() => {
        running.delete(request.id);
        if (recent.size >= RECENT_IDS) recent.delete(recent.values().next().value!);
        recent.add(request.id);
      });
  }

  return {
    handlers,
    handle(method, handler) {
      const fn = `handle('${String(method)}')`;
      assertMethod(method, fn);
      if (typeof handler !== 'function') {
        throw new SwitchboardError('INVALID_OPTION', `${fn}: the handler must be a function, got ${typeof handler}.`);
      }
      if (handlers.has(method)) {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `${fn}: this rpc already handles '${method}'; call the unregister function returned by the first handle() before registering another.`,
        );
      }
      // `rpc.handle` governs both the announcement and the requests: refused before anything.
      access.authorizePublish(announceTopic(method), fn);
      if (!listening.has(method)) {
        listening.set(
          method,
          access.subscribe<RequestPayload>(requestTopic(method), (message) => onRequest(method, message)),
        );
      }
      handlers.set(method, handler);
      announce(method, true);
      return () => {
        if (handlers.get(method) !== handler || disposed) return;
        handlers.delete(method);
        announce(method, false);
      };
    },
    announceAll() {
      for (const method of handlers.keys()) announce(method, true);
    },
    callerLeft(tabId) {
      for (const execution of running.values()) {
        if (execution.callerTabId === tabId) execution.controller.abort(`the calling tab ${tabId} went away`);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const execution of running.values()) execution.controller.abort('the rpc was disposed');
      for (const off of listening.values()) off();
      listening.clear();
      handlers.clear();
      offCancel();
    },
  };
}

/** The context a handler receives; `correlationId` only when the caller gave one. */
export function makeContext(
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

/** Runs a handler; what it throws becomes a rejection. */
export function invoke(handler: RpcHandler<never, unknown>, params: unknown, context: RpcContext): Promise<unknown> {
  return new Promise((resolve) => resolve(handler(params as never, context)));
}
