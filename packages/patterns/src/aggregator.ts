import {
  isSwitchboardError,
  isTimeoutError,
  SwitchboardError,
  TimeoutError,
  type AnyBus,
  type Clock,
} from '@switchboard/bus';
import { randomId } from './helper-access.ts';
import { abortedError, isNoHandlerError, NoHandlerError, type SerializedError, serializeError } from './errors.ts';
import type {
  AnyRpc,
  AnyRpcMethods,
  MethodName,
  ParamsOf,
  ResultOf,
  Rpc,
  RpcContext,
  RpcMethods,
  TypedMethodName,
  UntypedMethod,
} from './rpc-api.ts';
import { createRpc } from './rpc.ts';

/** Why a source has no value in an aggregate result. */
export interface MissingSource {
  readonly source: string;
  /** `TIMEOUT`, `NO_HANDLER`, `REMOTE_ERROR`, `TARGET_GONE`, `ABORTED`… */
  readonly code: string;
  readonly error: SerializedError;
}

/** What `transform` receives besides the values. */
export interface AggregateInfo {
  /** The call's own correlation id (also `context.correlationId` in every responder). */
  readonly correlationId: string;
  /** Sources without a value, in `sources` order. */
  readonly missing: readonly MissingSource[];
}

/**
 * The values gathered by one call, by source: a `Map` whose `get` knows each source's type when
 * the aggregator has a source map.
 */
export interface SourceResults<V> extends Map<keyof V & string, V[keyof V]> {
  get<K extends keyof V & string>(source: K): V[K] | undefined;
}

/** The result of `aggregate` without `transform`. `V` holds each source's answer by name. */
export interface AggregateResult<V = Record<string, unknown>> {
  /** Values by source, for the sources that answered. */
  readonly values: Partial<V>;
  /** Sources without a value and why; empty when all answered. */
  readonly missing: readonly MissingSource[];
  readonly correlationId: string;
}

/** One scatter-gather call over sources `S`, whose answers are `V`, shaped into `T` by `transform`. */
export interface AggregateQuery<S extends string = string, T = AggregateResult, V = Record<S, unknown>> {
  /** The sources to ask; each is answered by one tab's `respond(source, fn)`. */
  sources: readonly S[];
  /** Sent to every responder. */
  params?: unknown;
  /** Milliseconds for the whole call. @default 5000 */
  timeout?: number;
  /**
   * Resolve with what arrived when some sources time out or fail; otherwise the first failure
   * rejects the call and the other requests are cancelled.
   * @default false
   */
  partial?: boolean;
  /** Shapes the result; receives the values by source and which sources are missing. */
  transform?: (results: SourceResults<V>, info: AggregateInfo) => T;
  signal?: AbortSignal;
}

/** A responder for a source: returns the source's contribution. */
export type Responder<P = unknown, R = unknown> = (params: P, context: RpcContext) => R | Promise<R>;

/** The answers of sources `S` of source map `M`, by name. */
export type SourceValues<M, S extends keyof M> = { [K in S]: ResultOf<M, K> };

/**
 * Scatter-gather over the bus. `M` is the source map: one signature per source, as for RPC
 * methods (`orders(): OrdersSummary`); with it, `respond` checks responders and `aggregate`
 * types what each source answered.
 *
 * @example
 * import { createAggregator } from '@switchboard/patterns';
 * interface Sources { orders(): Order[]; inventory(): Stock[] }
 * const aggregator = createAggregator<Sources>(bus);
 * aggregator.respond('orders', () => getRecentOrders());
 * const data = await aggregator.aggregate({
 *   sources: ['orders', 'inventory'], timeout: 3000, partial: true,
 *   transform: (results, { missing }) => ({ orders: results.get('orders') ?? [], stale: missing.length > 0 }),
 * });
 */
export interface Aggregator<M extends RpcMethods<M> = AnyRpcMethods> {
  /** Asks every source once, in parallel, and shapes the answers with `transform`. */
  aggregate<T, S extends MethodName<M> = MethodName<M>>(
    query: AggregateQuery<S, T, SourceValues<M, S>> & {
      transform: (results: SourceResults<SourceValues<M, S>>, info: AggregateInfo) => T;
    },
  ): Promise<T>;
  /** Asks every source once, in parallel, and gathers the answers. */
  aggregate<S extends MethodName<M>>(
    query: AggregateQuery<S, AggregateResult<SourceValues<M, S>>, SourceValues<M, S>>,
  ): Promise<AggregateResult<SourceValues<M, S>>>;
  /** Answers for `source` from this tab. Returns the unregister function. */
  respond<K extends TypedMethodName<M>>(source: K, responder: Responder<ParamsOf<M, K>, ResultOf<M, K>>): () => void;
  /** Answers for a source of an aggregator without a source map; the responder's types are its own. */
  respond<P = unknown, R = unknown>(source: UntypedMethod<M>, responder: Responder<P, R>): () => void;
  /** Stops responding and cancels running calls (only when the aggregator created its own rpc). */
  dispose(): void;
}

/** Options of {@link createAggregator}. */
export interface AggregatorOptions {
  /** An rpc to share (with any method map); by default the aggregator creates its own. */
  rpc?: AnyRpc;
  /** Time source when the aggregator creates its rpc. @default systemClock */
  clock?: Clock;
  /** Discovery window of the aggregator's own rpc. @default 150 */
  discoveryMs?: number;
}

const METHOD_PREFIX = 'aggregate.';

/**
 * Creates an aggregator. Each source is an RPC method (`aggregate.<source>`), so each call has
 * its own correlation id, exactly one tab answers per source, and nothing stays subscribed after
 * the call settles. On an app's handle the sources are checked like any method: a manifest
 * allows answering with `rpc.handle: ['aggregate.orders']` and asking with
 * `rpc.call: ['aggregate.#']`.
 *
 * @example
 * import { createAggregator } from '@switchboard/patterns';
 * const { aggregate, respond } = createAggregator(bus, { clock });
 */
export function createAggregator<M extends RpcMethods<M> = AnyRpcMethods>(
  bus: AnyBus,
  options: AggregatorOptions = {},
): Aggregator<M> {
  const own = options.rpc === undefined;
  const rpcOptions: { clock?: Clock; discoveryMs?: number } = {};
  if (options.clock !== undefined) rpcOptions.clock = options.clock;
  if (options.discoveryMs !== undefined) rpcOptions.discoveryMs = options.discoveryMs;
  // Sources are methods of its own (`aggregate.<source>`), whatever the rpc's method map.
  const rpc: Rpc = options.rpc ?? ownRpc(bus, rpcOptions);

  async function aggregate(query: AggregateQuery<string, unknown>): Promise<unknown> {
    const { sources, params, timeout = 5000, partial = false, transform, signal } = query;
    if (!Array.isArray(sources) || sources.some((s) => typeof s !== 'string' || s === '')) {
      throw new SwitchboardError(
        'INVALID_OPTION',
        "aggregate(): sources must be an array of source names, as in { sources: ['orders', 'inventory'] }.",
      );
    }
    const fn = `aggregate([${sources.join(', ')}])`;
    if (signal?.aborted) throw abortedError(fn, signal.reason);
    const correlationId = randomId();
    // One controller for the call: a caller abort or the first failure (without partial) cancels
    // every request still running, so nothing is left behind.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const values = new Map<string, unknown>();
    const missing: MissingSource[] = [];
    try {
      const outcomes = await Promise.all(
        sources.map((source) =>
          rpc.request(METHOD_PREFIX + source, params, { timeout, signal: controller.signal, correlationId }).then(
            (value) => ({ source, ok: true as const, value }),
            (error: unknown) => {
              if (!partial && !controller.signal.aborted) controller.abort(error);
              return { source, ok: false as const, error };
            },
          ),
        ),
      );
      if (signal?.aborted) throw abortedError(fn, signal.reason);
      for (const outcome of outcomes) {
        if (outcome.ok) values.set(outcome.source, outcome.value);
        else
          missing.push({ source: outcome.source, code: codeOf(outcome.error), error: serializeError(outcome.error) });
      }
      if (!partial) {
        const first = outcomes.find((o) => !o.ok && codeOf(o.error) !== 'ABORTED') ?? outcomes.find((o) => !o.ok);
        if (first !== undefined && !first.ok) throw explain(fn, first.source, first.error, timeout);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (transform !== undefined) return transform(values, { correlationId, missing });
    return { values: Object.fromEntries(values), missing, correlationId } satisfies AggregateResult;
  }

  const aggregator: Aggregator = {
    aggregate: aggregate as Aggregator['aggregate'],
    respond(source: string, responder: Responder<never, unknown>) {
      if (typeof source !== 'string' || source === '') {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `respond(): the source must be a non-empty string, got ${typeof source}.`,
        );
      }
      return rpc.handle(METHOD_PREFIX + source, responder);
    },
    dispose() {
      if (own) rpc.dispose();
    },
  };
  // The source map types the calls only: at run time every aggregator is the same.
  return aggregator as unknown as Aggregator<M>;
}

/** The aggregator's own rpc; a bus it cannot use is reported as the aggregator's error. */
function ownRpc(bus: AnyBus, options: { clock?: Clock; discoveryMs?: number }): Rpc {
  try {
    return createRpc(bus, options);
  } catch (error) {
    if (!isSwitchboardError(error, 'INVALID_OPTION')) throw error;
    throw new SwitchboardError('INVALID_OPTION', `createAggregator(): ${error.message}`, { cause: error });
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'REMOTE_ERROR';
}

function explain(fn: string, source: string, error: unknown, timeout: number): unknown {
  if (isTimeoutError(error)) {
    return new TimeoutError(
      'TIMEOUT',
      `${fn}: source '${source}' did not answer within ${timeout} ms; pass { partial: true } to accept missing sources, or check that its app is mounted.`,
      { cause: error },
    );
  }
  if (isNoHandlerError(error)) {
    return new NoHandlerError(
      source,
      `${fn}: no tab responds for source '${source}'; call respond('${source}', fn) in the app that owns it, or pass { partial: true }.`,
    );
  }
  return error;
}
