import type { DemoAppProps } from '@switchboard/demo-contract';
import { mountInventoryApp } from './inventory-app.ts';

/** The single-spa lifecycles, as a factory: each mount's teardown lives in its closure. */
export function createLifecycles(): {
  bootstrap: () => Promise<void>;
  mount: (props: DemoAppProps) => Promise<void>;
  unmount: (props: DemoAppProps) => Promise<void>;
} {
  let teardown: (() => void) | undefined;
  return {
    bootstrap: async () => {},
    mount: async (props) => {
      if (teardown) throw new Error('mfe-inventory mount(): already mounted; single-spa must unmount it first.');
      teardown = mountInventoryApp(props.domElement, { bus: props.bus, history: props.history });
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
export const mount: (props: DemoAppProps) => Promise<void> = lifecycles.mount;
/** single-spa lifecycle: removes the view and every subscription, handler and timer of the mount. */
export const unmount: (props: DemoAppProps) => Promise<void> = lifecycles.unmount;
