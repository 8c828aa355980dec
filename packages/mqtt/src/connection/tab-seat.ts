/**
 * Who holds the broker connection within one tab. Two microfrontends that each bundle
 * Switchboard have two buses and two bridges in one tab, and the tab leads for both; the seats,
 * kept on globalThis under a `Symbol.for` key so that every bundled copy finds them, let one of
 * them connect and the others take relays, as other tabs do. Loaded with the connection code:
 * only leading bridges sit.
 */
const REGISTRY_KEY = Symbol.for('switchboard.mqtt.seats@1');

interface Seat {
  /** What names the connection: tab id, URL, client… */
  readonly parts: readonly unknown[];
  /** The sitter holding the connection: its retry function. */
  holder?: (() => void) | undefined;
  /** Each sitter's retry function: called when the seat frees. */
  sitters: Array<() => void>;
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

/**
 * Sits at the seat of the connection `parts` name; `retry` is called when it frees. Seats are
 * kept once made: a page has one per connection it ever opened.
 */
export function joinTabSeat(parts: readonly unknown[], retry: () => void): TabSeat {
  const slots = globalThis as { [REGISTRY_KEY]?: Seat[] };
  slots[REGISTRY_KEY] ??= [];
  const seats = slots[REGISTRY_KEY];
  let seat = seats.find((found) => found.parts.every((part, i) => part === parts[i]));
  if (seat === undefined) {
    seat = { parts, sitters: [] };
    seats.push(seat);
  }
  const found = seat;
  found.sitters.push(retry);
  return {
    take() {
      found.holder ??= retry;
      return found.holder === retry;
    },
    release() {
      if (found.holder !== retry) return;
      found.holder = undefined;
      for (const other of found.sitters) if (found.holder === undefined) other();
    },
    shared: () => found.sitters.length > 1,
    leave() {
      found.sitters = found.sitters.filter((sitter) => sitter !== retry);
    },
  };
}
