import type { Clock } from '@switchboard/bus';
import type { Holdings, StoreState } from './protocol.ts';
import type { Sequencer } from './sequencer.ts';

/** What an earlier history is extended with: a straggling commit, or a late tab's holdings. */
interface LaterVersion {
  readonly version: number;
  readonly value: unknown;
  readonly schemaVersion: number;
  /** Its operations, oldest first; the last one made `version`. */
  readonly opIds: readonly string[];
}

/** One store's earlier history, as the sequencer knows it in this term. */
interface EarlierHistory {
  version: number;
  value: unknown;
  schemaVersion: number;
  /** Its last operation, when known. */
  head: string | undefined;
  /** Its operations learned since the sequencer last took it. */
  readonly gained: Set<string>;
  /** The sequencer's version when it last took it: the operations above are this term's own. */
  based: number;
  /** Its version then. */
  taken: number;
}

/** Options of {@link createEarlierHistories}. */
export interface EarlierHistoriesOptions {
  /** The sequencer of the current term. */
  sequencer(): Sequencer;
  readonly clock: Clock;
  /** How long the tabs have to propose again what a rebase undid. */
  readonly retryMs: number;
  /** Sends a state to every tab (after what is decided so far). */
  publishState(state: StoreState): void;
  /**
   * Persists (when its store is) a state it took past its own writes, which storage lacks: its
   * replays may never commit. `opId` is the earlier history's last operation.
   */
  record(state: StoreState, opId: string | undefined): void;
  /** True when the sequencer can commit `opId` again by itself (a `set`, a command it can run). */
  redoable(storeId: string, opId: string): boolean;
  /** Commits again by itself, in order, `opIds`: those it said it can. */
  redo(storeId: string, opIds: readonly string[]): void;
  /** Writes to replay that no tab proposed again in time, or too old to replay: lost. */
  lost(storeId: string, count: number): void;
}

/**
 * The history the previous sequencers wrote, per store, as the current one learns it: first the
 * highest version of the election, then what reaches it late (a straggling commit, a late tab's
 * holdings). It was acknowledged to tabs that may be gone, so it wins: the sequencer takes it, and
 * the operations it committed itself since, which that history lacks, are undone and replayed by
 * the tabs that kept them (the same opIds, so each applies once).
 */
export interface EarlierHistories {
  /** A new term, whose earlier history is what the sequencer adopted from the holdings. */
  begin(holdings: Holdings['stores']): void;
  /** The store's history starts at the sequencer's current state (read from storage). */
  startAt(storeId: string): void;
  /** The store's earlier history's version and last operation. */
  head(storeId: string): { readonly version: number; readonly opId: string | undefined };
  /** True when `opId` is in the store's earlier history, learned since the sequencer took it last. */
  gained(storeId: string, opId: string): boolean;
  /** A later version of the store's earlier history: the sequencer takes it once this run is over. */
  extend(storeId: string, later: LaterVersion): void;
  /**
   * Sends every tab the store's state and has `opIds` (acknowledged, absent from it) run again
   * on it: by the sequencer when it can, else by the tabs that kept them, within `retryMs` or
   * lost.
   */
  replay(storeId: string, opIds: readonly string[]): void;
  /** A proposal reached the sequencer: a replay of its opId is no longer awaited. */
  proposed(opId: string): void;
  /** The term ended. */
  end(): void;
}

/** Creates the earlier histories of a sequencing tab. */
export function createEarlierHistories(options: EarlierHistoriesOptions): EarlierHistories {
  const { clock } = options;
  const histories = new Map<string, EarlierHistory>();
  const dirty = new Set<string>();
  // opId -> storeId: replays asked for and not proposed yet.
  const awaited = new Map<string, string>();
  let timer: unknown;
  let term = 0;

  function historyOf(storeId: string): EarlierHistory {
    let history = histories.get(storeId);
    if (history === undefined) {
      // A store no tab held at the election: its whole history in this term is the sequencer's.
      history = {
        version: 0,
        value: undefined,
        schemaVersion: 1,
        head: undefined,
        gained: new Set(),
        based: 0,
        taken: 0,
      };
      histories.set(storeId, history);
    }
    return history;
  }

  /** The store's earlier history is the sequencer's state now. */
  function start(storeId: string, head: string | undefined): void {
    const { version, value, schemaVersion } = options.sequencer().entry(storeId);
    histories.set(storeId, { version, value, schemaVersion, head, gained: new Set(), based: version, taken: version });
  }

  function take(storeId: string): void {
    const history = histories.get(storeId);
    if (history === undefined || history.version === history.taken) return;
    const sequencer = options.sequencer();
    const store = sequencer.entry(storeId);
    const undone: string[] = [];
    let since = 0;
    for (const [opId, version] of store.applied) {
      if (version <= history.based) continue;
      since++;
      if (!history.gained.has(opId)) undone.push(opId);
    }
    // One commit per version since it was taken: those the sequencer no longer remembers (past
    // its bounded memory) can be neither kept nor replayed.
    const forgotten = store.version - history.based - since;
    if (forgotten > 0) options.lost(storeId, forgotten);
    // Nothing written since it was taken: the earlier history's own version, which the tabs that
    // hold it already have. Otherwise past both, so every tab takes it.
    const version =
      store.version === history.based && history.version > store.version
        ? history.version
        : Math.max(store.version + 1, history.version);
    sequencer.rebase(
      { storeId, version, value: history.value, schemaVersion: history.schemaVersion, opIds: [...history.gained] },
      undone,
    );
    history.gained.clear();
    history.based = version;
    history.taken = history.version;
    const [state, redo] = merge(storeId, undone);
    if (version !== history.version) options.record(state, history.head);
    options.publishState(state);
    options.redo(storeId, redo);
  }

  /** The store's state, naming what the tabs must run again on it, and what the sequencer commits again itself. */
  function merge(storeId: string, opIds: readonly string[]): [StoreState, string[]] {
    const state = options.sequencer().state(storeId, undefined);
    const redo: string[] = [];
    const replay: string[] = [];
    for (const opId of opIds) (options.redoable(storeId, opId) ? redo : replay).push(opId);
    for (const opId of replay) awaited.set(opId, storeId);
    if (replay.length > 0 && timer === undefined) timer = clock.setTimeout(expire, options.retryMs);
    return [opIds.length === 0 ? state : { ...state, merge: { replay, until: state.version + opIds.length } }, redo];
  }

  function expire(): void {
    timer = undefined;
    const byStore = new Map<string, number>();
    for (const storeId of awaited.values()) byStore.set(storeId, (byStore.get(storeId) ?? 0) + 1);
    awaited.clear();
    for (const [storeId, count] of byStore) {
      options.lost(storeId, count);
      // The tabs' listeners stop waiting for them.
      options.publishState(options.sequencer().state(storeId, undefined));
    }
  }

  return {
    begin(holdings) {
      histories.clear();
      const sequencer = options.sequencer();
      for (const storeId of sequencer.storeIds()) {
        const { version } = sequencer.entry(storeId);
        // The last operation of the holding the sequencer adopted (the first at the highest version).
        start(storeId, holdings.find((held) => held.storeId === storeId && held.version === version)?.opIds.at(-1));
      }
    },
    startAt(storeId) {
      const store = options.sequencer().entry(storeId);
      start(storeId, [...store.applied.keys()].at(-1));
    },
    head(storeId) {
      const history = historyOf(storeId);
      return { version: history.version, opId: history.head };
    },
    gained: (storeId, opId) => histories.get(storeId)?.gained.has(opId) ?? false,
    extend(storeId, later) {
      const history = historyOf(storeId);
      history.version = later.version;
      history.value = later.value;
      history.schemaVersion = later.schemaVersion;
      history.head = later.opIds.at(-1) ?? history.head;
      for (const opId of later.opIds) history.gained.add(opId);
      if (dirty.size === 0) {
        const of = term;
        // Stragglers come in bursts: the sequencer takes their last version once.
        queueMicrotask(() => {
          if (of !== term) return;
          for (const id of dirty) take(id);
          dirty.clear();
        });
      }
      dirty.add(storeId);
    },
    replay(storeId, opIds) {
      const [state, redo] = merge(storeId, opIds);
      options.publishState(state);
      options.redo(storeId, redo);
    },
    proposed(opId) {
      if (awaited.size > 0) awaited.delete(opId);
    },
    end() {
      term++;
      dirty.clear();
      histories.clear();
      awaited.clear();
      clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
