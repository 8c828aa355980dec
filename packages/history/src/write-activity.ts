/**
 * When writes to one database last began, as this tab knows it: its own histories' writes, and
 * messages from other tabs (which those tabs store) arriving through the bus.
 */
export interface WriteActivity {
  /** Notes that a write transaction begins now. */
  began(): void;
  /** True while writes are frequent: one began less than {@link WRITERS_QUIET_MS} ago. */
  writing(): boolean;
}

/**
 * How long after the last write the database counts as quiet. Publishes a few ms apart keep it
 * busy; a burst written long ago (the seeding of a test, a page load) does not.
 */
export const WRITERS_QUIET_MS = 50;

const REGISTRY_KEY = Symbol.for('switchboard.history.write-activity');

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
  return {
    began() {
      names.set(dbName, now());
    },
    writing() {
      const last = names.get(dbName);
      return last !== undefined && now() - last < WRITERS_QUIET_MS;
    },
  };
}

function defaultNow(): number {
  return globalThis.performance?.now() ?? Date.now();
}
