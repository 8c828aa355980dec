import { SwitchboardError, TimeoutError, type Clock, type PubSubBus } from '@switchboard/bus';
import { randomId } from './bus-link.ts';
import { abortedError, NoHandlerError, type SerializedError, serializeError } from './errors.ts';
import type { Rpc, RpcContext } from './rpc-api.ts';
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

/** The result of `aggregate` without `transform`. */
export interface AggregateResult {
  /** Values by source, for the sources that answered. */
  readonly values: Record<string, unknown>;
  /** Sources without a value and why; empty when all answered. */
  readonly missing: readonly MissingSource[];
  readonly correlationId: string;
}

/** One scatter-gather call. */
export interface AggregateQuery<T = AggregateResult> {
  /** The sources to ask; each is answered by one tab's `respond(source, fn)`. */
  sources: readonly string[];
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
  transform?: (results: Map<string, unknown>, info: AggregateInfo) => T;
  signal?: AbortSignal;
}

/** A responder for a source: returns the source's contribution. */
export type Responder<P = unknown, R = unknown> = (params: P, context: RpcContext) => R | Promise<R>;

/**
 * Scatter-gather over the bus.
 *
 * @example
 * import { createAggregator } from '@switchboard/patterns';
 * const aggregator = createAggregator(bus);
 * aggregator.respond('orders', () => getRecentOrders());
 * const data = await aggregator.aggregate({
 *   sources: ['orders', 'inventory'], timeout: 3000, partial: true,
 *   transform: (results, { missing }) => ({ orders: results.get('orders') ?? [], stale: missing.length > 0 }),
 * });
 */
export interface Aggregator {
  /** Asks every source once, in parallel, and gathers the answers. */
  aggregate<T>(
    query: AggregateQuery<T> & { transform: (results: Map<string, unknown>, info: AggregateInfo) => T },
  ): Promise<T>;
  aggregate(query: AggregateQuery): Promise<AggregateResult>;
  /** Answers for `source` from this tab. Returns the unregister function. */
  respond<P = unknown, R = unknown>(source: string, responder: Responder<P, R>): () => void;
  /** Stops responding and cancels running calls (only when the aggregator created its own rpc). */
  dispose(): void;
}

/** Options of {@link createAggregator}. */
export interface AggregatorOptions {
  /** An rpc to share; by default the aggregator creates its own. */
  rpc?: Rpc;
  /** Time source when the aggregator creates its rpc. @default systemClock */
  clock?: Clock;
  /** Discovery window of the aggregator's own rpc. @default 150 */
  discoveryMs?: number;
}

const METHOD_PREFIX = 'aggregate:';

/**
 * Creates an aggregator. Each source is an RPC method (`aggregate:<source>`), so each call has
 * its own correlation id, exactly one tab answers per source, and nothing stays subscribed after
 * the call settles.
 *
 * @example
 * import { createAggregator } from '@switchboard/patterns';
 * const { aggregate, respond } = createAggregator(bus, { clock });
 */
export function createAggregator(bus: PubSubBus, options: AggregatorOptions = {}): Aggregator {
  const own = options.rpc === undefined;
  const rpcOptions: { clock?: Clock; discoveryMs?: number } = {};
  if (options.clock !== undefined) rpcOptions.clock = options.clock;
  if (options.discoveryMs !== undefined) rpcOptions.discoveryMs = options.discoveryMs;
  const rpc = options.rpc ?? createRpc(bus, rpcOptions);

  async function aggregate(query: AggregateQuery<unknown>): Promise<unknown> {
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

  return {
    aggregate: aggregate as Aggregator['aggregate'],
    respond(source, responder) {
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
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'REMOTE_ERROR';
}

function explain(fn: string, source: string, error: unknown, timeout: number): unknown {
  if (error instanceof TimeoutError) {
    return new TimeoutError(
      'TIMEOUT',
      `${fn}: source '${source}' did not answer within ${timeout} ms; pass { partial: true } to accept missing sources, or check that its app is mounted.`,
      { cause: error },
    );
  }
  if (error instanceof NoHandlerError) {
    return new NoHandlerError(
      source,
      `${fn}: no tab responds for source '${source}'; call respond('${source}', fn) in the app that owns it, or pass { partial: true }.`,
    );
  }
  return error;
}
