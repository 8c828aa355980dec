import { describe, expect, it } from 'vitest';
import { createPubSub, type Message } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createHistoryAdapter } from '../src/index.ts';
import { createWriteBatcher } from '../src/write-batcher.ts';
import { freshIndexedDB } from './support.ts';

/** A write function whose calls the test settles one by one. */
function controlledWrites() {
  const calls: Array<{ batch: Message[]; done: () => void }> = [];
  let inFlight = 0;
  let mostInFlight = 0;
  return {
    calls,
    get mostInFlight() {
      return mostInFlight;
    },
    write(batch: Message[]): Promise<void> {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return new Promise((resolve) => {
        calls.push({
          batch,
          done: () => {
            inFlight--;
            resolve();
          },
        });
      });
    },
  };
}

const message = (i: number) => ({ id: `w-${i}`, topic: 't', ts: i }) as Message;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('write batcher', () => {
  it('keeps one write in flight and gathers what arrives meanwhile into the next batch', async () => {
    const writes = controlledWrites();
    const batcher = createWriteBatcher({
      write: (batch) => writes.write(batch),
      delayMs: 0,
      maxBatchSize: 100,
      clock: createFakeClock(),
    });
    batcher.add(message(0));
    await tick();
    expect(writes.calls).toHaveLength(1);
    for (let i = 1; i <= 5; i++) {
      batcher.add(message(i));
      await tick();
    }
    // Five publishes in five tasks, while the first batch commits: one more batch, not five.
    expect(writes.calls).toHaveLength(1);
    expect(batcher.pending).toBe(6);
    writes.calls[0]!.done();
    await tick();
    expect(writes.calls.map((call) => call.batch.length)).toEqual([1, 5]);
    writes.calls[1]!.done();
    await batcher.flush();
    expect(writes.mostInFlight).toBe(1);
    expect(batcher.pending).toBe(0);
  });

  it('writes a backlog beyond maxBatchSize as consecutive batches', async () => {
    const writes = controlledWrites();
    const batcher = createWriteBatcher({
      write: (batch) => writes.write(batch),
      delayMs: 0,
      maxBatchSize: 4,
      clock: createFakeClock(),
    });
    for (let i = 0; i < 10; i++) batcher.add(message(i));
    await tick();
    const flushed = batcher.flush();
    for (let round = 0; writes.calls.some((call) => call.batch.length > 0) && round < 3; round++) {
      writes.calls[round]!.done();
      await tick();
    }
    await flushed;
    expect(writes.calls.map((call) => call.batch.length)).toEqual([4, 4, 2]);
  });

  it('flush() waits for what was added before it, not for what comes after', async () => {
    const writes = controlledWrites();
    const batcher = createWriteBatcher({
      write: (batch) => writes.write(batch),
      delayMs: 0,
      maxBatchSize: 100,
      clock: createFakeClock(),
    });
    batcher.add(message(0));
    let flushed = false;
    const flush = batcher.flush().then(() => {
      flushed = true;
    });
    batcher.add(message(1));
    await tick();
    writes.calls[0]!.done();
    await flush;
    expect(flushed).toBe(true);
    expect(batcher.pending).toBe(1);
  });

  it('lets the histories of several tabs write one database, all of it, none starved', async () => {
    const indexedDB = freshIndexedDB();
    const tabs = await Promise.all(
      Array.from({ length: 4 }, async (_, t) => {
        const bus = createPubSub({ app: `tab${t}`, tabId: `tab-${t}` });
        const history = createHistoryAdapter({ indexedDB, namespace: 'shared' });
        await history.attach(bus);
        return { bus, history };
      }),
    );
    // Bursts in separate tasks from every tab, while the others' batches commit.
    for (let round = 0; round < 20; round++) {
      for (const tab of tabs) for (let i = 0; i < 10; i++) tab.bus.publish('load.x', { round, i });
      await tick();
    }
    await Promise.all(tabs.map((tab) => tab.bus.flush()));
    expect(tabs.map((tab) => tab.history.stats().persisted)).toEqual([200, 200, 200, 200]);
    // Fewer transactions than bursts: bursts published during a commit were gathered.
    for (const tab of tabs) expect(tab.history.stats().batches).toBeLessThanOrEqual(20);
    const stored = await tabs[0]!.history.getHistory('load.x');
    expect(new Set(stored.map((m) => m.id)).size).toBe(800);
  });
});
