import { defineManifest } from '@switchboard/bus/apps';
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createFrameHost } from '@switchboard/frame';
import { deadline, signal } from './timing.ts';

/** What is compared: the frame bridge and cross-tab, and the same relay written by hand. */
export type FrameKind = 'bus' | 'relay';

/** The page's API, driven by the bench runner: the host tab embeds the frame, the other tab measures. */
export interface FrameBench {
  /**
   * Host tab: opens its bus, embeds the frame from `frameUrl` (another origin) and resolves once
   * the frame joined (bus) and answered (relay).
   */
  host(run: string, frameUrl: string): Promise<void>;
  /** Other tab: opens its bus and the relay's channel. */
  peer(run: string): Promise<void>;
  /**
   * Other tab: one-way latency samples (round trip to the frame and back / 2, in ms),
   * interleaved across kinds; every answer is checked.
   */
  pingPong(kinds: FrameKind[], samples: number, warmup: number): Promise<Record<string, number[]>>;
  close(): void;
}

declare global {
  interface Window {
    frameBench: FrameBench;
  }
}

interface Ping {
  seq: number;
  sku: string;
  qty: number;
}

const manifest = defineManifest({ 'bench-frame': { publish: ['bench.#'], subscribe: ['bench.#'] } });
let bus: CrossTabPubSub | undefined;
const channels: BroadcastChannel[] = [];

function channel(name: string): BroadcastChannel {
  const opened = new BroadcastChannel(name);
  channels.push(opened);
  return opened;
}

window.frameBench = {
  async host(run, frameUrl) {
    bus = createCrossTabPubSub({ app: 'bench-shell', channel: `bench-frame-${run}` });
    const frameOrigin = new URL(frameUrl).origin;
    const iframe = document.createElement('iframe');
    iframe.src = frameUrl;
    iframe.allow = 'cross-origin-isolated';
    document.body.append(iframe);
    const connection = createFrameHost(bus).connectFrame(iframe, {
      origin: frameOrigin,
      app: 'bench-frame',
      permissions: manifest['bench-frame'],
    });

    // The hand-written relay: what an app would write without the library, with the origin checks
    // any relay between windows needs.
    const pings = channel(`relay-ping-${run}`);
    const pongs = channel(`relay-pong-${run}`);
    pings.onmessage = (event) => iframe.contentWindow?.postMessage(event.data, frameOrigin);
    addEventListener('message', (event) => {
      if (event.origin !== frameOrigin || event.source !== iframe.contentWindow) return;
      if ((event.data as { relay?: unknown })?.relay === true) pongs.postMessage(event.data);
    });

    const joined = signal<void>();
    const timer = setInterval(() => {
      if (connection.state === 'connected') joined.resolve();
    }, 10);
    await deadline(joined.promise, 10_000, 'host(): the frame did not join').finally(() => clearInterval(timer));
    // The frame subscribes right after joining: its subscription reaches the host before a ping does
    // once one round trip through the bus has been made.
    await deadline(
      new Promise<void>((resolve) => {
        const off = bus!.subscribe('bench.ready', () => {
          off();
          resolve();
        });
      }),
      10_000,
      'host(): the frame did not say it was ready',
    );
  },

  async peer(run) {
    bus = createCrossTabPubSub({ app: 'bench-peer', channel: `bench-frame-${run}` });
    channel(`relay-ping-${run}`);
    channel(`relay-pong-${run}`);
  },

  async pingPong(kinds, samples, warmup) {
    const [pings, pongs] = channels as [BroadcastChannel, BroadcastChannel];
    const results: Record<string, number[]> = {};
    let waiting: ((reply: Ping) => void) | undefined;
    bus!.subscribe<Ping>('bench.pong', (m) => waiting?.(m.payload));
    pongs.onmessage = (event) => waiting?.((event.data as { ping: Ping }).ping);
    for (const kind of kinds) results[kind] = [];
    for (let i = 0; i < warmup + samples; i++) {
      for (const kind of kinds) {
        const answer = signal<Ping>();
        waiting = answer.resolve;
        const ping: Ping = { seq: i, sku: 'ab-1', qty: 3 };
        const start = performance.now();
        if (kind === 'bus') bus!.publish('bench.ping', ping);
        else pings.postMessage({ relay: true, ping });
        const reply = await deadline(answer.promise, 10_000, `pingPong(${kind}) #${i}`);
        const ms = performance.now() - start;
        if (reply.seq !== i) throw new Error(`pingPong(${kind}): sent #${i}, the answer was #${reply.seq}`);
        if (i >= warmup) results[kind]!.push(ms / 2);
      }
    }
    return results;
  },

  close() {
    bus?.dispose();
    for (const opened of channels.splice(0)) opened.close();
  },
};
