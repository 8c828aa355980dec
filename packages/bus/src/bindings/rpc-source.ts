/**
 * What `useRequest` calls: the `Rpc` that `createRpc(bus)` from `@switchboard/patterns` returns.
 * Declared by shape, so the bindings do not depend on the patterns package, with the method-map
 * types that type a call by its method name.
 */

/** Options of one call, as `rpc.request` takes them. */
export interface CallOptions {
  /** Milliseconds before the call rejects with a timeout error. @default the rpc's `timeout` */
  timeout?: number;
  /** Aborts the call: it rejects with an `ABORTED` error and the handler's signal aborts. */
  signal?: AbortSignal;
  /** Passed to the handler as `context.correlationId`. */
  correlationId?: string;
}

/** An RPC endpoint: `Rpc` from `@switchboard/patterns` has this shape. */
export interface RpcSource {
  request(method: string, params?: unknown, options?: CallOptions): Promise<unknown>;
}

/** The method map of an rpc without one: any method, any params and result. */
// biome-ignore lint/suspicious/noExplicitAny: untyped calls take and return what the caller says.
export type AnyRpcMethods = Record<string, (params?: any) => any>;

/** What method `K` of `R` takes (`undefined` when it declares no parameter). */
export type ParamsOf<R, K extends keyof R> = R[K] extends (...args: infer A) => unknown
  ? A extends []
    ? undefined
    : A[0]
  : never;

/** What method `K` of `R` resolves with. */
export type ResultOf<R, K extends keyof R> = R[K] extends (...args: never) => infer T ? Awaited<T> : never;

/** A call's arguments: params may be left out when the method takes none. */
export type CallArgs<P> = undefined extends P
  ? [params?: P, options?: CallOptions]
  : [params: P, options?: CallOptions];
