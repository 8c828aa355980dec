import type { Message } from '@switchboard/bus';
import { domErrorName } from './errors.ts';
import type { HistoryStore, StoreQuery } from './history-store.ts';
import { sequenceOf } from './writer-id.ts';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Writes beyond this many drop the oldest at once (memory has no GC to wait for). */
  readonly maxMessages: number;
  /** A message that cannot be stored (its payload does not clone). */
  readonly onUncloneable: (message: Message, error: unknown) => void;
}

interface Entry {
  readonly ts: number;
  readonly seq: number;
  readonly message: Message;
}

/**
 * A store in this tab's memory, with the same semantics as IndexedDB: messages are copied on the
 * way in and out (structured clone), kept in time order, bounded by `maxMessages`. Used where
 * IndexedDB is missing and by `createMemoryHistory()` in tests.
 */
export function createMemoryStore(options: MemoryStoreOptions): HistoryStore {
  // Sorted by (ts, seq, id): nearly always an append, since messages arrive in time order.
  let entries: Entry[] = [];
  const ids = new Set<string>();

  function insert(entry: Entry): void {
    let index = entries.length;
    while (index > 0 && compare(entries[index - 1]!, entry) > 0) index--;
    entries.splice(index, 0, entry);
  }

  /** Index of the first entry with `ts > t` (or `>= t` when `inclusive`). */
  function lowerBound(t: number, inclusive: boolean): number {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ts = entries[mid]!.ts;
      if (inclusive ? ts < t : ts <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function dropOldest(count: number): number {
    const dropped = entries.splice(0, Math.max(0, Math.min(count, entries.length)));
    for (const entry of dropped) ids.delete(entry.message.id);
    return dropped.length;
  }

  return {
    kind: 'memory',
    async open() {},
    async write(messages, ifAbsent) {
      let present = 0;
      for (const message of messages) {
        if (ids.has(message.id)) {
          if (ifAbsent?.(message)) present++;
          continue;
        }
        let copy: Message;
        try {
          copy = structuredClone(message);
        } catch (error) {
          if (domErrorName(error) !== 'DataCloneError') throw error;
          options.onUncloneable(message, error);
          continue;
        }
        ids.add(message.id);
        insert({ ts: message.ts, seq: sequenceOf(message.id), message: copy });
      }
      dropOldest(entries.length - options.maxMessages);
      return present;
    },
    async query(query: StoreQuery) {
      const { from, fromExclusive, to, limit, accept } = query;
      const found: Message[] = [];
      const start = lowerBound(from, !fromExclusive);
      const end = lowerBound(to, false);
      for (let i = end - 1; i >= start && found.length < limit; i--) {
        const message = entries[i]!.message;
        if (accept(message)) found.push(structuredClone(message));
      }
      return found.reverse();
    },
    async collect(cutoff, maxMessages) {
      const expired = dropOldest(lowerBound(cutoff, false));
      const trimmed = dropOldest(entries.length - maxMessages);
      return { expired, trimmed };
    },
    async evictOldest(count, onChunk) {
      const dropped = dropOldest(count);
      onChunk?.(dropped);
      return dropped;
    },
    async count() {
      return entries.length;
    },
    async clear() {
      entries = [];
      ids.clear();
    },
    close() {},
  };
}

function compare(a: Entry, b: Entry): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : 0;
}
