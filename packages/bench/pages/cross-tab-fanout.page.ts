import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { deadline, signal } from './timing.ts';

/** The bus across tabs, or the same batching written by hand on a raw BroadcastChannel. */
export type FanoutKind = 'bus' | 'batched';

/** A small message, the same for both kinds. */
interface Small {
  seq: number;
  sku: string;
  qty: number;
}

interface Transport {
  send(message: Small): void;
  onReceive(handler: (message: Small) => void): () => void;
  close(): void;
}

/** What a receiving tab reports once its sink has every message. */
interface SinkReport {
  kind: FanoutKind;
  tab: number;
  received: number;
  /** The first message out of order, duplicated or missing, if any. */
  disorder?: string;
}

/** The page's API, driven by the bench runner through `page.evaluate`. */
export interface FanoutBench {
  /** Opens both transports of configuration `config`; the sender and each receiver call it. */
  open(config: string, tab: number): Promise<void>;
  /** Tabs the bus of this configuration sees besides this one. */
  peers(): number;
  /**
   * Receiver: listens to pings like an app would; the one that `answers` sends each back. Every
   * receiver listens, so each pays for every ping with both kinds.
   */
  listen(answers: boolean): void;
  /** Receiver: expects `count` messages of `kind` in order, then reports on the control channel. */
  sink(kind: FanoutKind, count: number): void;
  /** Receiver: what its current sink has received, to check that nothing came twice or late. */
  received(): number;
  /** Sender: sends `count` messages at once; resolves, in ms, when `receivers` tabs have them all. */
  flood(kind: FanoutKind, count: number, receivers: number): Promise<number>;
  /** Sender: one-way latency samples (round trip / 2, in ms), interleaved across kinds. */
  pingPong(kinds: FanoutKind[], samples: number, warmup: number): Promise<Record<string, number[]>>;
  close(): void;
}

declare global {
  interface Window {
    fanoutBench: FanoutBench;
  }
}

/**
 * The baseline: a raw BroadcastChannel batched exactly as the bus batches, written by hand. The
 * first message of a synchronous run is posted at once; the rest of the run in arrays of at most
 * 512, each posted as soon as it is full, the last at the end of the run (a microtask).
 */
function batchedTransport(name: string): Transport {
  const channel = new BroadcastChannel(name);
  let run: Small[] | undefined;
  const endRun = (): void => {
    if (run!.length > 0) channel.postMessage(run);
    run = undefined;
  };
  return {
    send(message) {
      if (run === undefined) {
        channel.postMessage([message]);
        run = [];
        queueMicrotask(endRun);
        return;
      }
      run.push(message);
      if (run.length === 512) {
        channel.postMessage(run);
        run = [];
      }
    },
    onReceive(handler) {
      const listener = (event: MessageEvent<Small[]>): void => {
        for (const message of event.data) handler(message);
      };
      channel.addEventListener('message', listener);
      return () => channel.removeEventListener('message', listener);
    },
    close: () => channel.close(),
  };
}

function busTransport(bus: CrossTabPubSub, topic: string): Transport {
  return {
    send: (message) => void bus.publish(topic, message),
    onReceive: (handler) => bus.subscribe<Small>(topic, (m) => handler(m.payload)),
    close: () => {},
  };
}

let bus: CrossTabPubSub | undefined;
let transports: Record<FanoutKind, { ping: Transport; pong: Transport; flood: Transport }>;
let control: BroadcastChannel;
let tabIndex = 0;
let stopSink = (): void => {};
let sinkReceived = 0;

window.fanoutBench = {
  async open(config, tab) {
    tabIndex = tab;
    bus = createCrossTabPubSub({ app: `fanout-${tab}`, channel: `fanout-bus-${config}` });
    const raw = (name: string): Transport => batchedTransport(`fanout-${name}-${config}`);
    transports = {
      bus: {
        ping: busTransport(bus, 'bench.ping'),
        pong: busTransport(bus, 'bench.pong'),
        flood: busTransport(bus, 'bench.flood'),
      },
      batched: { ping: raw('ping'), pong: raw('pong'), flood: raw('flood') },
    };
    control = new BroadcastChannel(`fanout-control-${config}`);
  },

  peers: () => (bus === undefined ? 0 : bus.crossTab.tabs().length - 1),

  listen(answers) {
    for (const kind of Object.keys(transports) as FanoutKind[]) {
      const { ping, pong } = transports[kind];
      ping.onReceive((message) => void (answers && pong.send(message)));
    }
  },

  sink(kind, count) {
    stopSink();
    sinkReceived = 0;
    let disorder: string | undefined;
    stopSink = transports[kind].flood.onReceive((message) => {
      // One check covers loss, duplicates and reordering: each message must be the next one.
      if (message.seq !== sinkReceived && disorder === undefined)
        disorder = `expected #${sinkReceived}, got #${message.seq}`;
      sinkReceived++;
      if (sinkReceived === count) {
        const report: SinkReport = { kind, tab: tabIndex, received: sinkReceived, ...(disorder ? { disorder } : {}) };
        control.postMessage(report);
      }
    });
  },

  received: () => sinkReceived,

  async flood(kind, count, receivers) {
    const done = signal<void>();
    const reports: SinkReport[] = [];
    const onReport = (event: MessageEvent<SinkReport>): void => {
      if (event.data.kind !== kind) return;
      reports.push(event.data);
      if (reports.length === receivers) done.resolve();
    };
    control.addEventListener('message', onReport);
    const { flood } = transports[kind];
    const start = performance.now();
    for (let seq = 0; seq < count; seq++) flood.send({ seq, sku: 'ab-1', qty: 3 });
    await deadline(done.promise, 120_000, `flood(${kind}): ${reports.length} of ${receivers} tabs confirmed ${count}`);
    const ms = performance.now() - start;
    control.removeEventListener('message', onReport);
    const broken = reports.find((report) => report.disorder !== undefined);
    if (broken) throw new Error(`flood(${kind}): order broken in tab ${broken.tab}: ${broken.disorder}`);
    return ms;
  },

  async pingPong(kinds, samples, warmup) {
    const results: Record<string, number[]> = {};
    const waiting: Partial<Record<FanoutKind, (message: Small) => void>> = {};
    const stops: Array<() => void> = [];
    for (const kind of kinds) {
      results[kind] = [];
      stops.push(transports[kind].pong.onReceive((message) => waiting[kind]?.(message)));
    }
    for (let i = 0; i < warmup + samples; i++) {
      for (const kind of kinds) {
        const answer = signal<Small>();
        waiting[kind] = answer.resolve;
        const start = performance.now();
        transports[kind].ping.send({ seq: i, sku: 'ab-1', qty: 3 });
        const reply = await deadline(answer.promise, 10_000, `pingPong(${kind}) #${i}`);
        const ms = performance.now() - start;
        if (reply.seq !== i) throw new Error(`pingPong(${kind}): sent #${i}, the answer was #${reply.seq}`);
        if (i >= warmup) results[kind]!.push(ms / 2);
      }
    }
    for (const stop of stops) stop();
    return results;
  },

  close() {
    stopSink();
    for (const kind of Object.keys(transports) as FanoutKind[]) {
      for (const transport of Object.values(transports[kind])) transport.close();
    }
    bus?.dispose();
    bus = undefined;
    control.close();
  },
};
