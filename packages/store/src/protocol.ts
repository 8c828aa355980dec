/**
 * The messages stores exchange between tabs, on `$sys.store.<op>.<storeId>` (the store id last,
 * so a manifest's `stores.write: ['orders.cart']` is the pattern `$sys.store.propose.orders.cart`).
 */

/** A tab asks the sequencer to move a store from `baseVersion` to `value`. */
export interface Proposal {
  readonly storeId: string;
  /** Identifies the write across retries: a proposal with a known opId is never applied twice. */
  readonly opId: string;
  readonly baseVersion: number;
  readonly value: unknown;
  readonly tabId: string;
  /** The definition's schema version of `value`. */
  readonly schemaVersion: number;
  readonly persist: boolean;
  /** What was written: `set`, `update`, a command's name, `transaction`. */
  readonly label: string;
  /** Set when several stores change together: every part carries the ids of all of them. */
  readonly tx?: { readonly id: string; readonly stores: readonly string[] };
  /**
   * The value does not depend on the state it was based on (its batch holds a `set`): the
   * sequencer can commit it again by itself when a failover undoes it.
   */
  absolute?: true | undefined;
  /**
   * A command's name and payload: the sequencer can run it again by itself (where its tab has
   * the store's definition) when a failover undoes it.
   */
  command?: RedoableCommand | undefined;
  /**
   * The sequencer the proposing tab follows: a proposal that reaches another one late (made on
   * an earlier history) is ignored there, and the proposer sends it again to its new sequencer.
   */
  sequencer?: string | undefined;
}

/** A command as proposed: enough to run it again on another state. */
export interface RedoableCommand {
  readonly name: string;
  readonly payload: unknown;
  /** The app that dispatched it (its handler's `source`). */
  readonly source: string;
}

/** The sequencer accepted a proposal: the store's new version and value. */
export interface Commit {
  readonly storeId: string;
  readonly version: number;
  readonly opId: string;
  readonly value: unknown;
  /** The proposing tab and app. */
  readonly tabId: string;
  readonly source: string;
  readonly label: string;
  readonly ts: number;
  readonly schemaVersion: number;
  readonly tx?: { readonly id: string; readonly stores: readonly string[] };
}

/** The sequencer refused a proposal: stale `baseVersion`, or (`applied`) already applied. */
export interface Rejection {
  readonly storeId: string;
  readonly opId: string;
  readonly to: string;
  /** The store's version when it refused. */
  readonly version: number;
  readonly applied: boolean;
}

/** A tab asks for a store's current state (a new replica, or a gap in the commits). */
export interface SyncRequest {
  readonly storeId: string;
  readonly tabId: string;
  readonly persist: boolean;
  readonly schemaVersion: number;
}

/** A store's state: the answer to a sync, or the new sequencer's view after a takeover. */
export interface StoreState {
  readonly storeId: string;
  /** The asking tab, or undefined for every tab. */
  readonly to: string | undefined;
  readonly version: number;
  /** Undefined at version 0: nobody wrote the store yet, so each tab starts from `initial`. */
  readonly value: unknown;
  readonly schemaVersion: number;
  /** Recent opIds applied, so a proposer whose commit was lost learns it was applied. */
  readonly opIds: readonly string[];
  /**
   * Set when this state lacks acknowledged operations (a failover's merge undid them): the tabs
   * that kept those in `replay` run them again on it, in order, and listeners wait until the
   * store reaches `until` (every one committed again) or the next state, so that they never see
   * it step back.
   */
  readonly merge?: { readonly replay: readonly string[]; readonly until: number };
}

/** A tab's answer to a new sequencer: the stores it holds. */
export interface Holdings {
  readonly tabId: string;
  readonly stores: ReadonlyArray<{
    readonly storeId: string;
    readonly version: number;
    readonly value: unknown;
    readonly schemaVersion: number;
    readonly persist: boolean;
    readonly opIds: readonly string[];
  }>;
}

/** `$sys.store.<op>.<storeId>`. */
export function storeTopic(op: 'propose' | 'commit' | 'reject' | 'sync' | 'state', storeId: string): string {
  return `$sys.store.${op}.${storeId}`;
}

/** A new sequencer asks every tab what it holds. */
export const ELECT = '$sys.store.elect';
/** A tab's {@link Holdings}. */
export const HOLDINGS = '$sys.store.holdings';
/** The new sequencer is ready: proposers send again what is unanswered. */
export const SEQUENCER = '$sys.store.sequencer';

const STORE_ID = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/;

/** True when `storeId` can end a topic: segments of letters, digits, `_`, `-`, `:` joined by dots. */
export function isStoreId(storeId: unknown): storeId is string {
  return typeof storeId === 'string' && storeId.length <= 200 && STORE_ID.test(storeId);
}

/** A random id, unique enough across tabs. */
export function randomId(): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += (byte % 36).toString(36);
  return id;
}
