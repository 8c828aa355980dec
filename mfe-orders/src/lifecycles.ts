import type { PubSubBus } from '@switchboard/bus';
import { mountOrdersApp } from './orders-app.ts';
import type { ReplayingHistory } from './history-reader.ts';

/** What the shell passes to this app through single-spa's custom props. */
export interface OrdersProps {
  /** The tab's one bus, created by the shell (with cross-tab and history attached). */
  readonly bus: PubSubBus;
  /** The tab's history, to rebuild the order list; without it the list starts empty. */
  readonly history?: ReplayingHistory;
  /** Where to render. */
  readonly domElement: HTMLElement;
}

/** The single-spa lifecycles, as a factory: each mount's teardown lives in its closure. */
export function createLifecycles(): {
  bootstrap: () => Promise<void>;
  mount: (props: OrdersProps) => Promise<void>;
  unmount: (props: OrdersProps) => Promise<void>;
} {
  let teardown: (() => void) | undefined;
  return {
    bootstrap: async () => {},
    mount: async (props) => {
      if (teardown) throw new Error('mfe-orders mount(): already mounted; single-spa must unmount it first.');
      teardown = mountOrdersApp(props.domElement, { bus: props.bus, history: props.history });
    },
    unmount: async () => {
      teardown?.();
      teardown = undefined;
    },
  };
}

const lifecycles = createLifecycles();

/** single-spa lifecycle. */
export const bootstrap: () => Promise<void> = lifecycles.bootstrap;
/** single-spa lifecycle: renders into `props.domElement` and subscribes on `props.bus`. */
export const mount: (props: OrdersProps) => Promise<void> = lifecycles.mount;
/** single-spa lifecycle: removes the view and every subscription, handler and timer of the mount. */
export const unmount: (props: OrdersProps) => Promise<void> = lifecycles.unmount;
