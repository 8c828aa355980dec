import { SwitchboardError, type Clock } from '@switchboard/bus';
import type { SagaResult } from './saga-types.ts';
import { runLocked, sagaLockName, type SagaLockManager } from './saga-lock.ts';
import type { SagaLog, SagaRecord } from './saga-log.ts';

/** What {@link createSagaRuns} needs from its saga. */
export interface SagaRunsContext {
  readonly name: string;
  readonly log: SagaLog | undefined;
  /** Web Locks, or undefined to rely on leases alone. */
  readonly locks: SagaLockManager | undefined;
  /** This saga instance's id in the log. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly clock: Clock;
  /** The saga's timers, cleared by its dispose(). */
  readonly timers: Set<unknown>;
  /** Drives a saga from wherever its record stands to its end; never rejects. */
  drive(record: SagaRecord, signal: AbortSignal | undefined, interrupted: boolean): Promise<SagaResult>;
  disposed(): boolean;
}

/** Starting and taking over saga runs: who may drive a saga, and when. */
export interface SagaRuns {
  /** Runs a new saga, holding its lock where Web Locks exist. */
  start(record: SagaRecord, signal: AbortSignal | undefined): Promise<SagaResult>;
  /** Finishes interrupted sagas of this name found in the log. */
  recover(): Promise<SagaResult[]>;
  /** Stops waiting for locks. */
  dispose(): void;
}

/**
 * Decides which tab drives a durable saga. With Web Locks the driver holds the saga's lock, so
 * two tabs never run it at once and a closed tab's saga is taken over the moment the browser
 * releases its lock; without them, a lease in the log (renewed by the driver) stands in.
 */
export function createSagaRuns(context: SagaRunsContext): SagaRuns {
  const { name, locks, owner, leaseMs, clock, timers, drive, disposed } = context;
  // Sagas this instance waits to take over once their lock is free; aborted by dispose().
  const waitingFor = new Set<string>();
  const disposal = new AbortController();

  async function recover(): Promise<SagaResult[]> {
    const { log } = context;
    if (log === undefined || disposed()) return [];
    const found = await log.unfinished(name);
    const outcomes: SagaResult[] = [];
    for (const candidate of found) {
      if (candidate.owner === owner || waitingFor.has(candidate.id)) continue;
      const outcome = locks === undefined ? await recoverLeased(candidate) : await recoverLocked(locks, candidate.id);
      if (outcome !== undefined) outcomes.push(outcome);
    }
    return outcomes;
  }

  /** Claims the saga in the log (`now` decides whether the last owner's lease has run out) and drives it. */
  async function takeOver(id: string, now: number): Promise<SagaResult | undefined> {
    if (disposed() || context.log === undefined) return undefined;
    const claimed = await context.log.claim(id, owner, now, clock.now() + leaseMs);
    return claimed === undefined ? undefined : drive(claimed, undefined, true);
  }

  /** Without Web Locks: take the saga over once its lease has run out. */
  async function recoverLeased(candidate: SagaRecord): Promise<SagaResult | undefined> {
    const now = clock.now();
    const outcome = await takeOver(candidate.id, now);
    if (outcome === undefined) {
      // Still leased: its tab may be alive. Look again once the lease has run out.
      const timer = clock.setTimeout(
        () => {
          timers.delete(timer);
          void recover();
        },
        Math.max(0, candidate.leaseUntil - now) + 1,
      );
      timers.add(timer);
    }
    return outcome;
  }

  /**
   * With Web Locks: the lock is the truth. Free means the tab that drove the saga is gone (the
   * browser released its lock), whatever the lease says; held means it is alive, and this tab
   * waits for the release in the background, taking over the moment it comes.
   */
  async function recoverLocked(manager: SagaLockManager, id: string): Promise<SagaResult | undefined> {
    const lockName = sagaLockName(name, id);
    const now = await runLocked(manager, lockName, { ifAvailable: true }, () => takeOver(id, Number.POSITIVE_INFINITY));
    if (now.ran) return now.value;
    waitingFor.add(id);
    runLocked(manager, lockName, { ifAvailable: false, signal: disposal.signal }, () =>
      takeOver(id, Number.POSITIVE_INFINITY),
    )
      .catch((error: unknown) => {
        // dispose() aborts the wait; anything else is the log failing, which must be seen.
        if (!disposal.signal.aborted) throw error;
      })
      .finally(() => waitingFor.delete(id));
    return undefined;
  }

  /** Runs a new saga, holding its lock where Web Locks exist. */
  async function start(record: SagaRecord, signal: AbortSignal | undefined): Promise<SagaResult> {
    if (locks === undefined) return drive(record, signal, false);
    const failed = (error: unknown): SagaResult => ({
      success: false,
      error,
      sagaId: record.id,
      results: [],
      compensationErrors: [],
    });
    try {
      const locked = await runLocked(locks, sagaLockName(name, record.id), { ifAvailable: true }, () =>
        drive(record, signal, false),
      );
      if (locked.ran) return locked.value;
      return failed(
        new SwitchboardError(
          'INVALID_OPTION',
          `execute(): saga '${name}' (${record.id}) is already running in another tab; give each run its own sagaId.`,
        ),
      );
    } catch (error) {
      return failed(error);
    }
  }

  return {
    start,
    recover,
    dispose: () => disposal.abort(),
  };
}
