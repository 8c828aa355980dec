import type { CrossTabPubSub } from '@switchboard/cross-tab';
import { deadline, signal } from './timing.ts';

/** Each MFE bundles its own copy of Switchboard, or the tab has one bus that every MFE uses. */
export type CopiesMode = 'copies' | 'single';

/** The page's API, driven by the bench runner through `page.evaluate`. */
export interface CopiesBench {
  /**
   * Loads the tab's MFEs: `mfes` copies of the library, each with its bus (`copies`), or one
   * copy and one bus shared by all (`single`). `library` is the URL of the bundled library.
   */
  open(config: string, mode: CopiesMode, mfes: number, library: string): Promise<void>;
  /** Tabs the first bus sees, this one included. */
  tabs(): number;
  /** Every MFE subscribes to pings; in the answering tab the first MFE answers each. */
  listen(answers: boolean): void;
  /** Pings handled by this tab's MFEs so far (each ping once per MFE). */
  handled(): number;
  /** One-way latency samples (round trip / 2, in ms) between the first MFEs of two tabs. */
  pingPong(samples: number, warmup: number): Promise<number[]>;
  close(): void;
}

declare global {
  interface Window {
    copiesBench: CopiesBench;
  }
}

interface Library {
  createCrossTabPubSub: (options: { app: string; channel: string }) => CrossTabPubSub;
}

/** Each MFE's bus (the same bus for all of them in `single` mode). */
let mfes: CrossTabPubSub[] = [];
let handled = 0;

window.copiesBench = {
  async open(config, mode, count, library) {
    const channel = `copies-${config}`;
    mfes = [];
    handled = 0;
    if (mode === 'single') {
      const { createCrossTabPubSub } = (await import(/* @vite-ignore */ `${library}?tab-bus`)) as Library;
      const bus = createCrossTabPubSub({ app: 'shell', channel });
      for (let i = 0; i < count; i++) mfes.push(bus);
      return;
    }
    for (let i = 0; i < count; i++) {
      // A query string of its own: the browser loads and runs the module again, a copy of its own.
      const { createCrossTabPubSub } = (await import(/* @vite-ignore */ `${library}?mfe-${i}`)) as Library;
      mfes.push(createCrossTabPubSub({ app: `mfe-${i}`, channel }));
    }
  },

  tabs: () => mfes[0]?.crossTab.tabs().length ?? 0,

  listen(answers) {
    for (const [index, bus] of mfes.entries()) {
      bus.subscribe<number>('bench.ping', (message) => {
        handled++;
        if (answers && index === 0) bus.publish('bench.pong', message.payload);
      });
    }
  },

  handled: () => handled,

  async pingPong(samples, warmup) {
    const bus = mfes[0]!;
    const results: number[] = [];
    let waiting: ((n: number) => void) | undefined;
    const off = bus.subscribe<number>('bench.pong', (message) => waiting?.(message.payload));
    for (let i = 0; i < warmup + samples; i++) {
      const answer = signal<number>();
      waiting = answer.resolve;
      const start = performance.now();
      bus.publish('bench.ping', i);
      const reply = await deadline(answer.promise, 10_000, `pingPong #${i}`);
      const ms = performance.now() - start;
      if (reply !== i) throw new Error(`pingPong: sent #${i}, the answer was #${reply}`);
      if (i >= warmup) results.push(ms / 2);
    }
    off();
    return results;
  },

  close() {
    for (const bus of new Set(mfes)) bus.dispose();
    mfes = [];
  },
};
