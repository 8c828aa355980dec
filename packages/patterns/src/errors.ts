/**
 * Errors of the coordination helpers. All extend `SwitchboardError`, so
 * `isSwitchboardError(error, 'TIMEOUT')` recognises them across bundled copies; the subclasses
 * exist where callers must tell cases apart.
 */
import { SwitchboardError, TimeoutError } from '@switchboard/bus';

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
  }
}

/** No tab handles the method (checked after a short, bounded discovery window). */
export class NoHandlerError extends SwitchboardError {
  override name = 'NoHandlerError';
  /** The method nobody handles. */
  readonly method: string;

  constructor(method: string, message: string) {
    super('NO_HANDLER', message);
    this.method = method;
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
 * import { RemoteError } from '@switchboard/patterns';
 * try { await rpc.request('orders.get', { id }); }
 * catch (e) { if (e instanceof RemoteError && e.remote.code === 'NOT_FOUND') showEmpty(); }
 */
export class RemoteError extends SwitchboardError {
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
  }
}

/**
 * The tab executing the request went away (closed, crashed, reloaded, or its handler was
 * disposed) before replying. The request may or may not have taken effect, so it is not retried
 * automatically.
 */
export class RpcTargetGoneError extends SwitchboardError {
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
export class CircuitOpenError extends SwitchboardError {
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
  }
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
export function abortedError(fn: string, reason: unknown): SwitchboardError {
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : undefined;
  return new SwitchboardError(
    'ABORTED',
    `${fn}: aborted${why === undefined ? '' : ` (${why})`}; nothing more will happen for this call.`,
    { cause: reason },
  );
}
