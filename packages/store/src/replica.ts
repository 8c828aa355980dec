import type { StoreDefinition } from './define-store.ts';
import { StoreError } from './errors.ts';
import { createAppliedOps } from './applied-ops.ts';
import { createKeptWrites } from './kept-writes.ts';
import { createChangeListeners } from './change-listeners.ts';
import { createOptimisticView } from './optimistic-view.ts';
import { migrateState } from './state-schema.ts';
import { foldWrites, type TransactionGroup, type Write } from './write.ts';
import type { Commit, Proposal } from './protocol.ts';
import type { Replica, ReplicaHost } from './replica-types.ts';
import { randomId } from './protocol.ts';

/**
 * Creates the replica of one store in this tab. For `scope: 'tab'` writes apply at once; for
 * `'origin'` they are proposed to the sequencer and applied when committed, in version order.
 */
export function createReplica(
  host: ReplicaHost,
  storeId: string,
  definition: StoreDefinition<unknown, never>,
): Replica {
  const local = definition.scope === 'tab';
  let confirmed: unknown = definition.initial;
  let version = 0;
  let loaded = local;
  let queue: Write[] = [];
  let inflight: { proposal: Proposal; writes: Write[]; group?: TransactionGroup } | undefined;
  const optimistic = createOptimisticView(definition, storeId);
  let scheduled = false;
  let inRun = false;
  let disposed = false;
  // The sequencer refused a proposal at a version older than this tab's: this tab offered what
  // it holds and proposes again once the sequencer's state is here.
  let ahead = false;
  // While a failover's merge is replayed, listeners are held until the store reaches this version.
  let mergedAt = 0;
  const listeners = createChangeListeners(confirmed, host.report);
  const ops = createAppliedOps();
  const kept = createKeptWrites();
  // Unique across tabs and reloads without a random draw per proposal.
  const opPrefix = `${host.tabId}:${randomId()}:`;
  let opCount = 0;
  const buffered = new Map<number, Commit>();
  const idleWaiters: Array<() => void> = [];
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  if (loaded) resolveReady();

  function pendingCount(): number {
    return queue.length + (inflight?.writes.length ?? 0);
  }

  function view(): unknown {
    return optimistic.value(confirmed, () => (inflight === undefined ? queue : [...inflight.writes, ...queue]));
  }

  function notify(): void {
    if (!disposed) listeners.notify(view);
  }

  function changed(): void {
    optimistic.drop();
    // A merge's replays are committed again: its listeners see the store move forward only.
    if (mergedAt > 0 && version >= mergedAt) {
      mergedAt = 0;
      listeners.release(view);
    } else notify();
  }

  function settleIdle(): void {
    if (queue.length > 0 || inflight !== undefined) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    host.later(() => {
      scheduled = false;
      pump();
    });
  }

  function pump(): void {
    if (disposed || inflight !== undefined || !loaded || ahead || queue.length === 0) {
      settleIdle();
      return;
    }
    const head = queue[0]!;
    if (head.group !== undefined) {
      head.group.arrived(replica);
      return;
    }
    if (local) {
      const { value, kept } = optimistic.settleAll(confirmed, queue.splice(0));
      if (kept.length > 0) {
        confirmed = value;
        version++;
        for (const write of kept) {
          if (write.opId !== undefined) ops.applied(write.opId, version);
          write.committed?.(version);
          write.resolve(version);
        }
      }
      changed();
      settleIdle();
      return;
    }
    // One batch: the writes of one app in a row, up to a write with an opId of its own.
    let count = 0;
    while (
      count < queue.length &&
      queue[count]!.writer === head.writer &&
      queue[count]!.group === undefined &&
      (count === 0 || (queue[count]!.opId === undefined && head.opId === undefined))
    ) {
      count++;
    }
    const whole = count === queue.length;
    const { value, kept } = whole
      ? optimistic.settleAll(confirmed, queue.splice(0))
      : foldWrites(definition, storeId, confirmed, queue.splice(0, count), true);
    if (kept.length === 0) {
      changed();
      pump();
      return;
    }
    const proposal: Proposal = {
      storeId,
      opId: head.opId ?? `${opPrefix}${++opCount}`,
      baseVersion: version,
      value,
      tabId: host.tabId,
      schemaVersion: definition.version,
      persist: definition.persist,
      label: kept.length === 1 ? kept[0]!.label : `${kept.length} writes`,
    };
    // After a `set`, the batch's value is the same whatever state it follows.
    if (kept.some((write) => write.absolute)) proposal.absolute = true;
    else proposal.command = kept[0]!.command;
    inflight = { proposal, writes: kept };
    // The view stays what it was unless a write was refused (then it is folded again).
    if (!whole || kept.length !== count) optimistic.drop();
    else optimistic.keepIf(value);
    try {
      head.writer.propose(proposal);
    } catch (error) {
      // The host refused to send it (a manifest without this store in `stores.write`).
      inflight = undefined;
      for (const write of kept) write.reject(error);
      changed();
      schedule();
    }
  }

  /**
   * Runs again, before this tab's pending writes, the writes it saw committed under `opIds` (a
   * merge undid them), to propose them with the same opIds.
   */
  function replay(opIds: readonly string[]): void {
    // Until their replays commit, they are not applied: a next sequencer must not think so.
    ops.forget(opIds);
    const again: Write[] = [];
    for (const opId of opIds) {
      if (inflight?.proposal.opId === opId || queue.some((write) => write.opId === opId)) continue;
      const write = kept.replay(opId, host.report);
      if (write !== undefined) again.push(write);
    }
    // After a transaction's part at the head.
    queue.splice(queue[0]?.group === undefined ? 0 : 1, 0, ...again);
  }

  /** The proposal in flight is applied; `fresh` when this tab's proposal is the one committed. */
  function acknowledge(committedVersion: number, fresh: boolean): void {
    const done = inflight!;
    inflight = undefined;
    // A transaction's part cannot run again without the other stores' parts.
    if (done.group === undefined) kept.keep(done.proposal.opId, done.writes);
    for (const write of done.writes) {
      if (fresh) {
        try {
          write.committed?.(committedVersion);
        } catch (error) {
          host.report(error);
        }
      }
      write.resolve(committedVersion);
    }
  }

  function apply(commit: Commit): void {
    // This tab's own proposal: keep its value object, which listeners already saw (the commit
    // carries a copy made by the channel).
    const own = inflight?.proposal.opId === commit.opId && commit.tabId === host.tabId;
    confirmed = own ? inflight!.proposal.value : commit.value;
    version = commit.version;
    // The same operation may have been proposed by several tabs (a command): only the tab whose
    // proposal was committed runs what follows the commit (its events).
    ops.applied(commit.opId, commit.version);
    if (inflight?.proposal.opId === commit.opId) acknowledge(commit.version, commit.tabId === host.tabId);
  }

  const replica: Replica = {
    storeId,
    definition,
    view,
    get version() {
      return version;
    },
    get confirmed() {
      return confirmed;
    },
    ready,
    get loaded() {
      return loaded;
    },
    write(write) {
      if (disposed) {
        write.reject(
          new StoreError(
            'BUS_DISPOSED',
            storeId,
            `write('${storeId}'): the store was dropped; get it again from the registry.`,
          ),
        );
        return;
      }
      queue.push(write);
      optimistic.extend(write, pendingCount());
      if (local && write.group === undefined) {
        pump();
      } else if (!inRun && write.group === undefined && inflight === undefined && queue.length === 1) {
        // The first write of a synchronous run is proposed at once (one hop less of latency);
        // the writes after it in the same run wait for the microtask and go as one batch.
        inRun = true;
        host.later(() => {
          inRun = false;
        });
        pump();
        schedule();
      } else {
        schedule();
      }
      // After the proposal: this tab's listeners are not on the way to the other tabs.
      notify();
    },
    onCommit(commit) {
      if (local || commit.version <= version) {
        // Already applied (a resend's commit): the proposer may still wait for it.
        if (inflight?.proposal.opId === commit.opId) acknowledge(commit.version, commit.tabId === host.tabId);
        return;
      }
      if (!loaded || commit.version > version + 1) {
        buffered.set(commit.version, commit);
        if (loaded) host.requestSync(replica);
        return;
      }
      apply(commit);
      for (let next = buffered.get(version + 1); next !== undefined; next = buffered.get(version + 1)) {
        buffered.delete(next.version);
        apply(next);
      }
      for (const stale of buffered.keys()) if (stale <= version) buffered.delete(stale);
      changed();
      schedule();
    },
    onReject(rejection) {
      if (inflight?.proposal.opId !== rejection.opId) return;
      if (rejection.applied) {
        acknowledge(rejection.version, false);
        if (rejection.version > version) host.requestSync(replica);
      } else {
        // Stale: run the writes again on the newer state once it is here (the commits that made
        // the proposal stale were sent before this answer, so they usually are).
        queue = [...inflight.writes, ...queue];
        inflight = undefined;
        if (rejection.version > version) host.requestSync(replica);
        else if (rejection.version < version) {
          // A new sequencer that has not heard of this tab's latest commits: proposing again
          // would be refused again.
          ahead = true;
          host.offer(replica);
        }
      }
      changed();
      schedule();
    },
    onState(state) {
      if (state.version >= version) ahead = false;
      if (state.merge !== undefined) {
        if (mergedAt === 0) listeners.hold();
        mergedAt = state.merge.until;
      } else if (mergedAt > 0) mergedAt = 1;
      if (state.version >= version || !loaded) {
        if (state.version === 0 && !loaded) {
          confirmed = definition.initial;
        } else if (state.version > version || !loaded) {
          confirmed = migrateState(definition, state.value, state.schemaVersion);
          version = state.version;
        }
        for (const stale of buffered.keys()) if (stale <= version) buffered.delete(stale);
      }
      // The state includes these operations: this tab knows them as if it had applied their
      // commits, and tells a new sequencer so in its holdings (a retry of one applies once).
      for (const opId of state.opIds) {
        if (inflight?.proposal.opId === opId) acknowledge(version, false);
        if (!ops.has(opId)) ops.applied(opId, version);
      }
      if (!loaded) {
        loaded = true;
        resolveReady();
      }
      if (state.merge !== undefined) replay(state.merge.replay);
      changed();
      // Commits that arrived while syncing and follow this state.
      for (let next = buffered.get(version + 1); next !== undefined; next = buffered.get(version + 1)) {
        buffered.delete(next.version);
        apply(next);
        changed();
      }
      schedule();
    },
    resend() {
      // A transaction's part too: every part is sent again (each store of it has one in flight),
      // and the sequencer waits for them all again.
      if (inflight !== undefined) inflight.writes[0]!.writer.propose(inflight.proposal);
      else if (ahead) host.offer(replica);
    },
    groupWrite(group) {
      const head = queue[0];
      return head?.group === group ? head : undefined;
    },
    abandonGroup(group, error) {
      if (queue[0]?.group !== group) return;
      queue.shift()!.reject(error);
      changed();
      schedule();
    },
    proposeGroupPart(group, value) {
      const write = queue.shift()!;
      if (local) {
        confirmed = value;
        version++;
        write.resolve(version);
        changed();
        schedule();
        return;
      }
      const proposal: Proposal = {
        storeId,
        opId: `${group.id}:${storeId}`,
        baseVersion: version,
        value,
        tabId: host.tabId,
        schemaVersion: definition.version,
        persist: definition.persist,
        label: write.label,
        tx: { id: group.id, stores: group.stores },
      };
      inflight = { proposal, writes: [write], group };
      optimistic.drop();
      write.writer.propose(proposal);
    },
    holdings() {
      if (local || !loaded) return undefined;
      return {
        storeId,
        version,
        value: confirmed,
        schemaVersion: definition.version,
        persist: definition.persist,
        opIds: ops.latest(64),
      };
    },
    subscribe: (listener) => listeners.subscribe(listener),
    get listenerCount() {
      return listeners.size;
    },
    get pendingWrites() {
      return queue.length + (inflight?.writes.length ?? 0);
    },
    waitForOp: (opId, signal) => ops.waitFor(opId, signal, version),
    idle() {
      if (queue.length === 0 && inflight === undefined) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    dispose(reason) {
      if (disposed) return;
      disposed = true;
      for (const write of [...(inflight?.writes ?? []), ...queue]) write.reject(reason);
      queue = [];
      inflight = undefined;
      listeners.close();
      resolveReady();
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
    hold: () => listeners.hold(),
    release: () => listeners.release(view),
  };
  return replica;
}
