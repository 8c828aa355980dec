import { openWriteSignal, type WriteSignal } from './write-signal.ts';

/**
 * When writes to one database last began, as this tab knows it: its own histories' writes,
 * messages from other tabs (which those tabs store) arriving through the bus, and the other tabs'
 * histories announcing their writes (`write-signal.ts`).
 */
export interface WriteActivity {
  /**
   * Notes that a write transaction of this tab begins now; until `ended` is called the write
   * counts as going on, here and (announced) in the other tabs: a write held behind a long
   * transaction is the one that most needs GC to keep its chunks short.
   */
  began(): () => void;
  /** Notes that another tab writes now (its message arrived through the bus). */
  othersWrite(): void;
  /** True while writes are frequent: one began less than {@link WRITERS_QUIET_MS} ago. */
  writing(): boolean;
}

/**
 * How long after the last write the database counts as quiet. Publishes a few ms apart keep it
 * busy; a burst written long ago (the seeding of a test, a page load) does not.
 */
export const WRITERS_QUIET_MS = 50;

const REGISTRY_KEY = Symbol.for('switchboard.history.write-activity');
const SIGNALS_KEY = Symbol.for('switchboard.history.write-signals');

interface Registry {
  readonly version: 1;
  /** Per factory, then database name: when a write last began (`performance.now()`). */
  readonly lastWrite: WeakMap<IDBFactory, Map<string, number>>;
}

function registry(): Registry {
  // On globalThis: histories from two bundled copies of this package share a database too.
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  holder[REGISTRY_KEY] ??= { version: 1, lastWrite: new WeakMap() };
  return holder[REGISTRY_KEY];
}

/**
 * Per database name, the tab's one signal to the other tabs (a Map on globalThis, shared by bundled
 * copies like the registry). Only for the page's own `indexedDB`: another factory (a test's) is
 * not the database other tabs write.
 */
function signalOf(dbName: string, heard: () => void, now: () => number): WriteSignal | undefined {
  const holder = globalThis as { [SIGNALS_KEY]?: Map<string, WriteSignal | undefined> };
  holder[SIGNALS_KEY] ??= new Map();
  const signals = holder[SIGNALS_KEY];
  if (!signals.has(dbName)) signals.set(dbName, openWriteSignal(dbName, heard, now));
  return signals.get(dbName);
}

/**
 * The write activity of database `dbName` of `factory`, shared by every history of this tab that
 * uses it (one per namespace, say). GC reads it to keep its transactions short while others write.
 * Time comes from `performance.now()`, not a history's clock: histories may have different clocks,
 * and a test clock that stands still would make every write look recent.
 */
export function writeActivity(factory: IDBFactory, dbName: string, now: () => number = defaultNow): WriteActivity {
  const { lastWrite } = registry();
  let byName = lastWrite.get(factory);
  if (byName === undefined) {
    byName = new Map();
    lastWrite.set(factory, byName);
  }
  const names = byName;
  const othersWrite = (): void => void names.set(dbName, now());
  const signal =
    factory === (globalThis as { indexedDB?: IDBFactory }).indexedDB ? signalOf(dbName, othersWrite, now) : undefined;
  return {
    began() {
      let pending = true;
      const beat = (): void => {
        if (!pending) return;
        names.set(dbName, now());
        signal?.announce();
        setTimeout(beat, WRITERS_QUIET_MS / 2);
      };
      beat();
      return () => {
        pending = false;
      };
    },
    othersWrite,
    writing() {
      const last = names.get(dbName);
      return last !== undefined && now() - last < WRITERS_QUIET_MS;
    },
  };
}

function defaultNow(): number {
  return globalThis.performance?.now() ?? Date.now();
}
