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

/**
 * RPC methods and their types, one signature per method name: what `request` sends and what it
 * resolves with. A type alias or an interface; `createRpc<Methods>(bus)` checks both ends.
 *
 * @example
 * import type { RpcMethods } from '@switchboard/patterns';
 * interface InventoryMethods {
 *   'inventory.reserve'(params: { sku: string; quantity: number }): { reservationId: string };
 *   'inventory.stock'(): Array<{ sku: string; available: number }>;
 * }
 * const methods: RpcMethods<InventoryMethods> = {} as InventoryMethods;
 */
export type RpcMethods<M> = { [K in keyof M]: (params: never) => unknown };

/** The method map of an rpc created without one: any method, `unknown` params and results. */
export type AnyRpcMethods = Record<string, (params?: unknown) => unknown>;

/** The names of the methods of `M` (`string` for an untyped map). */
export type MethodName<M> = keyof M & string;

/** The names of the methods of a typed map, `never` for an untyped one (whose calls are typed at the call). */
export type TypedMethodName<M> = string extends keyof M ? never : keyof M & string;

/** What method `K` of `M` takes: its one parameter (`undefined` when it declares none). */
export type ParamsOf<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown
  ? A extends []
    ? undefined
    : A[0]
  : never;

/** What method `K` of `M` resolves with. */
export type ResultOf<M, K extends keyof M> = M[K] extends (...args: never) => infer R ? Awaited<R> : never;

/** The arguments after the method name: params may be left out when the method takes none. */
export type RequestArgs<P> = undefined extends P
  ? [params?: P, options?: RequestOptions]
  : [params: P, options?: RequestOptions];

/** `string` for an rpc without a method map (calls typed at the call site), `never` otherwise. */
export type UntypedMethod<M> = string extends keyof M ? string : never;

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
 * Request/response between apps, in this tab or any tab of the origin. `M` is the method map
 * ({@link RpcMethods}): with one, `request` checks the method name, the params and the result,
 * and `handle` checks the handler; without one, any method is accepted and results are typed at
 * the call (`request<number>('orders.total', …)`).
 *
 * Target rule: a request runs in exactly one place. This tab is preferred (a handler on the
 * same bus is called directly, without the transport; then another bus of this tab). Otherwise
 * the live handler with the lowest tab id is chosen, so every caller that has heard the same
 * announcements picks the same tab (see `targets()`).
 */
export interface Rpc<M extends RpcMethods<M> = AnyRpcMethods> {
  /**
   * Handles `method` in this tab and announces it to the others. Returns the unregister
   * function. One handler per method per rpc.
   */
  handle<K extends TypedMethodName<M>>(method: K, handler: RpcHandler<ParamsOf<M, K>, ResultOf<M, K>>): () => void;
  /** Handles a method of an rpc without a method map; the handler's types are its own. */
  handle<P = unknown, R = unknown>(method: UntypedMethod<M>, handler: RpcHandler<P, R>): () => void;
  /** Calls `method` in the tab chosen by the target rule and resolves with its result. */
  request<K extends TypedMethodName<M>>(method: K, ...args: RequestArgs<ParamsOf<M, K>>): Promise<ResultOf<M, K>>;
  /** Calls a method of an rpc without a method map; `R` types the result. */
  request<R = unknown, P = unknown>(method: UntypedMethod<M>, params?: P, options?: RequestOptions): Promise<R>;
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

/** An {@link Rpc} of any method map: what helpers that call methods of their own take. */
// biome-ignore lint/suspicious/noExplicitAny: only `any` lets every method map in.
export type AnyRpc = Rpc<any>;
