/**
 * Errors of the coordination helpers. All extend `SwitchboardError`, so
 * `isSwitchboardError(error, 'TIMEOUT')` recognises them across bundled copies; the subclasses
 * exist where callers must tell cases apart, each with a guard that works across copies too.
 */
import { SwitchboardError, TimeoutError } from '@switchboard/bus';
import { brandError, hasErrorBrand } from '@switchboard/bus/internal';

/** The codes of the errors the helpers throw or reject with. */
export type PatternsErrorCode =
  /** No tab handles the method or source. */
  | 'NO_HANDLER'
  /** The handler threw. */
  | 'REMOTE_ERROR'
  /** The tab running the request went away before replying. */
  | 'TARGET_GONE'
  /** The circuit is open. */
  | 'CIRCUIT_OPEN'
  /** A request, step or aggregate took too long. */
  | 'TIMEOUT'
  /** The caller's signal aborted, or the helper was disposed. */
  | 'ABORTED'
  /** A helper was given options it cannot use. */
  | 'INVALID_OPTION'
  /** A helper's message from another tab was malformed or forged, and ignored. */
  | 'INVALID_MESSAGE'
  /** Params or a result could not be sent to another tab. */
  | 'NOT_CLONEABLE'
  /** The durable saga log could not be read or written, or another tab took the saga over. */
  | 'STORAGE_FAILED'
  /** IndexedDB is missing where the durable saga log needs it. */
  | 'UNSUPPORTED';

const RPC_TIMEOUT_ERROR = Symbol.for('switchboard.patterns.RpcTimeoutError');
const NO_HANDLER_ERROR = Symbol.for('switchboard.patterns.NoHandlerError');
const REMOTE_ERROR = Symbol.for('switchboard.patterns.RemoteError');
const RPC_TARGET_GONE_ERROR = Symbol.for('switchboard.patterns.RpcTargetGoneError');
const CIRCUIT_OPEN_ERROR = Symbol.for('switchboard.patterns.CircuitOpenError');

/**
 * `request()` got no reply in time. The handler may still have run: make handlers idempotent or
 * check for the effect before retrying.
 *
 * @example
 * import { isSwitchboardError } from '@switchboard/bus';
 * try { await rpc.request('orders.get', { id }, { timeout: 2000 }); }
 * catch (e) { if (isSwitchboardError(e, 'TIMEOUT')) showRetry(); }
 */
export class RpcTimeoutError extends TimeoutError {
  override name = 'RpcTimeoutError';
  /** The method that timed out. */
  readonly method: string;

  constructor(method: string, timeout: number) {
    super(
      'TIMEOUT',
      `request('${method}'): no tab answered within ${timeout} ms; is the app handling '${method}' mounted and responsive? Raise { timeout } if the work is slow.`,
    );
    this.method = method;
    brandError(this, RPC_TIMEOUT_ERROR);
  }
}

/** No tab handles the method (checked after a short, bounded discovery window). */
export class NoHandlerError extends SwitchboardError<'NO_HANDLER'> {
  override name = 'NoHandlerError';
  /** The method nobody handles. */
  readonly method: string;

  constructor(method: string, message: string) {
    super('NO_HANDLER', message);
    this.method = method;
    brandError(this, NO_HANDLER_ERROR);
  }
}

/** What crosses tabs when a handler fails: enough to rethrow a useful error in the caller. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/**
 * The handler threw or rejected. `remote` holds the original error's `name`, `message` and
 * `code`; `cause` is the original error itself when the handler ran in this tab.
 *
 * @example
 * import { isRemoteError } from '@switchboard/patterns';
 * try { await rpc.request('orders.get', { id }); }
 * catch (e) { if (isRemoteError(e) && e.remote.code === 'NOT_FOUND') showEmpty(); }
 */
export class RemoteError extends SwitchboardError<'REMOTE_ERROR'> {
  override name = 'RemoteError';
  /** The method whose handler failed. */
  readonly method: string;
  /** The handler's error as it was thrown. */
  readonly remote: SerializedError;
  /** The tab whose handler failed. */
  readonly tabId: string;

  constructor(method: string, remote: SerializedError, tabId: string, options?: { cause?: unknown }) {
    super(
      'REMOTE_ERROR',
      `request('${method}'): the handler in tab ${tabId} threw ${remote.name}: ${remote.message}`,
      options,
    );
    this.method = method;
    this.remote = remote;
    this.tabId = tabId;
    brandError(this, REMOTE_ERROR);
  }
}

/**
 * The tab executing the request went away (closed, crashed, reloaded, or its handler was
 * disposed) before replying. The request may or may not have taken effect, so it is not retried
 * automatically.
 */
export class RpcTargetGoneError extends SwitchboardError<'TARGET_GONE'> {
  override name = 'RpcTargetGoneError';
  readonly method: string;
  /** The tab that was executing the request. */
  readonly tabId: string;

  constructor(method: string, tabId: string, reason: string) {
    super(
      'TARGET_GONE',
      `request('${method}'): tab ${tabId} ${reason} before replying; the request may or may not have run. Retry only if '${method}' is idempotent.`,
    );
    this.method = method;
    this.tabId = tabId;
    brandError(this, RPC_TARGET_GONE_ERROR);
  }
}

/**
 * The circuit is OPEN (or HALF_OPEN and another call, in this or another tab, is the probe).
 *
 * @example
 * import { isSwitchboardError } from '@switchboard/bus';
 * try { await breaker.execute(() => fetch('/api')); }
 * catch (e) { if (isSwitchboardError(e, 'CIRCUIT_OPEN')) showCached(); }
 */
export class CircuitOpenError extends SwitchboardError<'CIRCUIT_OPEN'> {
  override name = 'CircuitOpenError';
  /** The breaker's name. */
  readonly circuit: string;
  /** When (clock ms) the next probe may run. */
  readonly retryAt: number;

  constructor(circuit: string, retryAt: number, why: string) {
    super(
      'CIRCUIT_OPEN',
      `execute() of circuit '${circuit}': ${why}; failing fast. Use a fallback or retry after ${new Date(retryAt).toISOString()}.`,
    );
    this.circuit = circuit;
    this.retryAt = retryAt;
    brandError(this, CIRCUIT_OPEN_ERROR);
  }
}

/**
 * True when `value` is an {@link RpcTimeoutError} from any bundled copy of this package.
 *
 * @example
 * import { isRpcTimeoutError } from '@switchboard/patterns';
 * try { await rpc.request('orders.get', { id }); } catch (e) { if (isRpcTimeoutError(e)) showRetry(e.method); }
 */
export function isRpcTimeoutError(value: unknown): value is RpcTimeoutError {
  return hasErrorBrand(value, RPC_TIMEOUT_ERROR);
}

/**
 * True when `value` is a {@link NoHandlerError} from any bundled copy of this package.
 *
 * @example
 * import { isNoHandlerError } from '@switchboard/patterns';
 * try { await rpc.request('orders.get', { id }); } catch (e) { if (isNoHandlerError(e)) showNotMounted(e.method); }
 */
export function isNoHandlerError(value: unknown): value is NoHandlerError {
  return hasErrorBrand(value, NO_HANDLER_ERROR);
}

/**
 * True when `value` is a {@link RemoteError} from any bundled copy of this package.
 *
 * @example
 * import { isRemoteError } from '@switchboard/patterns';
 * try { await rpc.request('orders.get', { id }); } catch (e) { if (isRemoteError(e)) console.log(e.remote.code); }
 */
export function isRemoteError(value: unknown): value is RemoteError {
  return hasErrorBrand(value, REMOTE_ERROR);
}

/**
 * True when `value` is an {@link RpcTargetGoneError} from any bundled copy of this package.
 *
 * @example
 * import { isRpcTargetGoneError } from '@switchboard/patterns';
 * try { await rpc.request('orders.get', { id }); } catch (e) { if (isRpcTargetGoneError(e)) retryIfIdempotent(); }
 */
export function isRpcTargetGoneError(value: unknown): value is RpcTargetGoneError {
  return hasErrorBrand(value, RPC_TARGET_GONE_ERROR);
}

/**
 * True when `value` is a {@link CircuitOpenError} from any bundled copy of this package.
 *
 * @example
 * import { isCircuitOpenError } from '@switchboard/patterns';
 * try { await breaker.execute(() => fetch('/api')); } catch (e) { if (isCircuitOpenError(e)) showCached(e.retryAt); }
 */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasErrorBrand(value, CIRCUIT_OPEN_ERROR);
}

/** Turns anything thrown into the data that crosses tabs. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string'
      ? { name: error.name, message: error.message, code }
      : { name: error.name, message: error.message };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : `non-Error value thrown: ${String(error)}` };
}

/** The error a helper rejects with when its signal is aborted; the abort reason is the cause. */
export function abortedError(fn: string, reason: unknown): SwitchboardError<'ABORTED'> {
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : undefined;
  return new SwitchboardError(
    'ABORTED',
    `${fn}: aborted${why === undefined ? '' : ` (${why})`}; nothing more will happen for this call.`,
    { cause: reason },
  );
}
