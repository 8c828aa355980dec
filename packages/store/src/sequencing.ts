import type { Clock } from '@switchboard/bus';
import { describeValue, StoreError } from './errors.ts';
import type { HostLink } from './host-link.ts';
import { createPersistedLoader } from './persisted-loader.ts';
import {
  type Commit,
  type Holdings,
  type Proposal,
  type RedoableCommand,
  SEQUENCER,
  type StoreState,
  type SyncRequest,
  storeTopic,
} from './protocol.ts';
import { createSequencer, type Decision } from './sequencer.ts';
import { createSequencerOutbox } from './sequencer-outbox.ts';
import { createEarlierHistories } from './earlier-history.ts';
import type { StoreStorage } from './store-storage.ts';

/** Options of {@link createSequencing}. */
export interface SequencingOptions {
  readonly host: HostLink;
  readonly storage: StoreStorage | undefined;
  readonly clock: Clock;
  /** How long the tabs have to propose again the operations a rebase undid. */
  readonly retryMs: number;
  /** The tab's counters (its stats) that sequencing moves. */
  readonly counts: { sequenced: number; rejected: number; duplicates: number; diverged: number };
  /**
   * Runs `command` on a state of `schemaVersion` with this tab's definition of the store,
   * without publishing its events; undefined when this tab has no such definition loaded.
   */
  command(storeId: string, command: RedoableCommand, schemaVersion: number): ((state: unknown) => unknown) | undefined;
  /** Delivers a state to this tab's own replica (no round trip through the channel). */
  deliverState(state: StoreState): void;
  report(error: unknown): void;
}

/** What the leader tab does as the sequencer: decide proposals, answer syncs, catch up. */
export interface Sequencing {
  /** Starts a term from what the tabs said they hold, and tells every tab. */
  begin(holdings: Holdings['stores']): void;
  receiveProposal(proposal: Proposal, source: string): void;
  answerSync(request: SyncRequest): void;
  /**
   * Holdings that reached the sequencer after its election: a tab that answered late, or one
   * that found itself ahead of it (a refusal at an older version). What it holds beyond the
   * earlier history extends it (see {@link createEarlierHistories}); a history that cannot be
   * placed after it is `STORE_DIVERGED`. The tab gets a state either way, so it proposes again.
   */
  lateHoldings(late: Holdings): void;
  /** A commit of an earlier sequencer that reached this one after its election. */
  straggler(commit: Commit): void;
  /** Forgets what is decided but unpublished: this tab stopped sequencing. */
  drop(): void;
  close(): void;
}

/** Creates the sequencing part of a tab; it acts while the tab leads. */
export function createSequencing(options: SequencingOptions): Sequencing {
  const { host, storage, clock, counts, report } = options;
  let sequencer = createSequencer();
  const loader = createPersistedLoader({
    storage,
    sequencer: () => sequencer,
    loaded: (storeId) => histories.startAt(storeId),
    report,
  });
  // One topic string per store, not one per commit: the bus's topic cache knows it.
  const commitTopics = new Map<string, string>();
  const outbox = createSequencerOutbox({
    storage,
    persisted: (storeId) => sequencer.entry(storeId).persist,
    publish(commit) {
      let topic = commitTopics.get(commit.storeId);
      if (topic === undefined) {
        topic = storeTopic('commit', commit.storeId);
        commitTopics.set(commit.storeId, topic);
      }
      host.publish(topic, commit);
    },
    storageFailed(error, commits) {
      report(
        new StoreError(
          'STORAGE_FAILED',
          commits[0]!.storeId,
          `stores: persisting ${commits.length} operation(s) failed (${describeValue((error as Error)?.message ?? error)}); they are applied in the open tabs but a tab that opens alone will not see them.`,
          { cause: error },
        ),
      );
    },
  });

  function publishState(state: StoreState): void {
    outbox.after(() => host.publish(storeTopic('state', state.storeId), state));
  }

  const histories = createEarlierHistories({
    sequencer: () => sequencer,
    clock,
    retryMs: options.retryMs,
    publishState,
    record({ storeId, version, value, schemaVersion }, opId) {
      if (storage === undefined || !sequencer.entry(storeId).persist) return;
      // An operation of its own in the log, so a tab that opens alone hydrates it.
      outbox.record({
        storeId,
        version,
        opId: opId ?? `merge:${version}`,
        value,
        tabId: host.tabId,
        source: host.app,
        label: 'merge',
        ts: clock.now(),
        schemaVersion,
      });
    },
    redoable: (storeId, opId) => runner(storeId, opId) !== undefined,
    redo(storeId, opIds) {
      for (const opId of opIds) {
        const run = runner(storeId, opId);
        let value: unknown;
        // A command no longer runs here once a `set` before it changed the schema version.
        if (run === undefined) {
          lost(storeId, 1);
          continue;
        }
        try {
          value = run(sequencer.entry(storeId).value);
        } catch (error) {
          report(error);
          lost(storeId, 1);
          continue;
        }
        counts.sequenced++;
        outbox.commits([sequencer.redo(storeId, opId, value, clock.now())]);
      }
    },
    lost,
  });

  function lost(storeId: string, count: number): void {
    counts.diverged++;
    report(
      new StoreError(
        'STORE_DIVERGED',
        storeId,
        `store '${storeId}': ${count} write(s) to run again after a failover were not run within ${options.retryMs} ms (their tab closed, too old, a transaction's part, or it failed); they are lost.`,
      ),
    );
  }

  /**
   * How the sequencer commits `opId` again by itself, from the state: a `set`'s value, a
   * command run again here; undefined when only its tabs can (an update, a command whose store
   * this tab has not loaded).
   */
  function runner(storeId: string, opId: string): ((state: unknown) => unknown) | undefined {
    const proposal = sequencer.redoable(storeId, opId);
    return proposal?.command
      ? options.command(storeId, proposal.command, sequencer.entry(storeId).schemaVersion)
      : proposal && (() => proposal.value);
  }

  function publishDecision(decision: Decision): void {
    if (decision.kind === 'wait') return;
    if (decision.kind === 'reject') {
      for (const rejection of decision.rejections) {
        if (rejection.applied) counts.duplicates++;
        else counts.rejected++;
        // After the commits that made it stale: the proposer finds them applied when it reruns.
        outbox.after(() => host.publish(storeTopic('reject', rejection.storeId), rejection));
      }
      return;
    }
    counts.sequenced += decision.commits.length;
    outbox.commits(decision.commits);
  }

  function receiveProposal(proposal: Proposal, source: string): void {
    const pending = loader.whenLoaded(proposal.storeId, proposal.persist);
    if (pending !== undefined) {
      void pending.then(() => receiveProposal(proposal, source));
      return;
    }
    histories.proposed(proposal.opId);
    publishDecision(sequencer.decide(proposal, source, clock.now()));
  }

  function answerSync(request: SyncRequest): void {
    const pending = loader.whenLoaded(request.storeId, request.persist);
    if (pending !== undefined) {
      void pending.then(() => answerSync(request));
      return;
    }
    // As of the commits decided so far, so it is sent once they are published.
    const state = sequencer.state(request.storeId, request.tabId);
    if (request.tabId === host.tabId) outbox.after(() => options.deliverState(state));
    else publishState(state);
  }

  /**
   * Late holdings that cannot be placed after the earlier history: every tab takes the
   * sequencer's state, past both, and the late history's operations after the last one this
   * history has too are run again on it by the tabs that kept them. With no operation in common,
   * where the two parted cannot be told: nothing is run again, and they are lost.
   */
  function diverged(late: Holdings, held: Holdings['stores'][number]): void {
    const store = sequencer.entry(held.storeId);
    let common = held.opIds.length;
    while (common > 0 && !store.applied.has(held.opIds[common - 1]!)) common--;
    sequencer.jump(held.storeId, Math.max(store.version, held.version) + 1);
    // The sequencer's history, past the jump, is the one later histories must continue.
    histories.startAt(held.storeId);
    histories.replay(held.storeId, common > 0 ? held.opIds.slice(common) : []);
    if (common > 0) return;
    counts.diverged++;
    report(
      new StoreError(
        'STORE_DIVERGED',
        held.storeId,
        `store '${held.storeId}': tab ${late.tabId}'s history (version ${held.version}) shares no recent operation with the sequencer's; its writes since are lost.`,
      ),
    );
  }

  return {
    begin(holdings) {
      // A fresh start: what this tab knew from an earlier term may be older than the tabs or storage.
      sequencer = createSequencer();
      histories.end();
      for (const held of holdings) sequencer.adopt(held);
      histories.begin(holdings);
      // Every tab catches up with the highest version before anyone proposes again.
      for (const storeId of sequencer.storeIds()) publishState(sequencer.state(storeId, undefined));
      outbox.after(() => host.publish(SEQUENCER, { tabId: host.tabId }));
    },
    receiveProposal,
    answerSync,
    lateHoldings(late) {
      for (const held of late.stores) {
        const earlier = histories.head(held.storeId);
        if (held.persist) sequencer.entry(held.storeId).persist = true;
        if (held.version > earlier.version) {
          // The same history, further on, when it holds the earlier history's last operation.
          if (earlier.opId === undefined || held.opIds.includes(earlier.opId)) histories.extend(held.storeId, held);
          else diverged(late, held);
          continue;
        }
        const store = sequencer.entry(held.storeId);
        const head = held.opIds.at(-1);
        // Same version as the sequencer, another last operation: a history of its own.
        const known = head === undefined || store.applied.has(head) || histories.gained(held.storeId, head);
        if (held.version === store.version && !known) diverged(late, held);
        else publishState(sequencer.state(held.storeId, late.tabId));
      }
    },
    straggler(commit) {
      // A store no live tab held at the election: its commits went with the old leader (or into
      // storage, which the sequencer reads when a tab asks for the store).
      if (!sequencer.has(commit.storeId)) return;
      const earlier = histories.head(commit.storeId);
      if (commit.version === earlier.version + 1) {
        histories.extend(commit.storeId, { ...commit, opIds: [commit.opId] });
      } else if (commit.version <= earlier.version) {
        counts.duplicates++;
      } else {
        counts.diverged++;
        report(
          new StoreError(
            'STORE_DIVERGED',
            commit.storeId,
            `store '${commit.storeId}': an earlier sequencer's commit ${commit.version} skips versions after ${earlier.version}; it is not applied.`,
          ),
        );
      }
    },
    drop() {
      histories.end();
      outbox.drop();
    },
    close() {
      histories.end();
      outbox.close();
    },
  };
}
