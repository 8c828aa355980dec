import type { AppBus } from '@switchboard/bus/apps';
import type { DemoTopics } from '@switchboard/demo-contract';

/**
 * What the inventory page in a frame puts on `window.switchboardFrame`: its handle, for the
 * browser console and the e2e tests.
 */
interface FrameDebugHandle {
  readonly bus: AppBus<DemoTopics>;
}

declare global {
  interface Window {
    switchboardFrame?: FrameDebugHandle;
  }
}
