import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createRpc, type Rpc } from '@switchboard/patterns';
import { deadline, signal } from './timing.ts';

/** The page's API, driven by the bench runner through `page.evaluate`. */
export interface RpcBench {
  /** Both tabs: a cross-tab bus with an rpc, and a raw BroadcastChannel. */
  open(run: string): void;
  /** Other tab: answers `bench.echo` over the rpc and over the raw channel. */
  serve(): void;
  /** This tab: round-trip samples in ms, interleaved: rpc request vs raw request/reply. */
  roundTrips(samples: number, warmup: number): Promise<{ rpc: number[]; raw: number[] }>;
  close(): void;
}

declare global {
  interface Window {
    rpcBench: RpcBench;
  }
}

interface RawRequest {
  id: number;
  params: { n: number; sku: string };
}

let bus: CrossTabPubSub;
let rpc: Rpc;
let raw: BroadcastChannel;

window.rpcBench = {
  open(run) {
    bus = createCrossTabPubSub({ app: `bench-${Math.random().toString(36).slice(2, 8)}`, channel: `bench-rpc-${run}` });
    rpc = createRpc(bus);
    raw = new BroadcastChannel(`bench-rpc-raw-${run}`);
  },

  serve() {
    rpc.handle('bench.echo', (params: unknown) => params);
    // The baseline an app would write by hand: an id to match the reply to its request.
    raw.addEventListener('message', (event: MessageEvent<RawRequest>) => {
      raw.postMessage({ id: event.data.id, result: event.data.params });
    });
  },

  async roundTrips(samples, warmup) {
    const rpcSamples: number[] = [];
    const rawSamples: number[] = [];
    let pending: { id: number; resolve: (value: unknown) => void } | undefined;
    raw.addEventListener('message', (event: MessageEvent<{ id: number; result: unknown }>) => {
      if (pending?.id === event.data.id) pending.resolve(event.data.result);
    });
    for (let i = 0; i < warmup + samples; i++) {
      const params = { n: i, sku: 'ab-1' };
      let start = performance.now();
      const answer = await deadline(rpc.request<{ n: number }>('bench.echo', params), 10_000, `rpc request #${i}`);
      const rpcMs = performance.now() - start;
      if (answer.n !== i) throw new Error(`rpc: request #${i} was answered with #${answer.n}`);

      const reply = signal<unknown>();
      pending = { id: i, resolve: reply.resolve };
      start = performance.now();
      raw.postMessage({ id: i, params } satisfies RawRequest);
      await deadline(reply.promise, 10_000, `raw request #${i}`);
      const rawMs = performance.now() - start;
      if (i >= warmup) {
        rpcSamples.push(rpcMs);
        rawSamples.push(rawMs);
      }
    }
    return { rpc: rpcSamples, raw: rawSamples };
  },

  close() {
    rpc.dispose();
    bus.dispose();
    raw.close();
  },
};
