import type { AnyTopicMap, PubSubBus, TopicMap } from '@switchboard/bus';
import { connectFrameTo, type ConnectFrameOptions, type FrameConnection } from './connect-frame.ts';
import { connectHubTo, type ConnectHubOptions, type HubConnection } from './connect-hub.ts';
import { createFrameHostCore, type FrameHostOptions, type FrameHostStats, type FrameInfo } from './frame-host.ts';
import type { FrameElementLike } from './window-like.ts';

/** The frames of one bus: MFEs in iframes and the hub, with one handshake listener for all. */
export interface FrameHost {
  /**
   * Registers an iframe MFE: when the document in `iframe` says hello from one of `origin`,
   * claiming `app`, it gets a port of its own, served through `forApp(bus, app, { permissions })`.
   * Reloads rejoin; removal, navigation or silence end the frame's subscriptions.
   */
  connectFrame(iframe: FrameElementLike, options: ConnectFrameOptions): FrameConnection;
  /**
   * Embeds the hub (a hidden iframe from the hub origin) so this page's bus reaches the tabs of
   * the site's other origins. A hub that cannot reach them (third-party here, no
   * BroadcastChannel, no answer) is reported through `onError` and relays nothing.
   */
  connectHub(options: ConnectHubOptions): HubConnection;
  /** Every connection, with its state. */
  frames(): FrameInfo[];
  stats(): FrameHostStats;
  /** Closes every connection and stops listening. `bus.dispose()` does it too. */
  dispose(): void;
}

/**
 * Creates the frame host of a bus: the shell calls it once, then connects each iframe MFE and,
 * for a site of several origins, the hub.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createFrameHost } from '@switchboard/frame';
 * const bus = createPubSub({ app: 'shell' });
 * const frames = createFrameHost(bus);
 * const iframe = document.querySelector('iframe')!;
 * frames.connectFrame(iframe, { origin: 'https://orders.example.com', app: 'orders' });
 */
export function createFrameHost<M extends TopicMap = AnyTopicMap>(
  bus: PubSubBus<M>,
  options: FrameHostOptions = {},
): FrameHost {
  const core = createFrameHostCore(bus as unknown as PubSubBus, options);
  return {
    connectFrame: (iframe, frameOptions) => connectFrameTo(core, iframe, frameOptions),
    connectHub: (hubOptions) => connectHubTo(core, hubOptions),
    frames: core.frames,
    stats: core.stats,
    dispose: core.dispose,
  };
}
