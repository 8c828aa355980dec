import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { BroadcastChannel as NpmBroadcastChannel } from 'broadcast-channel';
import { deadline, signal } from './timing.ts';

/** What is compared: the bus across tabs, a raw BroadcastChannel, the `broadcast-channel` package. */
export type CrossTabKind = 'bus' | 'raw' | 'npm';

/** A small message, the same for every kind. */
interface Small {
  seq: number;
  sku: string;
  qty: number;
}

/** One way of sending `Small` messages to the other tab and hearing them there. */
interface Transport {
  send(message: Small): void;
  /** Returns a function that stops listening. */
  onReceive(handler: (message: Small) => void): () => void;
  close(): void;
}

/** The page's API, driven by the bench runner through `page.evaluate`. */
interface CrossTabBench {
  /** Opens one transport of each kind; both tabs call it before anything is sent. */
  open(run: string): Promise<void>;
  /** Other tab: answers every ping with the same payload. */
  echo(): void;
  /** This tab: one-way latency samples (round trip / 2, in ms), interleaved across kinds. */
  pingPong(kinds: CrossTabKind[], samples: number, warmup: number): Promise<Record<string, number[]>>;
  /** Other tab: expects `count` messages of `kind` in order, then reports on the control channel. */
  sink(kind: CrossTabKind, count: number): void;
  /** Other tab: messages the current sink has received (to report a loss). */
  received(): number;
  /** This tab: sends `count` messages at once and resolves, in ms, when the other tab has them all. */
  flood(kind: CrossTabKind, count: number): Promise<number>;
  close(): void;
}

declare global {
  interface Window {
    crossTabBench: CrossTabBench;
  }
}

const PING = 'bench.ping';
const PONG = 'bench.pong';
const FLOOD = 'bench.flood';

let transports: Record<CrossTabKind, { ping: Transport; pong: Transport; flood: Transport }>;
let control: BroadcastChannel;
let buses: CrossTabPubSub[] = [];
let stopSink = (): void => {};
let sinkReceived = 0;

function busTransport(bus: CrossTabPubSub, topic: string): Transport {
  return {
    send: (message) => bus.publish(topic, message),
    onReceive: (handler) => bus.subscribe<Small>(topic, (m) => handler(m.payload)),
    close: () => {},
  };
}

function rawTransport(name: string): Transport {
  const channel = new BroadcastChannel(name);
  return {
    send: (message) => channel.postMessage(message),
    onReceive: (handler) => {
      const listener = (event: MessageEvent<Small>): void => handler(event.data);
      channel.addEventListener('message', listener);
      return () => channel.removeEventListener('message', listener);
    },
    close: () => channel.close(),
  };
}

function npmTransport(name: string): Transport {
  const channel = new NpmBroadcastChannel<Small>(name);
  return {
    // Not awaited: the package's promise only says the post was handed to the browser, and a
    // sender in an app would not wait for it either.
    send: (message) => void channel.postMessage(message),
    onReceive: (handler) => {
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
    close: () => void channel.close(),
  };
}

window.crossTabBench = {
  async open(run) {
    // One bus per tab, as an app has; pings, pongs and floods are topics on it.
    const bus = createCrossTabPubSub({
      app: `bench-${Math.random().toString(36).slice(2, 8)}`,
      channel: `bench-bus-${run}`,
    });
    buses = [bus];
    transports = {
      bus: { ping: busTransport(bus, PING), pong: busTransport(bus, PONG), flood: busTransport(bus, FLOOD) },
      raw: {
        ping: rawTransport(`raw-ping-${run}`),
        pong: rawTransport(`raw-pong-${run}`),
        flood: rawTransport(`raw-flood-${run}`),
      },
      npm: {
        ping: npmTransport(`npm-ping-${run}`),
        pong: npmTransport(`npm-pong-${run}`),
        flood: npmTransport(`npm-flood-${run}`),
      },
    };
    control = new BroadcastChannel(`bench-control-${run}`);
  },

  echo() {
    for (const kind of Object.keys(transports) as CrossTabKind[]) {
      const { ping, pong } = transports[kind];
      ping.onReceive((message) => pong.send(message));
    }
  },

  async pingPong(kinds, samples, warmup) {
    const results: Record<string, number[]> = {};
    const waiting: Partial<Record<CrossTabKind, (message: Small) => void>> = {};
    for (const kind of kinds) {
      results[kind] = [];
      transports[kind].pong.onReceive((message) => waiting[kind]?.(message));
    }
    for (let i = 0; i < warmup + samples; i++) {
      // Interleaved: sample i of every kind is taken under the same conditions.
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
    return results;
  },

  sink(kind, count) {
    stopSink();
    sinkReceived = 0;
    let disorder: string | undefined;
    stopSink = transports[kind].flood.onReceive((message) => {
      if (message.seq !== sinkReceived && disorder === undefined)
        disorder = `expected #${sinkReceived}, got #${message.seq}`;
      sinkReceived++;
      if (sinkReceived === count) control.postMessage({ kind, received: sinkReceived, disorder });
    });
  },

  received: () => sinkReceived,

  async flood(kind, count) {
    const done = signal<{ kind: string; received: number; disorder?: string }>();
    const onDone = (event: MessageEvent<{ kind: string; received: number; disorder?: string }>): void => {
      if (event.data.kind === kind) done.resolve(event.data);
    };
    control.addEventListener('message', onDone);
    const { flood } = transports[kind];
    const start = performance.now();
    for (let seq = 0; seq < count; seq++) flood.send({ seq, sku: 'ab-1', qty: 3 });
    const report = await deadline(
      done.promise,
      120_000,
      `flood(${kind}): the other tab did not confirm ${count} messages`,
    );
    const ms = performance.now() - start;
    control.removeEventListener('message', onDone);
    if (report.disorder) throw new Error(`flood(${kind}): order broken in the other tab: ${report.disorder}`);
    return ms;
  },

  close() {
    for (const kind of Object.keys(transports) as CrossTabKind[]) {
      for (const transport of Object.values(transports[kind])) transport.close();
    }
    for (const bus of buses) bus.dispose();
    control.close();
  },
};
