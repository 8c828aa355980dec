import { createPubSub } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import {
  attachStores,
  createStoreRegistry,
  defineStore,
  type Store,
  type StoreRegistry,
  type StoreService,
} from '@switchboard/store';
import { createIdbStoreStorage } from '@switchboard/store/idb';
import { createMergeableStore, type MergeableStore } from 'tinybase';
import { createBroadcastChannelSynchronizer } from 'tinybase/synchronizers/synchronizer-broadcast-channel';
import { deadline, signal } from './timing.ts';

/**
 * What is compared: a Switchboard store update, a raw BroadcastChannel post (one hop), a raw post
 * relayed by a third tab (two hops) and a TinyBase MergeableStore value synchronised by its
 * BroadcastChannelSynchronizer.
 */
export type StoreKind = 'store' | 'raw' | 'raw2' | 'tinybase';

interface Ping {
  seq: number;
  t0: number;
}

const ping = defineStore({ name: 'bench.ping', initial: { seq: -1, t0: 0 } as Ping, owner: 'bench', scope: 'origin' });
const counter = defineStore({ name: 'bench.counter', initial: 0, owner: 'bench', scope: 'origin' });
const big = defineStore({ name: 'bench.big', initial: [] as string[], owner: 'bench', scope: 'origin', persist: true });

/** The page's API, driven by the bench runner through `page.evaluate`. */
interface StoresBench {
  /** Links this tab: bus, cross-tab, stores (persisted in `run`'s database), TinyBase, raw channels. */
  open(run: string): Promise<void>;
  isLeader(): boolean;
  /** Receiving tab: records the one-way latency of every ping, and acknowledges it on the control channel. */
  listen(): void;
  /** Leader tab: relays raw hop-1 posts to hop 2. */
  relay(): void;
  /** Writing tab: `samples` pings per kind, interleaved, each after the previous one's acknowledgement. */
  pingLoop(kinds: StoreKind[], samples: number, warmup: number): Promise<void>;
  samples(): Record<string, number[]>;
  /** `count` increments, each in a task of its own; resolves when this tab has issued them all. */
  increment(kind: 'store' | 'tinybase', count: number): Promise<void>;
  counterValue(kind: 'store' | 'tinybase'): number;
  pending(): number;
  /** Writes a store of about `bytes` characters and waits until it is persisted. */
  writeBig(bytes: number): Promise<number>;
  /** A lone tab: creates the stores and times how long the big store takes to be ready (ms). */
  hydrate(run: string): Promise<{ ms: number; length: number }>;
  close(): void;
}

declare global {
  interface Window {
    storesBench: StoresBench;
  }
}

const now = (): number => performance.timeOrigin + performance.now();
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    // Not setTimeout: a background tab's timers are throttled, a MessageChannel is not.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

let service: StoreService;
let registry: StoreRegistry;
let pingStore: Store<Ping>;
let counterStore: Store<number>;
let bigStore: Store<string[]>;
let tiny: MergeableStore;
let raw: BroadcastChannel;
let hop1: BroadcastChannel;
let hop2: BroadcastChannel;
let control: BroadcastChannel;
const recorded: Record<string, number[]> = { store: [], raw: [], raw2: [], tinybase: [] };
const closers: Array<() => void> = [];

function record(kind: StoreKind, value: Ping): void {
  recorded[kind]!.push(now() - value.t0);
  control.postMessage({ kind, seq: value.seq });
}

window.storesBench = {
  async open(run) {
    const bus = createPubSub({ app: 'bench' });
    const crossTab = attachCrossTab(bus, { channel: `stores-bench-${run}` });
    service = attachStores(bus, { storage: createIdbStoreStorage({ dbName: `stores-bench-${run}` }) });
    registry = createStoreRegistry(bus);
    pingStore = registry.get(ping);
    counterStore = registry.get(counter);
    await Promise.all([pingStore.ready, counterStore.ready]);
    tiny = createMergeableStore();
    const synchronizer = createBroadcastChannelSynchronizer(tiny, `stores-bench-tinybase-${run}`);
    await synchronizer.startSync();
    raw = new BroadcastChannel(`stores-bench-raw-${run}`);
    hop1 = new BroadcastChannel(`stores-bench-hop1-${run}`);
    hop2 = new BroadcastChannel(`stores-bench-hop2-${run}`);
    control = new BroadcastChannel(`stores-bench-control-${run}`);
    closers.push(
      () => void synchronizer.destroy(),
      () => crossTab.detach(),
      () => bus.dispose(),
      () => raw.close(),
      () => hop1.close(),
      () => hop2.close(),
      () => control.close(),
    );
  },
  isLeader: () => service.stats().role === 'sequencing',
  listen() {
    pingStore.subscribe((value) => record('store', value));
    raw.onmessage = (event: MessageEvent<Ping>) => record('raw', event.data);
    hop2.onmessage = (event: MessageEvent<Ping>) => record('raw2', event.data);
    tiny.addValueListener('ping', (store) => {
      const [seq, t0] = String(store.getValue('ping')).split(':').map(Number);
      record('tinybase', { seq: seq!, t0: t0! });
    });
  },
  relay() {
    hop1.onmessage = (event: MessageEvent<Ping>) => hop2.postMessage(event.data);
  },
  async pingLoop(kinds, samples, warmup) {
    let waiting: { kind: string; seq: number; resolve: () => void } | undefined;
    control.onmessage = (event: MessageEvent<{ kind: string; seq: number }>) => {
      if (waiting !== undefined && event.data.kind === waiting.kind && event.data.seq === waiting.seq)
        waiting.resolve();
    };
    for (let seq = 0; seq < warmup + samples; seq++) {
      for (const kind of kinds) {
        const answered = signal<void>();
        waiting = { kind, seq, resolve: () => answered.resolve() };
        const value = { seq, t0: now() };
        if (kind === 'store') void pingStore.set(value);
        else if (kind === 'raw') raw.postMessage(value);
        else if (kind === 'raw2') hop1.postMessage(value);
        else tiny.setValue('ping', `${seq}:${value.t0}`);
        await deadline(answered.promise, 5000, `stores bench: ${kind} ping ${seq}`);
      }
    }
  },
  samples: () => recorded,
  async increment(kind, count) {
    for (let i = 0; i < count; i++) {
      if (kind === 'store') void counterStore.update((n) => n + 1);
      else tiny.setValue('count', Number(tiny.getValue('count') ?? 0) + 1);
      await nextTask();
    }
  },
  counterValue: (kind) => (kind === 'store' ? counterStore.get() : Number(tiny.getValue('count') ?? 0)),
  pending: () => counterStore.pending + (bigStore?.pending ?? 0),
  async writeBig(bytes) {
    bigStore = registry.get(big);
    await bigStore.ready;
    const line = 'x'.repeat(99);
    const value = Array.from({ length: Math.ceil(bytes / 100) }, (_, i) => `${i}${line}`.slice(0, 100));
    await bigStore.set(value);
    return value.length;
  },
  async hydrate(run) {
    const t0 = performance.now();
    const bus = createPubSub({ app: 'bench' });
    attachCrossTab(bus, { channel: `stores-bench-${run}` });
    attachStores(bus, { storage: createIdbStoreStorage({ dbName: `stores-bench-${run}` }) });
    const store = createStoreRegistry(bus).get(big);
    await store.ready;
    return { ms: performance.now() - t0, length: store.get().length };
  },
  close() {
    for (const close of closers.splice(0)) close();
  },
};
