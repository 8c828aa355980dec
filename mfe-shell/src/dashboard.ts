import {
  DashboardSources,
  type DashboardSourceMap,
  type DemoAppProps,
  type InventorySummary,
  type OrdersSummary,
} from '@switchboard/demo-contract';
import { createAggregator, type MissingSource } from '@switchboard/patterns';
import { el } from './dom.ts';

/** What the dashboard gathered in one aggregate call. */
interface Snapshot {
  readonly orders: OrdersSummary | undefined;
  readonly inventory: InventorySummary | undefined;
  readonly missing: readonly MissingSource[];
  readonly ms: number;
}

const SOURCES = [DashboardSources.orders, DashboardSources.inventory];
const TIMEOUT_MS = 1500;

/**
 * The shell's own application: a dashboard that scatter-gathers one summary from each MFE,
 * in whichever tab it runs, with the aggregator. A source that no tab answers shows as missing
 * instead of failing the whole dashboard (`partial: true`).
 */
export function createDashboard(): {
  bootstrap(): Promise<void>;
  mount(props: DemoAppProps): Promise<void>;
  unmount(): Promise<void>;
} {
  let teardown: (() => void) | undefined;

  return {
    bootstrap: async () => {},
    async mount({ bus, domElement }) {
      const mount = new AbortController();
      const aggregator = createAggregator<DashboardSourceMap>(bus);
      const cards = el('div', { class: 'cards' });
      const footer = el('p', { class: 'muted', 'data-testid': 'dashboard-status' });
      const refreshButton = el('button', { type: 'button' }, 'Refresh');
      const container = el(
        'div',
        { class: 'dashboard', 'data-testid': 'dashboard' },
        el('header', {}, el('h2', {}, 'Dashboard'), refreshButton),
        el(
          'p',
          { class: 'hint' },
          'Gathered with the aggregator from the orders and inventory apps, in this tab or any other. ',
          'Open ',
          el('a', { href: '#/orders', target: '_blank' }, 'orders'),
          ' and ',
          el('a', { href: '#/inventory', target: '_blank' }, 'inventory'),
          ' in two more tabs to see the story cross tabs.',
        ),
        cards,
        footer,
      );
      domElement.append(container);

      let running = false;
      let again = false;
      async function refresh(): Promise<void> {
        if (running) {
          again = true;
          return;
        }
        running = true;
        const started = performance.now();
        try {
          const snapshot: Snapshot = await aggregator.aggregate({
            sources: SOURCES,
            timeout: TIMEOUT_MS,
            partial: true,
            signal: mount.signal,
            transform: (results, { missing }) => ({
              orders: results.get(DashboardSources.orders),
              inventory: results.get(DashboardSources.inventory),
              missing,
              ms: Math.round(performance.now() - started),
            }),
          });
          render(snapshot);
        } catch (error) {
          if (!mount.signal.aborted)
            footer.textContent = `aggregate failed: ${error instanceof Error ? error.message : String(error)}`;
        } finally {
          running = false;
          if (again && !mount.signal.aborted) {
            again = false;
            void refresh();
          }
        }
      }

      function render(snapshot: Snapshot): void {
        const { orders, inventory } = snapshot;
        cards.replaceChildren(
          card(
            'Orders',
            'orders',
            orders && [
              ['placed', orders.placed],
              ['confirmed', orders.confirmed],
              ['failed', orders.failed],
              ['revenue', (orders.revenue / 100).toLocaleString('en-US', { style: 'currency', currency: 'EUR' })],
            ],
          ),
          card(
            'Inventory',
            'inventory',
            inventory && [
              ['units in stock', inventory.units],
              ['products', inventory.products],
              ['low stock', inventory.lowStock.length > 0 ? inventory.lowStock.join(', ') : 'none'],
              ['service', inventory.failing ? 'failing' : 'up'],
            ],
          ),
        );
        const missing = snapshot.missing.map((source) => `${source.source} (${source.code})`);
        footer.textContent =
          `${SOURCES.length - snapshot.missing.length}/${SOURCES.length} sources answered in ${snapshot.ms} ms` +
          (missing.length > 0 ? `; missing: ${missing.join(', ')}: no tab runs that app yet.` : '.');
      }

      refreshButton.addEventListener('click', () => void refresh());
      // New facts anywhere, or a tab coming or going, may change the picture.
      for (const pattern of ['orders.#', 'inventory.#', '$sys.tab.+']) {
        bus.subscribe(pattern, () => void refresh(), { signal: mount.signal });
      }
      void refresh();

      teardown = () => {
        mount.abort();
        aggregator.dispose();
        container.remove();
      };
    },
    async unmount() {
      teardown?.();
      teardown = undefined;
    },
  };
}

function card(
  title: string,
  source: string,
  rows: ReadonlyArray<readonly [string, string | number]> | undefined,
): HTMLElement {
  return el(
    'section',
    { class: `card ${rows ? '' : 'missing'}`, 'data-testid': `card-${source}` },
    el('h3', {}, title),
    rows
      ? el('dl', {}, ...rows.flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]))
      : el('p', { class: 'muted' }, `No answer from ${source}.`),
  );
}
