import type { Commit } from './protocol.ts';
import type { StoreStorage } from './store-storage.ts';

/** What the sequencer sends: commits (persisted first), or anything else that must follow them. */
type Outgoing = { readonly commits: readonly Commit[]; readonly quiet?: boolean } | { readonly send: () => void };

/** Options of {@link createSequencerOutbox}. */
export interface SequencerOutboxOptions {
  readonly storage: StoreStorage | undefined;
  /** The store's commits are written to storage before they are published. */
  persisted(storeId: string): boolean;
  publish(commit: Commit): void;
  /** Storage refused commits: they are published all the same. */
  storageFailed(error: unknown, commits: readonly Commit[]): void;
}

/**
 * Everything the sequencer decides, sent in the order it was decided. A commit of a persisted
 * store is published once storage has it, and a refusal or a state decided after it waits for
 * it: no tab may see a version before its commit is published, since a commit that never is
 * (the tab closed first) never happened, and its proposer sends it again to the next sequencer.
 */
export interface SequencerOutbox {
  /** Publishes commits (persisting them first when their store persists). */
  commits(commits: readonly Commit[]): void;
  /** Persists a state the sequencer took as an operation of its own, without publishing it. */
  record(commit: Commit): void;
  /** Runs `send` (a refusal, a state) once everything queued before it is published. */
  after(send: () => void): void;
  /**
   * Forgets what is not sent yet: this tab stopped sequencing, so none of it was acknowledged
   * and the proposers send it again to the next sequencer.
   */
  drop(): void;
  close(): void;
}

/** Creates the outbox of a tab's sequencer. */
export function createSequencerOutbox(options: SequencerOutboxOptions): SequencerOutbox {
  const { storage } = options;
  let queue: Outgoing[] = [];
  let state: 'idle' | 'persisting' | 'closed' = 'idle';
  // Bumped by drop(): a batch persisted meanwhile belongs to a term that ended.
  let term = 0;

  function toPersist(items: readonly Outgoing[]): Commit[] {
    if (storage === undefined) return [];
    return items.flatMap((item) => ('commits' in item ? item.commits.filter((c) => options.persisted(c.storeId)) : []));
  }

  function send(item: Outgoing): void {
    if ('send' in item) item.send();
    else if (!item.quiet) for (const commit of item.commits) options.publish(commit);
  }

  /** True when `item` holds a commit to persist (without building the list: every commit asks). */
  function persists(item: Outgoing): boolean {
    if (storage === undefined || !('commits' in item)) return false;
    for (const commit of item.commits) if (options.persisted(commit.storeId)) return true;
    return false;
  }

  function push(item: Outgoing): void {
    if (state === 'closed') return;
    if (state === 'idle' && queue.length === 0 && !persists(item)) {
      send(item);
      return;
    }
    queue.push(item);
    void drain();
  }

  async function drain(): Promise<void> {
    if (state !== 'idle') return;
    state = 'persisting';
    while (queue.length > 0 && state === 'persisting') {
      const batch = queue;
      queue = [];
      const of = term;
      const commits = toPersist(batch);
      if (commits.length > 0) {
        try {
          await storage!.append(commits);
        } catch (error) {
          options.storageFailed(error, commits);
        }
      }
      // Closed, or no longer sequencing: nothing of the batch was acknowledged.
      if (state !== 'persisting' || of !== term) continue;
      for (const item of batch) send(item);
    }
    if (state === 'persisting') state = 'idle';
  }

  return {
    commits: (commits) => push({ commits }),
    record: (commit) => push({ commits: [commit], quiet: true }),
    after: (fn) => push({ send: fn }),
    drop() {
      queue = [];
      term++;
    },
    close() {
      queue = [];
      state = 'closed';
    },
  };
}
