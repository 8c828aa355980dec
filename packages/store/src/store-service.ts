import type { AnyBus, Leadership, Message } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { StoreError } from './errors.ts';
import {
  type Commit,
  ELECT,
  HOLDINGS,
  type Holdings,
  type Proposal,
  type Rejection,
  SEQUENCER,
  type StoreState,
  type SyncRequest,
  storeTopic,
} from './protocol.ts';
import { createReplica } from './replica.ts';
import type { Replica } from './replica-types.ts';
import { createSequencing } from './sequencing.ts';
import { validateState } from './state-schema.ts';
import { createCommitApplier } from './commit-applier.ts';
import { connectHost, type HostLink } from './host-link.ts';
import { type AttachStoresOptions, STORE_SERVICE, type StoreService, type StoresStats } from './store-service-types.ts';

/**
 * Gives a tab's bus its stores: every registry of the tab (one per MFE) shares them, and the
 * tab sequences the stores of the origin while it is the leader. The shell calls it once, where
 * it creates the bus; a registry made on a full bus without it attaches it itself.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { attachCrossTab } from '@switchboard/cross-tab';
 * import { attachStores } from '@switchboard/store';
 * const bus = createPubSub({ app: 'shell' });
 * attachCrossTab(bus);
 * attachStores(bus);
 */
export function attachStores(bus: AnyBus, options: AttachStoresOptions = {}): StoreService {
  const host = connectHost(bus, 'store');
  const existing = host.lookup<StoreService>(STORE_SERVICE);
  if (existing !== undefined) {
    host.detach();
    return existing;
  }
  return createStoreService(host, options);
}

function createStoreService(host: HostLink, options: AttachStoresOptions): StoreService {
  const { storage, clock = systemClock, electionMs = 1000, retryMs = 2000 } = options;
  const tabId = host.tabId;
  const replicas = new Map<string, Replica>();
  const users = new Map<string, number>();
  const counts = { sequenced: 0, rejected: 0, duplicates: 0, applied: 0, elections: 0, fenced: 0, diverged: 0 };
  let role: StoresStats['role'] = 'follower';
  // The tab whose election this tab answered (or that it is): only its commits, states and
  // refusals apply here. An earlier sequencer's that arrive later would put this tab ahead of it.
  let sequencerTab: string | undefined;
  // The one it followed before it started sequencing itself.
  let previousTab: string | undefined;
  let closed = false;
  // Proposals and syncs that reached this tab while it was electing, decided once it sequences.
  let waiting: Message[] = [];
  const holdings: Holdings[] = [];
  let electionTimer: unknown;
  let announcedAt = Number.NEGATIVE_INFINITY;
  let retryTimer: unknown;
  const onCommit = createCommitApplier(replicas, counts);

  const report = (error: unknown): void => host.reportError(error);
  const sequencing = createSequencing({
    host,
    storage,
    clock,
    retryMs,
    counts,
    deliverState: (state) => replicas.get(state.storeId)?.onState(state),
    command(storeId, { name, payload, source }, schemaVersion) {
      const definition = replicas.get(storeId)?.definition;
      const handler = (definition?.commands as Record<string, unknown> | undefined)?.[name];
      if (typeof handler !== 'function' || definition!.version !== schemaVersion) return undefined;
      // Its events went out when it first committed.
      return (state) => validateState(definition!, storeId, handler(state, payload, { source, emit() {} }), name);
    },
    report,
  });

  function leadership(): Leadership | undefined {
    return host.lookup<Leadership>('leadership');
  }

  function isLeader(): boolean {
    return leadership()?.isLeader() ?? true;
  }

  function liveTabs(): number {
    const presence = host.lookup<{ tabs(): unknown[] }>('presence');
    return presence === undefined ? 1 : presence.tabs().length;
  }

  // ---- election ----

  function startElection(): void {
    if (closed || role !== 'follower') return;
    role = 'electing';
    previousTab = sequencerTab;
    sequencerTab = tabId;
    counts.elections++;
    sequencing.drop();
    holdings.length = 0;
    host.publish(ELECT, { tabId });
    electionTimer = clock.setTimeout(finishElection, electionMs);
    if (liveTabs() <= 1) finishElection();
  }

  function finishElection(): void {
    if (role !== 'electing' || closed) return;
    clock.clearTimeout(electionTimer);
    const own: Holdings = { tabId, stores: [...replicas.values()].flatMap((r) => r.holdings() ?? []) };
    role = 'sequencing';
    sequencing.begin([own, ...holdings].flatMap((h) => h.stores));
    const queued = waiting;
    waiting = [];
    for (const message of queued) onMessage(message);
    // This tab's own replicas that asked before it sequenced (a lone tab that just opened).
    for (const replica of replicas.values()) {
      if (!replica.loaded && replica.definition.scope === 'origin') requestSync(replica);
      replica.resend();
    }
  }

  function stepDown(): void {
    if (role === 'follower') return;
    clock.clearTimeout(electionTimer);
    role = 'follower';
    waiting = [];
    // Decided but unpublished: never acknowledged, so sent again to the next sequencer.
    sequencing.drop();
  }

  function onLeaderChange(): void {
    if (isLeader()) startElection();
    else stepDown();
  }

  // ---- messages ----

  function onMessage(message: Message): void {
    if (closed) return;
    const { topic } = message;
    const payload = message.payload as Record<string, unknown>;
    if (topic === ELECT) {
      if ((payload as { tabId?: unknown }).tabId === tabId) return;
      stepDown();
      sequencerTab = payload.tabId as string;
      const answer: Holdings = { tabId, stores: [...replicas.values()].flatMap((r) => r.holdings() ?? []) };
      host.publish(HOLDINGS, answer);
      return;
    }
    if (topic === HOLDINGS) {
      if (role === 'sequencing') sequencing.lateHoldings(payload as unknown as Holdings);
      if (role !== 'electing') return;
      holdings.push(payload as unknown as Holdings);
      if (holdings.length >= liveTabs() - 1) finishElection();
      return;
    }
    if (topic === SEQUENCER) {
      // Announced again to one tab whose proposal was made for an earlier sequencer.
      if (payload.tabId === tabId || (payload.to !== undefined && payload.to !== tabId)) return;
      stepDown();
      sequencerTab = payload.tabId as string;
      for (const replica of replicas.values()) {
        if (!replica.loaded) requestSync(replica);
        replica.resend();
      }
      return;
    }
    // `$sys.store.<op>.<storeId>`: the op is read without splitting the topic (a commit is the
    // common case, and this runs for each).
    const op = topic.slice(11, topic.indexOf('.', 11));
    if (sequencerTab !== undefined && message.origin.tabId !== sequencerTab && op !== 'propose' && op !== 'sync') {
      // From an earlier sequencer: if this tab leads now, the previous one's commits extend the
      // history it took over (an older one's are that one's successor's business).
      const previous = previousTab === undefined || message.origin.tabId === previousTab;
      if (op === 'commit' && role === 'electing' && previous) waiting.push(message);
      else if (op === 'commit' && role === 'sequencing' && previous) sequencing.straggler(payload as unknown as Commit);
      else counts.fenced++;
      return;
    }
    switch (op) {
      case 'commit':
        onCommit(payload as unknown as Commit);
        return;
      case 'propose': {
        const proposal = payload as unknown as Proposal;
        if (role === 'electing') waiting.push(message);
        else if (role !== 'sequencing') return;
        else if (proposal.sequencer !== undefined && proposal.sequencer !== tabId) {
          // Made on an earlier sequencer's history, reaching this one late: its tab sends it
          // again to this one if it is still unanswered. Announced to that tab again (at most
          // once per retryMs) in case it missed this sequencer's election.
          counts.fenced++;
          if (clock.now() - announcedAt >= retryMs) {
            announcedAt = clock.now();
            host.publish(SEQUENCER, { tabId, to: proposal.tabId });
          }
        } else sequencing.receiveProposal(proposal, message.source);
        return;
      }
      case 'sync':
        if (role === 'electing') waiting.push(message);
        else if (role === 'sequencing') sequencing.answerSync(payload as unknown as SyncRequest);
        return;
      case 'reject':
        if (payload.to === tabId) replicas.get(payload.storeId as string)?.onReject(payload as unknown as Rejection);
        return;
      case 'state': {
        const state = payload as unknown as StoreState;
        if (state.to !== undefined && state.to !== tabId) return;
        // A tab opened after the last election follows the sequencer that answered its sync.
        if (sequencerTab === undefined && state.to === tabId) sequencerTab = message.origin.tabId;
        replicas.get(state.storeId)?.onState(state);
        return;
      }
    }
  }

  function requestSync(replica: Replica): void {
    const request: SyncRequest = {
      storeId: replica.storeId,
      tabId,
      persist: replica.definition.persist,
      schemaVersion: replica.definition.version,
    };
    if (role === 'sequencing') sequencing.answerSync(request);
    else host.publish(storeTopic('sync', replica.storeId), request);
    armRetry();
  }

  function armRetry(): void {
    if (retryTimer !== undefined || closed) return;
    retryTimer = clock.setTimeout(() => {
      retryTimer = undefined;
      let waitingAny = false;
      for (const replica of replicas.values()) {
        if (replica.definition.scope === 'tab') continue;
        if (!replica.loaded) {
          waitingAny = true;
          if (role !== 'electing') requestSync(replica);
        } else if (replica.pendingWrites > 0) {
          waitingAny = true;
          replica.resend();
        }
      }
      if (waitingAny) armRetry();
    }, retryMs);
  }

  host.subscribe('$sys.store.#', onMessage);
  host.subscribe('$sys.leader.changed', onLeaderChange);

  const service: StoreService = {
    tabId,
    clock,
    acquire(definition, storeId) {
      let replica = replicas.get(storeId);
      if (replica !== undefined) {
        if (replica.definition.name !== definition.name) {
          throw new StoreError(
            'INVALID_OPTION',
            storeId,
            `registry.get(${definition.name}): storeId '${storeId}' already belongs to store '${replica.definition.name}'; give this instance another storeId.`,
          );
        }
        users.set(storeId, (users.get(storeId) ?? 0) + 1);
        return replica;
      }
      replica = createReplica(
        {
          tabId,
          requestSync,
          offer(replica) {
            const held = replica.holdings();
            if (held === undefined) return;
            if (role === 'sequencing') sequencing.lateHoldings({ tabId, stores: [held] });
            else host.publish(HOLDINGS, { tabId, stores: [held] } satisfies Holdings);
            armRetry();
          },
          report,
          now: () => clock.now(),
          later: (task) => queueMicrotask(task),
        },
        storeId,
        definition,
      );
      replicas.set(storeId, replica);
      users.set(storeId, 1);
      if (definition.scope === 'origin') requestSync(replica);
      return replica;
    },
    release(storeId, reason) {
      const count = (users.get(storeId) ?? 1) - 1;
      if (count > 0) {
        users.set(storeId, count);
        return;
      }
      users.delete(storeId);
      replicas.get(storeId)?.dispose(reason);
      replicas.delete(storeId);
    },
    writer(app, publish) {
      return {
        app,
        propose(proposal) {
          // The sequencer's own tab decides at once: no round trip through the channel.
          if (role === 'sequencing') {
            sequencing.receiveProposal(proposal, app);
            return;
          }
          armRetry();
          proposal.sequencer = sequencerTab;
          publish(storeTopic('propose', proposal.storeId), proposal);
        },
      };
    },
    replicas: () => [...replicas.values()],
    stats: () => ({ stores: replicas.size, ...counts, role }),
    async idle() {
      for (let round = 0; round < 100; round++) {
        const busy = [...replicas.values()].filter((replica) => replica.pendingWrites > 0);
        if (busy.length === 0) return;
        await Promise.all(busy.map((replica) => replica.idle()));
      }
    },
    report,
    detach() {
      if (closed) return;
      closed = true;
      clock.clearTimeout(electionTimer);
      clock.clearTimeout(retryTimer);
      sequencing.close();
      const reason = new StoreError(
        'BUS_DISPOSED',
        undefined,
        "stores: the tab's stores were detached; pending writes were not applied.",
      );
      for (const replica of replicas.values()) replica.dispose(reason);
      replicas.clear();
      host.detach();
    },
  };
  host.provide(STORE_SERVICE, service);
  host.onDispose(() => service.detach());
  // Transports may attach after the stores: look at leadership once they had the chance.
  queueMicrotask(() => {
    if (!closed && role === 'follower' && isLeader()) startElection();
  });
  return service;
}
