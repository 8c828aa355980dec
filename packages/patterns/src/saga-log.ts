import type { SerializedError } from './errors.ts';

/**
 * Where one step of a logged saga stands. `compensating`: its compensation was started and has
 * not finished; a tab that takes the saga over runs it again with the same idempotency key.
 */
export type SagaStepStatus = 'started' | 'completed' | 'compensating' | 'compensated' | 'compensation-failed';

/** One step in a saga's log. `result` is the action's result, given back to its compensation. */
export interface SagaStepRecord {
  status: SagaStepStatus;
  result?: unknown;
  error?: SerializedError;
}

/** What a durable saga writes before and after every step. Plain data: it goes to IndexedDB. */
export interface SagaRecord {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  /** `running`: actions go forward. `compensating`: undoing completed steps in reverse. */
  status: 'running' | 'compensating';
  steps: SagaStepRecord[];
  /** Why it is compensating. */
  error?: SerializedError;
  /** The saga instance running it now; another may take over only once `leaseUntil` passed. */
  owner: string;
  /** Clock time until which `owner` holds the saga; renewed while it runs. */
  leaseUntil: number;
  readonly startedAt: number;
}

/**
 * Storage for durable sagas. Only unfinished sagas are kept: a saga that completes or finishes
 * compensating is removed. Every method is atomic with respect to the others, across tabs.
 */
export interface SagaLog {
  /**
   * Inserts or replaces `record`, unless another owner holds it now; resolves to false then
   * (this instance lost the saga to a tab that took it over).
   */
  write(record: SagaRecord): Promise<boolean>;
  /** Unfinished sagas of this name. */
  unfinished(name: string): Promise<SagaRecord[]>;
  /**
   * Takes the saga over for `owner` until `leaseUntil` if its lease has expired at `now` (or
   * `owner` already holds it); resolves to the record, or undefined when another holds it or
   * it is gone. A tab holding the saga's Web Lock passes `now = Infinity`: the lock proves the
   * previous owner is gone, whatever its lease says.
   */
  claim(id: string, owner: string, now: number, leaseUntil: number): Promise<SagaRecord | undefined>;
  /** Removes a finished saga, if `owner` holds it. */
  remove(id: string, owner: string): Promise<void>;
}

/**
 * A {@link SagaLog} in memory: for tests (give every simulated tab the same log) and for apps
 * that want the log's bookkeeping without persistence.
 *
 * @example
 * import { createMemorySagaLog, createSaga } from '@switchboard/patterns';
 * const log = createMemorySagaLog();
 * const saga = createSaga(bus, { name: 'checkout', durable: log, steps });
 */
export function createMemorySagaLog(): SagaLog & { readonly size: number } {
  const records = new Map<string, SagaRecord>();
  return {
    async write(record) {
      const existing = records.get(record.id);
      if (existing !== undefined && existing.owner !== record.owner) return false;
      records.set(record.id, structuredClone(record));
      return true;
    },
    async unfinished(name) {
      return [...records.values()].filter((r) => r.name === name).map((r) => structuredClone(r));
    },
    async claim(id, owner, now, leaseUntil) {
      const record = records.get(id);
      if (record === undefined || (record.owner !== owner && record.leaseUntil > now)) return undefined;
      record.owner = owner;
      record.leaseUntil = leaseUntil;
      return structuredClone(record);
    },
    async remove(id, owner) {
      if (records.get(id)?.owner === owner) records.delete(id);
    },
    get size() {
      return records.size;
    },
  };
}
