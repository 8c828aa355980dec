import type { Commit, Holdings, Proposal, Rejection, StoreState } from './protocol.ts';

/** How many applied opIds a store remembers, to refuse a retried proposal that was applied. */
const REMEMBERED_OPS = 2048;
/** How many `set`s and commands a store remembers, to commit them again when a failover undoes them. */
const REDOABLE = 256;

/** One store as the sequencer knows it. */
interface SequencedStore {
  version: number;
  value: unknown;
  schemaVersion: number;
  persist: boolean;
  /** opId -> version, oldest first, bounded. */
  readonly applied: Map<string, number>;
  /** The proposals of its latest `set`s and commands by opId, oldest first, bounded. */
  readonly redoable: Map<string, { proposal: Proposal; source: string }>;
}

/** What the sequencer decided about one or several proposals (a transaction's parts). */
export type Decision =
  | { readonly kind: 'commit'; readonly commits: Commit[] }
  | { readonly kind: 'reject'; readonly rejections: Rejection[] }
  | { readonly kind: 'wait' };

/** The part of the leader tab that orders every write of every store of the origin. */
export interface Sequencer {
  /** The store's entry, creating it at version 0 when unknown. */
  entry(storeId: string): SequencedStore;
  has(storeId: string): boolean;
  /**
   * Decides on a proposal: commit at `version + 1` if based on the current version and not yet
   * applied; a transaction's parts wait for each other and are decided together.
   */
  decide(proposal: Proposal, source: string, now: number): Decision;
  /** Takes the highest version among the tabs' holdings (a new sequencer's first step). */
  adopt(holdings: Holdings['stores'][number]): void;
  /**
   * Moves the store to `version` without changing its value: past a history it cannot adopt, so
   * every tab takes this state instead.
   */
  jump(storeId: string, version: number): void;
  /**
   * Takes an earlier history at `version` (past the store's own), with its operations as
   * applied, and forgets the operations `undone` (committed here, absent from that history), so
   * that their replays are decided anew.
   */
  rebase(held: Omit<Holdings['stores'][number], 'persist'>, undone: readonly string[]): void;
  state(storeId: string, to: string | undefined): StoreState;
  storeIds(): string[];
  /** The proposal of a `set` or a command of this term it remembers, to commit it again. */
  redoable(storeId: string, opId: string): Proposal | undefined;
  /**
   * Commits again, at the current version, a `set` or a command of this term that a rebase
   * undid, with `value` (a command's, run again on the current state by the caller).
   */
  redo(storeId: string, opId: string, value: unknown, now: number): Commit;
}

/** Creates an empty sequencer. */
export function createSequencer(): Sequencer {
  const stores = new Map<string, SequencedStore>();
  const waitingTx = new Map<string, Map<string, { proposal: Proposal; source: string }>>();

  function entry(storeId: string): SequencedStore {
    let found = stores.get(storeId);
    if (found === undefined) {
      found = {
        version: 0,
        value: undefined,
        schemaVersion: 1,
        persist: false,
        applied: new Map(),
        redoable: new Map(),
      };
      stores.set(storeId, found);
    }
    return found;
  }

  function remember(store: SequencedStore, opId: string, version: number): void {
    store.applied.set(opId, version);
    if (store.applied.size > REMEMBERED_OPS) store.applied.delete(store.applied.keys().next().value!);
  }

  function reject(proposal: Proposal, applied: boolean): Rejection {
    const store = entry(proposal.storeId);
    return {
      storeId: proposal.storeId,
      opId: proposal.opId,
      to: proposal.tabId,
      version: applied ? (store.applied.get(proposal.opId) ?? store.version) : store.version,
      applied,
    };
  }

  function commit(proposal: Proposal, source: string, now: number): Commit {
    const store = entry(proposal.storeId);
    store.version++;
    store.value = proposal.value;
    store.schemaVersion = proposal.schemaVersion;
    store.persist ||= proposal.persist;
    remember(store, proposal.opId, store.version);
    if (proposal.absolute || proposal.command) {
      store.redoable.set(proposal.opId, { proposal, source });
      if (store.redoable.size > REDOABLE) store.redoable.delete(store.redoable.keys().next().value!);
    }
    const commit: { -readonly [K in keyof Commit]: Commit[K] } = {
      storeId: proposal.storeId,
      version: store.version,
      opId: proposal.opId,
      value: proposal.value,
      tabId: proposal.tabId,
      source,
      label: proposal.label,
      ts: now,
      schemaVersion: proposal.schemaVersion,
    };
    // Set only when there is one: no spread of an empty object on every commit.
    if (proposal.tx !== undefined) commit.tx = proposal.tx;
    return commit;
  }

  function decideTogether(parts: Array<{ proposal: Proposal; source: string }>, now: number): Decision {
    // All or nothing: applied together before (a retry), or all based on the current versions.
    if (parts.some(({ proposal }) => entry(proposal.storeId).applied.has(proposal.opId))) {
      return { kind: 'reject', rejections: parts.map(({ proposal }) => reject(proposal, true)) };
    }
    if (parts.some(({ proposal }) => entry(proposal.storeId).version !== proposal.baseVersion)) {
      return { kind: 'reject', rejections: parts.map(({ proposal }) => reject(proposal, false)) };
    }
    return { kind: 'commit', commits: parts.map(({ proposal, source }) => commit(proposal, source, now)) };
  }

  return {
    entry,
    has: (storeId) => stores.has(storeId),
    decide(proposal, source, now) {
      if (proposal.tx === undefined) {
        const store = entry(proposal.storeId);
        if (store.applied.has(proposal.opId)) return { kind: 'reject', rejections: [reject(proposal, true)] };
        if (store.version !== proposal.baseVersion) return { kind: 'reject', rejections: [reject(proposal, false)] };
        return { kind: 'commit', commits: [commit(proposal, source, now)] };
      }
      let parts = waitingTx.get(proposal.tx.id);
      if (parts === undefined) {
        parts = new Map();
        waitingTx.set(proposal.tx.id, parts);
      }
      parts.set(proposal.storeId, { proposal, source });
      if (parts.size < proposal.tx.stores.length) return { kind: 'wait' };
      waitingTx.delete(proposal.tx.id);
      return decideTogether([...parts.values()], now);
    },
    adopt(held) {
      const store = entry(held.storeId);
      for (const opId of held.opIds) if (!store.applied.has(opId)) remember(store, opId, held.version);
      store.persist ||= held.persist;
      if (held.version <= store.version) return;
      store.version = held.version;
      store.value = held.value;
      store.schemaVersion = held.schemaVersion;
    },
    jump(storeId, version) {
      const store = entry(storeId);
      if (version > store.version) store.version = version;
    },
    rebase(held, undone) {
      const store = entry(held.storeId);
      for (const opId of undone) store.applied.delete(opId);
      for (const opId of held.opIds) if (!store.applied.has(opId)) remember(store, opId, held.version);
      store.version = held.version;
      store.value = held.value;
      store.schemaVersion = held.schemaVersion;
    },
    state(storeId, to) {
      const store = entry(storeId);
      return {
        storeId,
        to,
        version: store.version,
        value: store.value,
        schemaVersion: store.schemaVersion,
        opIds: [...store.applied.keys()].slice(-64),
      };
    },
    storeIds: () => [...stores.keys()],
    redoable(storeId, opId) {
      const store = entry(storeId);
      return store.applied.has(opId) ? undefined : store.redoable.get(opId)?.proposal;
    },
    redo(storeId, opId, value, now) {
      const { proposal, source } = entry(storeId).redoable.get(opId)!;
      return commit({ ...proposal, value }, source, now);
    },
  };
}
