/**
 * Which tab stores a message that came in from outside the origin (the broker). History stores
 * what its own tab publishes; a broker message is published nowhere in the origin, so the tab
 * holding the connection marks it `'here'` (its history stores it once) and the other tabs mark
 * their relayed copy `'elsewhere'` (their histories neither store it nor take custody of it).
 *
 * The marks live in a registry on `globalThis` under `Symbol.for('switchboard.custody')`, keyed by
 * the message object, so any bundled copy of history reads what any copy of the bridge wrote.
 * Nothing travels with the message: other tabs and storage never see the mark.
 */
export type Custody = 'here' | 'elsewhere';

const KEY = Symbol.for('switchboard.custody');

interface CustodyRegistry {
  readonly version: 1;
  readonly marks: WeakMap<object, Custody>;
}

/** Marks an injected message for history (see {@link Custody}). */
export function markCustody(message: object, custody: Custody): void {
  const holder = globalThis as { [KEY]?: CustodyRegistry };
  holder[KEY] ??= { version: 1, marks: new WeakMap() };
  holder[KEY].marks.set(message, custody);
}
