import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';
import { clockTime, shortTab } from '../format.ts';
import { isMalformed, readFields } from '../payload-checks.ts';
import { createSection, type InspectorView } from './section.ts';

/** The topic the apps' handles publish their refusals on (see `forApp` in `@switchboard/bus/apps`). */
const DENIED_TOPIC = '$sys.app.denied';
const DENIAL = { app: 'string', action: 'string', subject: 'string', rule: 'string', tabId: 'string' } as const;
const KEPT = 20;

interface Denial {
  readonly app: string;
  readonly action: string;
  readonly subject: string;
  readonly rule: string;
  readonly tabId: string;
  readonly ts: number;
}

/**
 * Lists the calls the apps' handles refused (`$sys.app.denied`, shared by every tab): which app
 * tried what, and the manifest rule that refused it. Newest first.
 */
export function createDenialsView(): InspectorView {
  const denials: Denial[] = [];
  const section = createSection('Denied by the manifest', 'denials-list');

  function render(): void {
    section.list.replaceChildren(
      ...(denials.length === 0
        ? [el('li', { class: 'muted' }, 'No app has been refused anything.')]
        : denials.map((denial) =>
            el(
              'li',
              { 'data-testid': 'denial-row', 'data-app': denial.app, 'data-subject': denial.subject },
              el('span', { class: 'muted' }, `${clockTime(denial.ts)} `),
              el('b', {}, denial.app),
              ` ${denial.action} `,
              el('span', { class: 'subject' }, denial.subject),
              el('span', { class: 'muted' }, ` (${denial.rule}, tab ${shortTab(denial.tabId)})`),
            ),
          )),
    );
  }

  render();
  return {
    element: section.element,
    malformedCount: section.malformedCount,
    accept(message: Message) {
      if (message.topic !== DENIED_TOPIC) return;
      const read = readFields(message.payload, DENIAL);
      if (isMalformed(read)) return section.reportMalformed(message, read.malformed);
      const { app, action, subject, rule, tabId } = read;
      denials.unshift({ app, action, subject, rule, tabId, ts: message.ts });
      if (denials.length > KEPT) denials.length = KEPT;
      render();
    },
  };
}
