/**
 * Who holds the broker connection within one tab. Two microfrontends that each bundle
 * Switchboard have two buses and two bridges in one tab, and the tab leads for both; the seat,
 * kept on globalThis under a `Symbol.for` key so that every bundled copy finds it, lets one of
 * them connect and the others take relays, as other tabs do. Loaded with the connection code:
 * only leading bridges sit.
 */
const REGISTRY_KEY = Symbol.for('switchboard.mqtt.seats@1');

interface Seat {
  /** The sitter holding the connection: its retry function. */
  holder?: (() => void) | undefined;
  /** Each sitter's retry function: called when the seat frees. */
  readonly sitters: Array<() => void>;
}

interface Registry {
  readonly seats: Map<string, Seat>;
  /** Numbers for injected objects (a connect function, an IndexedDB), so they can be part of a key. */
  readonly ids: WeakMap<object, number>;
  next: number;
}

/** One bridge's place at its tab's seat. */
export interface TabSeat {
  /** Takes the seat if it is free; true when this bridge holds it. */
  take(): boolean;
  /** Frees the seat if held and tells the others. */
  release(): void;
  /** Another bridge of this tab sits: it shares the connection and takes relays. */
  shared(): boolean;
  /** Leaves; a held seat stays held until released. */
  leave(): void;
}

/** Sits at the seat of the connection `parts` name (tab id, URL, client…); `retry` is called when it frees. */
export function joinTabSeat(parts: ReadonlyArray<unknown>, retry: () => void): TabSeat {
  const slots = globalThis as { [REGISTRY_KEY]?: Registry };
  slots[REGISTRY_KEY] ??= { seats: new Map(), ids: new WeakMap(), next: 0 };
  const registry = slots[REGISTRY_KEY];
  const { seats, ids } = registry;
  const key = parts
    .map((part) => {
      if (part === null || (typeof part !== 'object' && typeof part !== 'function')) return part;
      if (!ids.has(part)) ids.set(part, registry.next++);
      return `#${ids.get(part)}`;
    })
    .join('|');
  const seat = seats.get(key) ?? { sitters: [] };
  seats.set(key, seat);
  const { sitters } = seat;
  sitters.push(retry);
  const forget = (): void => {
    if (sitters.length === 0 && seat.holder === undefined) seats.delete(key);
  };
  return {
    take() {
      seat.holder ??= retry;
      return seat.holder === retry;
    },
    release() {
      if (seat.holder !== retry) return;
      seat.holder = undefined;
      for (const other of [...sitters]) if (seat.holder === undefined) other();
      forget();
    },
    shared: () => sitters.length > 1,
    leave() {
      if (sitters.includes(retry)) sitters.splice(sitters.indexOf(retry), 1);
      forget();
    },
  };
}
