// What a cross-tab e2e page records, for page.evaluate() in e2e/tests/cross-tab*.spec.ts.
import type { Message } from '@switchboard/bus';

/** The part of a bus the inbox needs; structural, so it fits any bundled copy of the library. */
export interface Subscribable {
  subscribe(pattern: string, handler: (message: Message) => unknown): () => void;
}

/** Per publishing tab, what arrived on `load.#`: counted in the page, not shipped to the test. */
interface LoadReport {
  count: number;
  inOrder: boolean;
  duplicates: number;
  last: number;
}

export interface Inbox {
  /** Messages on `e2e.#` and `$sys.#`, in delivery order. */
  readonly messages: Message[];
  /** `load.#` messages by origin tab id. */
  readonly load: Record<string, LoadReport>;
  loadTotal(): number;
}

export function createInbox(bus: Subscribable): Inbox {
  const messages: Message[] = [];
  const load: Record<string, LoadReport> = {};
  const ids = new Set<string>();
  let total = 0;
  bus.subscribe('e2e.#', (message) => void messages.push(message));
  bus.subscribe('$sys.#', (message) => void messages.push(message));
  bus.subscribe('load.#', (message) => {
    const n = (message.payload as { n: number }).n;
    load[message.origin.tabId] ??= { count: 0, inOrder: true, duplicates: 0, last: -1 };
    const report = load[message.origin.tabId]!;
    if (ids.has(message.id)) report.duplicates++;
    ids.add(message.id);
    if (n !== report.last + 1) report.inOrder = false;
    report.last = n;
    report.count++;
    total++;
  });
  return { messages, load, loadTotal: () => total };
}
