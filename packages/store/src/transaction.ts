import { StoreError, TransactionAbortedError } from './errors.ts';
import { randomId } from './protocol.ts';
import type { Replica } from './replica-types.ts';
import type { TransactionGroup, Write, Writer } from './write.ts';
import type { StoreService } from './store-service-types.ts';

/** A store as a transaction names it: any `Store` of this tab. */
export interface StoreRef<T> {
  readonly storeId: string;
  get(): T;
}

/** What a transaction's action gets: staged reads and writes, abort, compensations. */
export interface Transaction {
  /** The store's value in this transaction: its staged value, or the current one. */
  get<T>(store: StoreRef<T>): T;
  /** Stages a new value; applied with the others when the action returns. */
  set<T>(store: StoreRef<T>, value: T): void;
  /** Stages an update; `fn` runs again on a newer state if another tab wrote first. */
  update<T>(store: StoreRef<T>, fn: (state: T) => T): void;
  /** Ends the transaction: nothing is applied, compensations run, it rejects with `reason`. */
  abort(reason?: unknown): never;
  /** Registers work that undoes something done outside the stores; run, last first, on failure. */
  compensate(undo: () => unknown): void;
  /** Aborted when the transaction ends without applying. */
  readonly signal: AbortSignal;
}

interface TransactionHost {
  readonly service: StoreService;
  readonly writer: Writer;
  assertWritable(storeId: string, fn: string): void;
  report(error: unknown): void;
}

const ABORT = Symbol('abort');

/** Runs a transaction: stages the action's writes, then proposes them as one. */
export async function runTransaction<R>(
  host: TransactionHost,
  action: (tx: Transaction) => R | Promise<R>,
): Promise<R> {
  const staged = new Map<string, { replica: Replica; fns: Array<(state: unknown) => unknown> }>();
  const compensations: Array<() => unknown> = [];
  const controller = new AbortController();
  let abortReason: { reason: unknown } | undefined;

  const replicaOf = (store: StoreRef<unknown>): Replica => {
    const replica = host.service.replicas().find((candidate) => candidate.storeId === store.storeId);
    if (replica === undefined) {
      throw new StoreError(
        'INVALID_OPTION',
        store.storeId,
        `transaction: store '${store.storeId}' is not loaded in this tab.`,
      );
    }
    return replica;
  };
  const stage = (store: StoreRef<unknown>, fn: (state: unknown) => unknown, label: string): void => {
    host.assertWritable(store.storeId, label);
    const entry = staged.get(store.storeId) ?? { replica: replicaOf(store), fns: [] };
    entry.fns.push(fn);
    staged.set(store.storeId, entry);
  };

  const tx: Transaction = {
    get<T>(store: StoreRef<T>): T {
      const entry = staged.get(store.storeId);
      const base = store.get() as unknown;
      return (entry === undefined ? base : entry.fns.reduce((state, fn) => fn(state), base)) as T;
    },
    set: (store, value) => stage(store, () => value, 'tx.set'),
    update: (store, fn) => stage(store, fn as (state: unknown) => unknown, 'tx.update'),
    abort(reason) {
      abortReason = { reason };
      throw ABORT;
    },
    compensate(undo) {
      compensations.push(undo);
    },
    signal: controller.signal,
  };

  async function fail(reason: unknown, cause: unknown): Promise<never> {
    controller.abort(reason);
    for (const undo of compensations.reverse()) {
      try {
        await undo();
      } catch (error) {
        host.report(error);
      }
    }
    throw new TransactionAbortedError(
      reason,
      `transaction: aborted (${reason instanceof Error ? reason.message : String(reason)}); nothing was applied in any tab.`,
      { cause },
    );
  }

  let result: R;
  try {
    result = await action(tx);
    if (abortReason !== undefined) return await fail(abortReason.reason, undefined);
  } catch (error) {
    if (error === ABORT && abortReason !== undefined) return await fail(abortReason.reason, undefined);
    return await fail(error, error);
  }
  if (staged.size === 0) return result;
  try {
    await applyTogether(host, [...staged.values()]);
  } catch (error) {
    return await fail(error, error);
  }
  return result;
}

/** Queues one write per store, all in one group: proposed together once each store is idle. */
function applyTogether(
  host: TransactionHost,
  parts: Array<{ replica: Replica; fns: Array<(state: unknown) => unknown> }>,
): Promise<void> {
  const scopes = new Set(parts.map((part) => part.replica.definition.scope));
  if (scopes.size > 1) {
    return Promise.reject(
      new StoreError(
        'INVALID_OPTION',
        parts[0]!.replica.storeId,
        "transaction: stores of scope 'tab' and 'origin' cannot change in one transaction; use stores of one scope.",
      ),
    );
  }
  const stores = parts.map((part) => part.replica.storeId);
  const arrived = new Set<Replica>();
  let failed = false;
  return new Promise<void>((resolve, reject) => {
    let remaining = parts.length;
    const group: TransactionGroup = {
      id: `tx:${host.service.tabId}:${randomId()}`,
      stores,
      arrived(replica) {
        arrived.add(replica);
        if (arrived.size < parts.length || failed) return;
        arrived.clear();
        // Every store is idle with the transaction's write first: compute each new value from
        // the confirmed state; a write that throws aborts the whole transaction.
        const values: unknown[] = [];
        for (const part of parts) {
          try {
            values.push(part.replica.groupWrite(group)!.apply(part.replica.confirmed));
          } catch (error) {
            failed = true;
            for (const other of parts) other.replica.abandonGroup(group, error);
            return;
          }
        }
        // Listeners of the stores involved hear of the changes once all are applied.
        for (const part of parts) part.replica.hold();
        try {
          parts.forEach((part, i) => {
            part.replica.proposeGroupPart(group, values[i]);
          });
        } finally {
          for (const part of parts) part.replica.release();
        }
      },
    };
    // Queued under one hold, so this tab's listeners see the changes of all stores at once.
    for (const part of parts) part.replica.hold();
    for (const part of parts) {
      const write: Write = {
        label: 'transaction',
        writer: host.writer,
        group,
        apply: (state) => part.fns.reduce((value, fn) => fn(value), state),
        resolve() {
          remaining--;
          if (remaining === 0) resolve();
        },
        reject(error) {
          failed = true;
          reject(error);
        },
      };
      part.replica.write(write);
    }
    for (const part of parts) part.replica.release();
  });
}
