import { describe, expect, it } from 'vitest';
import { createPubSub, type AdapterLink } from '@switchboard/bus';
import { createHistoryAdapter } from '../src/index.ts';
import { WRITERS_QUIET_MS, writeActivity } from '../src/write-activity.ts';
import { createFakeClock } from '@switchboard/testing';
import { fakeRealTime, freshIndexedDB, recordChunkSizes } from './support.ts';

describe('writeActivity', () => {
  it('counts as writing until WRITERS_QUIET_MS after the last write began', () => {
    let now = 1_000;
    const activity = writeActivity(freshIndexedDB(), 'db', () => now);
    expect(activity.writing()).toBe(false);
    activity.began();
    now += WRITERS_QUIET_MS - 1;
    expect(activity.writing()).toBe(true);
    now += 1;
    expect(activity.writing()).toBe(false);
  });

  it('is shared by the histories of one database, and only by them', () => {
    const factory = freshIndexedDB();
    const now = () => 0;
    writeActivity(factory, 'db', now).began();
    expect(writeActivity(factory, 'db', now).writing()).toBe(true);
    expect(writeActivity(factory, 'other-db', now).writing()).toBe(false);
    expect(writeActivity(freshIndexedDB(), 'db', now).writing()).toBe(false);
  });

  it('keeps GC chunks small while another namespace of the database is written to', async () => {
    // Real time moves only when told: a chunk's work measures 0 ms, so only writing() sizes it.
    const realTime = fakeRealTime();
    const indexedDB = freshIndexedDB();
    const clock = createFakeClock(0);
    const collected = createHistoryAdapter({
      indexedDB,
      namespace: 'collected',
      ttlSeconds: 1,
      gcChunkSize: 25,
      gcIntervalMs: 0,
      clock,
    });
    const written = createHistoryAdapter({ indexedDB, namespace: 'written', gcIntervalMs: 0 });
    const oldBus = createPubSub({ app: 'old', clock });
    const busyBus = createPubSub({ app: 'busy' });
    await collected.attach(oldBus);
    await written.attach(busyBus);
    for (let i = 0; i < 150; i++) oldBus.publish('old.x', i);
    await oldBus.flush();
    clock.advance(1_000);
    // The seeding writes are long past: only the other namespace's writes make the database busy.
    realTime.advance(WRITERS_QUIET_MS);
    const sizes = recordChunkSizes();
    // The other namespace is being written when GC starts, and goes on while it runs.
    busyBus.publish('busy.x', -1);
    await busyBus.flush();
    let running = true;
    const gc = collected.gc().finally(() => (running = false));
    for (let i = 0; running; i++) {
      busyBus.publish('busy.x', i);
      await busyBus.flush();
    }
    expect(await gc).toMatchObject({ expired: 150 });
    // gcChunkSize each while the other namespace is written to (quiet, one chunk would take all).
    expect(sizes).toEqual([25, 25, 25, 25, 25, 25]);
  });

  it('keeps GC chunks small while messages from other tabs arrive (those tabs store them)', async () => {
    const realTime = fakeRealTime();
    const indexedDB = freshIndexedDB();
    const clock = createFakeClock(0);
    const history = createHistoryAdapter({
      indexedDB,
      namespace: 'collected',
      ttlSeconds: 1,
      gcChunkSize: 25,
      gcIntervalMs: 0,
      clock,
    });
    const bus = createPubSub({ app: 'leader', clock });
    let link: AdapterLink | undefined;
    bus.attach({
      name: 'other-tabs',
      connect: (l) => {
        link = l;
      },
    });
    await history.attach(bus);
    for (let i = 0; i < 150; i++) bus.publish('old.x', i);
    await bus.flush();
    clock.advance(1_000);
    // This tab's own writes are long past: only the arriving messages make the database busy.
    realTime.advance(WRITERS_QUIET_MS);
    const sizes = recordChunkSizes();
    const other = createPubSub({ app: 'other-tab', tabId: 'tab-b' });
    link!.inject(other.publish('busy.x', 0));
    let running = true;
    const gc = history.gc().finally(() => (running = false));
    while (running) {
      link!.inject(other.publish('busy.x', 1));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(await gc).toMatchObject({ expired: 150 });
    expect(sizes).toEqual([25, 25, 25, 25, 25, 25]);
    // Held for custody, never written by this tab: their own tab stores them.
    expect(await history.getHistory('busy.#')).toEqual([]);
  });
});
