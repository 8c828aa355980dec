import type { AnyBus, Message } from '@switchboard/bus';

/**
 * Records what a bus delivers from the moment it is created, so an inspector mounted later
 * (loaded on first open) shows what happened before. Small, and nothing of the panel.
 */
export interface Recorder {
  /** The messages recorded, oldest first: the last `limit` domain and the last `limit` `$sys.` ones. */
  messages(): Message[];
  /** Calls `listener` with each message recorded from now on; returns the way to stop. */
  subscribe(listener: (message: Message) => void): () => void;
  /** Stops recording and forgets what was recorded. */
  dispose(): void;
}

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /**
   * Messages kept of each kind: domain topics and `$sys.` topics have a bound each, so a burst
   * of one never pushes the other out (a circuit's state stays known through a flood of orders).
   * @default 500
   */
  readonly limit?: number;
}

interface Entry {
  readonly seq: number;
  readonly message: Message;
}

/**
 * Starts recording `bus` (its own tab's messages and, with cross-tab, every tab's). Give the
 * shell's full bus: a per-app handle may not read `$sys.` topics.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createRecorder } from '@switchboard/inspector/launcher';
 * const recorder = createRecorder(createPubSub({ app: 'shell' }), { limit: 200 });
 */
export function createRecorder(bus: AnyBus, options: RecorderOptions = {}): Recorder {
  const limit = Math.max(1, options.limit ?? 500);
  const domain: Entry[] = [];
  const system: Entry[] = [];
  const listeners = new Set<(message: Message) => void>();
  let seq = 0;

  function record(ring: Entry[], message: Message): void {
    ring.push({ seq: seq++, message });
    if (ring.length > limit) ring.splice(0, ring.length - limit);
    for (const listener of listeners) listener(message);
  }

  const offDomain = bus.subscribe('#', (message: Message) => record(domain, message));
  const offSystem = bus.subscribe('$sys.#', (message: Message) => record(system, message));

  return {
    messages() {
      // Both rings are in arrival order: merge them by sequence number.
      const merged: Message[] = [];
      let d = 0;
      let s = 0;
      while (d < domain.length || s < system.length) {
        const next =
          s >= system.length || (d < domain.length && domain[d]!.seq < system[s]!.seq) ? domain[d++]! : system[s++]!;
        merged.push(next.message);
      }
      return merged;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      offDomain();
      offSystem();
      listeners.clear();
      domain.length = 0;
      system.length = 0;
    },
  };
}
