/** How many applied opIds a replica remembers: a retry of one of them applies once. */
const RECENT_OPS = 256;

/** The operations a replica applied lately (bounded), and the callers waiting for one. */
export interface AppliedOps {
  has(opId: string): boolean;
  /** Records `opId` as applied at `version` and wakes whoever waits for it. */
  applied(opId: string, version: number): void;
  /** Forgets operations the sequencer undid, so this tab's holdings do not claim them. */
  forget(opIds: readonly string[]): void;
  /** The last `count` opIds, oldest first (a tab's holdings). */
  latest(count: number): string[];
  /** Resolves with the version that applied `opId` (now, when it is known already). */
  waitFor(opId: string, signal: AbortSignal, version: number): Promise<number>;
}

/** Creates the applied-operations memory of one replica. */
export function createAppliedOps(): AppliedOps {
  const recent: string[] = [];
  const waiters = new Map<string, (version: number) => void>();
  return {
    has: (opId) => recent.includes(opId),
    applied(opId, version) {
      recent.push(opId);
      if (recent.length > RECENT_OPS) recent.shift();
      waiters.get(opId)?.(version);
    },
    forget(opIds) {
      const undone = new Set(opIds);
      for (let i = recent.length - 1; i >= 0; i--) if (undone.has(recent[i]!)) recent.splice(i, 1);
    },
    latest: (count) => recent.slice(-count),
    waitFor(opId, signal, version) {
      if (recent.includes(opId)) return Promise.resolve(version);
      return new Promise((resolve, reject) => {
        waiters.set(opId, (committed) => {
          waiters.delete(opId);
          resolve(committed);
        });
        signal.addEventListener('abort', () => {
          waiters.delete(opId);
          reject(signal.reason);
        });
      });
    },
  };
}
