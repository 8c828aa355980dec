import { el } from './dom.ts';
import type { AppSlots } from './register-apps.ts';
import { ROUTES, routeOf } from './routes.ts';

/** The parts of the page the shell fills. */
export interface Layout {
  readonly slots: AppSlots;
  /** Right-hand panel for the inspector. */
  readonly inspector: HTMLElement;
  /** Shows this tab's id and whether it leads. */
  readonly tabBadge: HTMLElement;
  readonly inspectorToggle: HTMLButtonElement;
  /** The setting that loads the inventory MFE in an iframe from its own origin. */
  readonly frameSetting: HTMLInputElement;
  /** Removes the hashchange listener. */
  dispose(): void;
}

/** Renders the frame: top bar with nav, one slot per application, the inspector panel. */
export function renderLayout(root: HTMLElement): Layout {
  const links = ROUTES.map((route) => el('a', { href: route.hash, 'data-route': route.hash }, route.label));
  const tabBadge = el('span', { class: 'tab-badge', 'data-testid': 'tab-badge' });
  const inspectorToggle = el(
    'button',
    { class: 'inspector-toggle', type: 'button', 'aria-expanded': 'false', 'data-testid': 'inspector-toggle' },
    'Inspector',
  );
  const frameSetting = el('input', { type: 'checkbox', 'data-testid': 'frame-setting' });
  const slots: AppSlots = {
    dashboard: el('section', { class: 'app-slot', id: 'app-dashboard' }),
    '@switchboard/mfe-orders': el('section', { class: 'app-slot', id: 'app-orders' }),
    '@switchboard/mfe-inventory': el('section', { class: 'app-slot', id: 'app-inventory' }),
  };
  const inspector = el('aside', {
    class: 'inspector',
    id: 'inspector',
    hidden: true,
    'aria-label': 'Switchboard inspector',
  });

  root.replaceChildren(
    el(
      'header',
      { class: 'topbar' },
      el('a', { class: 'brand', href: '#/' }, 'Switchboard', el('small', {}, 'demo')),
      el('nav', { class: 'nav' }, ...links),
      el(
        'div',
        { class: 'topbar-end' },
        el(
          'label',
          { class: 'frame-setting', title: 'Loads the inventory MFE in an iframe from its own origin' },
          frameSetting,
          'Inventory in an iframe',
        ),
        tabBadge,
        inspectorToggle,
      ),
    ),
    el('div', { class: 'frame' }, el('main', { class: 'apps' }, ...Object.values(slots)), inspector),
  );

  const markActive = (): void => {
    const current = routeOf(location).hash;
    for (const link of links) link.classList.toggle('active', link.dataset.route === current);
  };
  markActive();
  window.addEventListener('hashchange', markActive);
  return {
    slots,
    inspector,
    tabBadge,
    inspectorToggle,
    frameSetting,
    dispose: () => window.removeEventListener('hashchange', markActive),
  };
}
