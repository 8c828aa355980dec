/**
 * Errors of the stores. All extend `SwitchboardError`, so `isSwitchboardError(error)` recognises
 * them across bundled copies; {@link isStoreError} tells a store's errors apart by their brand.
 */
import { SwitchboardError, type SwitchboardErrorCode } from '@switchboard/bus';

const STORE_BRAND = Symbol.for('switchboard.store.error');

/**
 * A store refused something: a bad definition, a `storeId` owned by another definition, a write
 * by an app that does not own the store, an aborted transaction, a state its schema refuses.
 * `storeId` names the store.
 *
 * @example
 * import { isStoreError } from '@switchboard/store';
 * try { await cart.set([]); } catch (e) { if (isStoreError(e) && e.code === 'PERMISSION_DENIED') showReadOnly(); }
 */
export class StoreError extends SwitchboardError {
  override name = 'StoreError';
  /** The store concerned, when there is one. */
  readonly storeId: string | undefined;

  constructor(code: SwitchboardErrorCode, storeId: string | undefined, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.storeId = storeId;
    Object.defineProperty(this, STORE_BRAND, { value: true });
  }
}

/**
 * A transaction was aborted: `abort(reason)` was called or its action threw. Nothing it wrote was
 * applied in any tab; its compensations ran. `reason` is what was passed to `abort`, or the error.
 *
 * @example
 * import { isTransactionAbortedError } from '@switchboard/store';
 * try { await registry.transaction(transfer); } catch (e) { if (isTransactionAbortedError(e)) toast(e.message); }
 */
export class TransactionAbortedError extends StoreError {
  override name = 'TransactionAbortedError';
  readonly reason: unknown;

  constructor(reason: unknown, message: string, options?: { cause?: unknown }) {
    super('ABORTED', undefined, message, options);
    this.reason = reason;
  }
}

/**
 * Events between stores went round in a loop (store A's event commands store B, whose event
 * commands A…): the bus's loop detection stopped it. `stores` names the chain, oldest first.
 *
 * @example
 * import { isStoreError } from '@switchboard/store';
 * const onError = (e: unknown) => { if (isStoreError(e) && e.code === 'LOOP_DETECTED') console.error(e.message); };
 */
export class StoreLoopError extends StoreError {
  override name = 'StoreLoopError';
  readonly stores: readonly string[];

  constructor(stores: readonly string[], cause: unknown) {
    super(
      'LOOP_DETECTED',
      stores.at(-1),
      `store events loop through ${stores.join(' -> ')}; the bus stopped the chain. ` +
        'Let one store emit a terminal event, or read the other store instead of commanding it back.',
      { cause },
    );
    this.stores = stores;
  }
}

/** True when `value` is a {@link StoreError} from any bundled copy of this package. */
export function isStoreError(value: unknown): value is StoreError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[STORE_BRAND] === true;
}

/** True when `value` is a {@link TransactionAbortedError} from any bundled copy of this package. */
export function isTransactionAbortedError(value: unknown): value is TransactionAbortedError {
  return isStoreError(value) && value.name === 'TransactionAbortedError';
}

/** A short description of a value for error messages: `'abc'`, `42`, `an object`, `undefined`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
