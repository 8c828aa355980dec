// The public shape of RPC: what `createRpc` returns and the options it and `request` take.
import type { Clock } from '@switchboard/bus';

/** What a handler receives besides the params. */
export interface RpcContext {
  /** Aborted when the caller aborts, times out, or its tab goes away. */
  readonly signal: AbortSignal;
  readonly method: string;
  /** Unique per call; the same in the caller and the handler. */
  readonly requestId: string;
  /** The calling tab. */
  readonly callerTabId: string;
  /** The caller's correlation id, when it gave one (an aggregate call, a saga). */
  readonly correlationId?: string;
}

/** Handles one method. Its result must be cloneable data when the caller is in another tab. */
export type RpcHandler<P = unknown, R = unknown> = (params: P, context: RpcContext) => R | Promise<R>;

/** Options of `request`. */
export interface RequestOptions {
  /** Milliseconds before the call rejects with `RpcTimeoutError`. @default the rpc's `timeout` */
  timeout?: number;
  /** Aborts the call: the caller rejects with an `ABORTED` error and the handler's signal aborts. */
  signal?: AbortSignal;
  /** Passed to the handler as `context.correlationId`. */
  correlationId?: string;
}

/** Options of {@link createRpc}. */
export interface RpcOptions {
  /** Default `timeout` of `request`, in ms. @default 5000 */
  timeout?: number;
  /**
   * How long a request for a method no known tab handles waits for tabs to announce it before
   * rejecting with `NoHandlerError`. Skipped when no cross-tab transport is attached.
   * @default 150
   */
  discoveryMs?: number;
  /** Time source for timeouts; pass the same fake clock as the bus in tests. @default systemClock */
  clock?: Clock;
}

/**
 * Request/response between apps, in this tab or any tab of the origin.
 *
 * Target rule: a request runs in exactly one place. This tab is preferred (a handler on the
 * same bus is called directly, without the transport; then another bus of this tab). Otherwise
 * the live handler with the lowest tab id is chosen, so every caller that has heard the same
 * announcements picks the same tab (see `targets()`).
 */
export interface Rpc {
  /**
   * Handles `method` in this tab and announces it to the others. Returns the unregister
   * function. One handler per method per rpc.
   */
  handle<P = unknown, R = unknown>(method: string, handler: RpcHandler<P, R>): () => void;
  /** Calls `method` in the tab chosen by the target rule and resolves with its result. */
  request<R = unknown, P = unknown>(method: string, params?: P, options?: RequestOptions): Promise<R>;
  /** Methods handled by this rpc. */
  methods(): string[];
  /**
   * The tabs that would run `method` now, in the order the target rule tries them: this tab
   * first when a handler on this bus handles it, then the tabs whose announcements have arrived.
   * A newly opened tab hears the others' announcements within moments; a request made before
   * then goes to the best tab heard so far. Wait on this when you need every tab to be known.
   */
  targets(method: string): string[];
  /** Unregisters every handler, aborts running ones, rejects pending calls, tells other tabs. */
  dispose(): void;
}
