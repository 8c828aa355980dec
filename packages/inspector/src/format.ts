import type { Message } from '@switchboard/bus';

/** `12:03:04.123`: messages often arrive within the same second. */
export function clockTime(ts: number): string {
  const date = new Date(ts);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A tab id short enough for a table cell; the full id is in the cell's title. */
export function shortTab(tabId: string): string {
  return tabId.length > 7 ? tabId.slice(0, 7) : tabId;
}

/** One-line JSON of a payload, cut to `max` characters. */
export function preview(payload: unknown, max = 140): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? String(payload);
  } catch (error) {
    // Payloads are cloneable, not always JSON-able (a BigInt, a cycle): say so rather than hide it.
    text = `(${error instanceof Error ? error.message : 'not JSON'})`;
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The first topic segment, used to colour rows by domain (`orders`, `inventory`, `$sys`…). */
export function domainOf(message: Pick<Message, 'topic'>): string {
  const first = message.topic.split('.', 1)[0] ?? '';
  return first === '$sys' ? 'sys' : first;
}
