import type { Message } from '@switchboard/bus';

let next = 0;

/** A message as a bus delivers it, with defaults for what a test does not care about. */
export function message(
  topic: string,
  payload: unknown,
  extra: { tabId?: string; source?: string; ts?: number } = {},
): Message {
  next++;
  return {
    id: `m-${next}`,
    topic,
    payload,
    ts: extra.ts ?? 1_700_000_000_000 + next,
    source: extra.source ?? 'app',
    meta: {},
    origin: { tabId: extra.tabId ?? 'tab-a' },
    depth: 0,
  };
}

/** The rows a view shows, by test id. */
export function rows(root: Element, testId: string): Element[] {
  return [...root.querySelectorAll(`[data-testid="${testId}"]`)];
}

/** The text of the malformed counter of a view, or undefined while nothing was malformed. */
export function malformedBadge(root: Element): string | undefined {
  const badge = root.querySelector<HTMLElement>('[data-testid="malformed-count"]');
  return badge && !badge.hidden ? (badge.textContent ?? '') : undefined;
}
