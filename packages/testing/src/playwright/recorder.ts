/**
 * The in-page half of the Playwright kit. `installRecorder` is sent to the browser as source text
 * (`page.addInitScript`) and runs before the app's own scripts, so it must be self-contained: it
 * may use nothing from this module or any import, only its argument and browser globals.
 */

/** What the tap keeps of one delivered message: plain data that crosses into the test. */
export interface RecordedMessage<T = unknown> {
  /** Position in this document's record, from 0; resets when the page reloads. */
  readonly seq: number;
  readonly id: string;
  readonly topic: string;
  /** A structured clone taken at delivery, so later mutation by the app does not show. */
  readonly payload: T;
  readonly ts: number;
  /** The publishing app. */
  readonly source: string;
  readonly meta: Readonly<Record<string, unknown>>;
  /** The tab that published it. */
  readonly origin: { readonly tabId: string };
  /** True when it came from elsewhere (another tab) rather than a publish in this bus. */
  readonly remote: boolean;
  /** The app of the bus that delivered it (a tab with several MFEs has several buses). */
  readonly busApp: string;
}

/** What `installRecorder` receives from the test. */
export interface RecorderInit {
  /** Messages whose topic matches are recorded; `$sys.` events are always recorded. */
  readonly pattern: string;
}

/** One read of the record, from `Recorder.read`. */
export interface RecordBatch {
  /** The document read; a different one than asked for means the page navigated. */
  readonly documentId: string;
  /** Pass this as `from` next time. */
  readonly next: number;
  /** Recorded messages from `from` on whose topic matches the pattern asked for. */
  readonly matching: RecordedMessage[];
  /** Topics of the other messages recorded from `from` on, in order. */
  readonly otherTopics: string[];
}

/** The part of a bus the recorder uses; any bundled copy of `@switchboard/bus` has it. */
interface ObservedBus {
  readonly app: string;
  readonly tabId: string;
  readonly disposed: boolean;
  flush(): Promise<void>;
}

/** The page-global record, on `globalThis[Symbol.for('switchboard.testing.recorder')]`. */
export interface Recorder {
  readonly version: 1;
  /** The tap's topic pattern. */
  readonly pattern: string;
  /** Random id of this document's record: a reload starts a new one. */
  readonly documentId: string;
  /** Everything recorded in this document, in delivery order. */
  readonly messages: RecordedMessage[];
  /** Deliveries seen by the tap, recorded or not; moves whenever any bus delivers anything. */
  readonly observed: number;
  /** Tab ids of the buses created in this document, in creation order. */
  tabIds(): string[];
  /** Whether a topic matches a pattern (`+` one segment, `#` zero or more trailing segments). */
  matches(pattern: string, topic: string): boolean;
  /**
   * Messages recorded from index `from` on; when there are none yet, waits up to `waitMs` for
   * the next one first. With a `documentId` other than this document's (the page navigated since
   * the caller's last read), reads from 0 instead.
   */
  read(from: number, pattern: string, waitMs: number, documentId?: string): Promise<RecordBatch>;
  /**
   * Flushes every live bus until a round delivers nothing new; resolves with `observed`.
   * Includes one macrotask per round, so messages other tabs already posted get delivered.
   */
  settle(): Promise<number>;
  /** Removes the hook (buses already created keep reporting to the record). */
  uninstall(): void;
}

/** Where the page-global {@link Recorder} lives. */
export const RECORDER_KEY: unique symbol = Symbol.for('switchboard.testing.recorder');

/**
 * Installs the devtools hook of `@switchboard/bus` (version 1) on `globalThis` and records what
 * every bus created afterwards delivers. Sent to the page by `tapTab`; exported for tests and for
 * kits other than Playwright's.
 *
 * @example
 * import { installRecorder } from '@switchboard/testing/playwright';
 * await page.addInitScript(installRecorder, { pattern: '#' });
 */
export function installRecorder(init: RecorderInit): void {
  const registry = globalThis as unknown as Record<symbol, unknown>;
  const recorderKey = Symbol.for('switchboard.testing.recorder');
  const hookKey = Symbol.for('switchboard.devtools');
  if (registry[recorderKey] !== undefined) return;

  type Tap = (message: TappedMessage, remote: boolean) => void;
  interface TappedMessage {
    id: string;
    topic: string;
    payload: unknown;
    ts: number;
    source: string;
    meta: Record<string, unknown>;
    origin: { tabId: string };
  }
  interface Hook {
    version: number;
    connect(bus: ObservedBus): Tap | undefined;
  }

  const messages: RecordedMessage[] = [];
  const buses: ObservedBus[] = [];
  const waiters = new Set<() => void>();
  let observed = 0;

  function matches(pattern: string, topic: string): boolean {
    const want = pattern.split('.');
    const have = topic.split('.');
    for (let i = 0; i < want.length; i++) {
      if (want[i] === '#') return i === want.length - 1;
      if (i >= have.length) return false;
      if (want[i] !== '+' && want[i] !== have[i]) return false;
    }
    return want.length === have.length;
  }

  function snapshot(value: unknown): unknown {
    try {
      return structuredClone(value);
    } catch (error) {
      // A bus with checkPayloads: false may carry anything; keep the record usable.
      return `[not cloneable: ${String(error)}]`;
    }
  }

  function record(bus: ObservedBus, message: TappedMessage, remote: boolean): void {
    observed++;
    if (!matches(init.pattern, message.topic) && !matches('$sys.#', message.topic)) return;
    messages.push({
      seq: messages.length,
      id: message.id,
      topic: message.topic,
      payload: snapshot(message.payload),
      ts: message.ts,
      source: message.source,
      meta: snapshot(message.meta) as Record<string, unknown>,
      origin: { tabId: message.origin.tabId },
      remote,
      busApp: bus.app,
    });
    for (const wake of [...waiters]) wake();
  }

  const previous = registry[hookKey] as Hook | undefined;
  const hook: Hook = {
    version: 1,
    connect(bus) {
      buses.push(bus);
      // Another tool installed first (a devtools extension): keep it working too.
      const theirs = previous !== undefined && previous.version === 1 ? previous.connect(bus) : undefined;
      return (message, remote) => {
        record(bus, message, remote);
        if (theirs !== undefined) theirs(message, remote);
      };
    },
  };
  Object.defineProperty(registry, hookKey, { value: hook, configurable: true, writable: true });

  function nextTask(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  const documentId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const recorder: Recorder = {
    version: 1,
    pattern: init.pattern,
    documentId,
    messages,
    get observed() {
      return observed;
    },
    tabIds() {
      const ids: string[] = [];
      for (const bus of buses) if (!ids.includes(bus.tabId)) ids.push(bus.tabId);
      return ids;
    },
    matches,
    read(requestedFrom, pattern, waitMs, expectedDocument) {
      const from = expectedDocument === undefined || expectedDocument === documentId ? requestedFrom : 0;
      const collect = (): RecordBatch => {
        const matching: RecordedMessage[] = [];
        const otherTopics: string[] = [];
        for (let i = from; i < messages.length; i++) {
          const message = messages[i]!;
          if (matches(pattern, message.topic)) matching.push(message);
          else otherTopics.push(message.topic);
        }
        return { documentId, next: messages.length, matching, otherTopics };
      };
      if (messages.length > from || waitMs <= 0) return Promise.resolve(collect());
      return new Promise((resolve) => {
        const done = (): void => {
          waiters.delete(done);
          clearTimeout(timer);
          resolve(collect());
        };
        const timer = setTimeout(done, waitMs);
        waiters.add(done);
      });
    },
    async settle() {
      for (let round = 0; round < 1000; round++) {
        const before = observed;
        await Promise.all(buses.filter((bus) => !bus.disposed).map((bus) => bus.flush()));
        await nextTask();
        if (observed === before) return observed;
      }
      throw new Error(
        `settle(): the buses of this tab were still delivering after 1000 rounds (${observed} deliveries); a handler keeps publishing.`,
      );
    },
    uninstall() {
      if (registry[hookKey] === hook) {
        if (previous === undefined) delete registry[hookKey];
        else registry[hookKey] = previous;
      }
      delete registry[recorderKey];
    },
  };
  Object.defineProperty(registry, recorderKey, { value: recorder, configurable: true, writable: true });
}
