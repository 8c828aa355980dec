import type { Bus } from '@switchboard/bus';
import type { DemoTopics } from '@switchboard/demo-contract';
import { APP_DENIED_TOPIC, type AppDenial } from '@switchboard/bus/apps';
import { el } from '../dom.ts';
import { clockTime, shortTab } from './format.ts';

/** The inspector's list of calls the apps' handles refused, in every tab. */
export interface DenialsView {
  readonly element: HTMLElement;
  dispose(): void;
}

const KEPT = 20;

/**
 * Lists the denials the handles publish (`$sys.app.denied`, shared by every tab): which app
 * tried what, and the manifest rule that refused it. Newest first.
 */
export function createDenialsView(bus: Bus<DemoTopics>): DenialsView {
  const denials: Array<AppDenial & { ts: number }> = [];
  const list = el('ul', { class: 'denials-list', 'data-testid': 'denials-list' });
  const element = el('section', { class: 'inspector-section' }, el('h3', {}, 'Denied by the manifest'), list);

  function render(): void {
    list.replaceChildren(
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

  const off = bus.subscribe<AppDenial>(APP_DENIED_TOPIC, (message) => {
    denials.unshift({ ...message.payload, ts: message.ts });
    if (denials.length > KEPT) denials.length = KEPT;
    render();
  });
  render();
  return { element, dispose: off };
}
