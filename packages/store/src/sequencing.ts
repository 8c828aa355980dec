import type { Clock } from '@switchboard/bus';
import { describeValue, StoreError } from './errors.ts';
import type { HostLink } from './host-link.ts';
import { createPersistedLoader } from './persisted-loader.ts';
import {
  type Commit,
  type Holdings,
  type Proposal,
  SEQUENCER,
  type StoreState,
  type SyncRequest,
  storeTopic,
} from './protocol.ts';
import { createSequencer, type Decision } from './sequencer.ts';
import { createSequencerOutbox } from './sequencer-outbox.ts';
import type { StoreStorage } from './store-storage.ts';

/** Options of {@link createSequencing}. */
export interface SequencingOptions {
  readonly host: HostLink;
  readonly storage: StoreStorage | undefined;
  readonly clock: Clock;
  /** The tab's counters (its stats) that sequencing moves. */
  readonly counts: { sequenced: number; rejected: number; duplicates: number; diverged: number };
  /** Delivers a state to this tab's own replica (no round trip through the channel). */
  deliverState(state: StoreState): void;
  /** Whether this tab's replica of `storeId` persists (undefined when the tab has none). */
  persists(storeId: string): boolean | undefined;
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
   * that found itself ahead of it (a refusal at an older version). Whatever that tab holds beyond
   * the sequencer is adopted while the sequencer has not written the store yet; after that it
   * conflicts with acknowledged writes, and the store jumps past it so that tab takes the
   * sequencer's state. The tab gets a state either way, so it proposes again.
   */
  lateHoldings(late: Holdings): void;
  /**
   * A commit of an earlier sequencer that reached this one after its election: sequenced again
   * as a proposal of its tab, so every tab applies it in this sequencer's order (most tabs did
   * not). Already applied, it is refused as a duplicate; written over meanwhile, as stale, and
   * its proposer, if alive, reruns it.
   */
  straggler(commit: Commit): void;
  /** Forgets what is decided but unpublished: this tab stopped sequencing. */
  drop(): void;
  close(): void;
}

/** Creates the sequencing part of a tab; it acts while the tab leads. */
export function createSequencing(options: SequencingOptions): Sequencing {
  const { host, storage, clock, counts, report } = options;
  let sequencer = createSequencer();
  // Stores sequenced in this term: a late holding of one can no longer be adopted as is.
  const written = new Set<string>();
  const loader = createPersistedLoader({ storage, sequencer: () => sequencer, report });
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
    for (const commit of decision.commits) written.add(commit.storeId);
    outbox.commits(decision.commits);
  }

  function receiveProposal(proposal: Proposal, source: string): void {
    const pending = loader.whenLoaded(proposal.storeId, proposal.persist);
    if (pending !== undefined) {
      void pending.then(() => receiveProposal(proposal, source));
      return;
    }
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

  function diverged(late: Holdings, held: Holdings['stores'][number], version: number): void {
    counts.diverged++;
    report(
      new StoreError(
        'STORE_DIVERGED',
        held.storeId,
        `store '${held.storeId}': tab ${late.tabId} answered the election late with version ${held.version}, which the new sequencer had already written over; it takes the sequencer's state and its writes after version ${version} are lost. Raise electionMs if tabs answer slowly.`,
      ),
    );
  }

  return {
    begin(holdings) {
      // A fresh start: what this tab knew from an earlier term may be older than the tabs or storage.
      sequencer = createSequencer();
      written.clear();
      for (const held of holdings) sequencer.adopt(held);
      // Every tab catches up with the highest version before anyone proposes again.
      for (const storeId of sequencer.storeIds()) publishState(sequencer.state(storeId, undefined));
      outbox.after(() => host.publish(SEQUENCER, { tabId: host.tabId }));
    },
    receiveProposal,
    answerSync,
    lateHoldings(late) {
      for (const held of late.stores) {
        const known = sequencer.has(held.storeId) ? sequencer.entry(held.storeId) : undefined;
        const version = known?.version ?? 0;
        const head = held.opIds.at(-1);
        const ahead = held.version > version;
        // Same version, another last operation: the tab's version came from the earlier sequencer.
        const forked =
          written.has(held.storeId) && held.version === version && head !== undefined && !known?.applied.has(head);
        let everyone = true;
        if (ahead && !written.has(held.storeId)) {
          sequencer.adopt(held);
        } else if (ahead || forked) {
          sequencer.jump(held.storeId, Math.max(version, held.version) + 1);
          diverged(late, held, version);
        } else {
          everyone = false;
        }
        publishState(sequencer.state(held.storeId, everyone ? undefined : late.tabId));
      }
    },
    straggler(commit) {
      receiveProposal(
        {
          storeId: commit.storeId,
          opId: commit.opId,
          baseVersion: commit.version - 1,
          value: commit.value,
          tabId: commit.tabId,
          schemaVersion: commit.schemaVersion,
          persist: options.persists(commit.storeId) ?? sequencer.entry(commit.storeId).persist,
          label: commit.label,
          ...(commit.tx === undefined ? {} : { tx: commit.tx }),
        },
        commit.source,
      );
    },
    drop: () => outbox.drop(),
    close: () => outbox.close(),
  };
}
