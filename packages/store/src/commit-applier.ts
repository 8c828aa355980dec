import type { Commit } from './protocol.ts';
import type { Replica } from './replica-types.ts';

/**
 * Applies commits to this tab's replicas as they arrive; a transaction's parts in one step once
 * all of them are here, so every tab sees all of its changes or none.
 */
export function createCommitApplier(
  replicas: ReadonlyMap<string, Replica>,
  counts: { applied: number },
): (commit: Commit) => void {
  const txParts = new Map<string, Commit[]>();

  function applyCommit(commit: Commit): void {
    const replica = replicas.get(commit.storeId);
    if (replica === undefined) return;
    counts.applied++;
    replica.onCommit(commit);
  }

  return (commit) => {
    if (commit.tx === undefined) {
      applyCommit(commit);
      return;
    }
    const parts = txParts.get(commit.tx.id) ?? [];
    parts.push(commit);
    if (parts.length < commit.tx.stores.length) {
      txParts.set(commit.tx.id, parts);
      return;
    }
    txParts.delete(commit.tx.id);
    const involved = parts.map((part) => replicas.get(part.storeId)).filter((r) => r !== undefined);
    for (const replica of involved) replica.hold();
    try {
      for (const part of parts) applyCommit(part);
    } finally {
      for (const replica of involved) replica.release();
    }
  };
}
