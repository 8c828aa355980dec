import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';

/** What every view of the overview has: its element, a way to take a message, and its counts. */
export interface InspectorView {
  readonly element: HTMLElement;
  /** Takes one message; ignores topics the view does not follow. Never throws. */
  accept(message: Message): void;
  /** Payloads this view could not read, shown as malformed rather than thrown. */
  malformedCount(): number;
  /** Stops what the view listens to besides messages. */
  dispose?(): void;
}

/** A titled section with a list and a malformed-payload counter, shared by the overview views. */
export interface Section {
  readonly element: HTMLElement;
  readonly list: HTMLUListElement;
  /** Counts a payload the view could not read and shows why (the latest reason, in the title). */
  reportMalformed(message: Message, reason: string): void;
  malformedCount(): number;
}

/** Builds a {@link Section}: `<section><h3>title <span malformed/></h3><ul/></section>`. */
export function createSection(title: string, listClass: string): Section {
  let count = 0;
  const badge = el('span', { class: 'pill malformed', 'data-testid': 'malformed-count', hidden: true });
  const list = el('ul', { class: listClass, 'data-testid': listClass });
  const element = el('section', { class: 'inspector-section' }, el('h3', {}, title, ' ', badge), list);
  return {
    element,
    list,
    reportMalformed(message, reason) {
      count++;
      badge.hidden = false;
      badge.textContent = `${count} malformed`;
      badge.title = `latest: ${message.topic} from ${message.source} (tab ${message.origin.tabId}): ${reason}`;
    },
    malformedCount: () => count,
  };
}
