import { createFakeClock } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import type { HostLink } from '../src/host-link.ts';
import type { Commit, Holdings, StoreState } from '../src/protocol.ts';
import { createSequencing } from '../src/sequencing.ts';
import type { StoreStorage } from '../src/store-storage.ts';

/** A sequencing tab with no bus: what it publishes and reports is recorded. */
function sequencingTab(storage?: StoreStorage) {
  const clock = createFakeClock();
  const published: Array<{ topic: string; payload: unknown }> = [];
  const reported: unknown[] = [];
  const host = {
    app: 'app',
    tabId: 'tab-b',
    publish(topic: string, payload: unknown) {
      published.push({ topic, payload });
      return undefined as never;
    },
  } as unknown as HostLink;
  const counts = { sequenced: 0, rejected: 0, duplicates: 0, diverged: 0 };
  const sequencing = createSequencing({
    host,
    storage,
    clock,
    retryMs: 1000,
    counts,
    deliverState() {},
    // This tab has the store's definition with one command, 'add'.
    command: (_storeId: string, { name, payload }: { name: string; payload: unknown }) =>
      name === 'add' ? (state: unknown) => (state as number) + (payload as number) : undefined,
    report: (error) => void reported.push(error),
  });
  const states = () =>
    published.filter(({ topic }) => topic.startsWith('$sys.store.state.')).map(({ payload }) => payload as StoreState);
  const commits = () =>
    published.filter(({ topic }) => topic.startsWith('$sys.store.commit.')).map(({ payload }) => payload as Commit);
  // What the merges' states ask the tabs to run again.
  const replays = () =>
    states().flatMap(({ storeId, merge }) => (merge?.replay.length ? [{ storeId, opIds: merge.replay }] : []));
  return { sequencing, clock, counts, reported, states, commits, replays };
}

const held = (version: number, value: unknown, opIds: string[]): Holdings['stores'][number] => ({
  storeId: 's',
  version,
  value,
  schemaVersion: 1,
  persist: false,
  opIds,
});

const proposal = (opId: string, baseVersion: number, value: unknown) => ({
  storeId: 's',
  opId,
  baseVersion,
  value,
  tabId: 'tab-c',
  schemaVersion: 1,
  persist: false,
  label: 'update',
});

const commit = (opId: string, version: number, value: unknown): Commit => ({
  storeId: 's',
  opId,
  version,
  value,
  tabId: 'tab-a',
  source: 'app',
  label: 'update',
  ts: 0,
  schemaVersion: 1,
});

describe("a sequencer's earlier history", () => {
  it('takes a late tab that continues it, and asks for its own writes since to run again', async () => {
    const { sequencing, states, replays, counts } = sequencingTab();
    sequencing.begin([held(2, 'v2', ['o1', 'o2'])]);
    sequencing.receiveProposal(proposal('mine', 2, 'b3'), 'app');
    sequencing.lateHoldings({ tabId: 'tab-c', stores: [held(4, 'v4', ['o1', 'o2', 'o3', 'o4'])] });
    await Promise.resolve();
    // Past this history (version 3), at the earlier one's version: the tabs holding it keep it.
    expect(states().at(-1)).toMatchObject({ version: 4, value: 'v4', to: undefined });
    expect(replays()).toEqual([{ storeId: 's', opIds: ['mine'] }]);
    // The replay is decided anew, once.
    sequencing.receiveProposal(proposal('mine', 4, 'v4+b'), 'app');
    sequencing.receiveProposal(proposal('mine', 4, 'v4+b'), 'app');
    expect([counts.sequenced, counts.duplicates, counts.diverged]).toEqual([2, 1, 0]);
  });

  it('takes it as is, at its own version, while this sequencer has not written since', async () => {
    const { sequencing, states, replays } = sequencingTab();
    sequencing.begin([held(2, 'v2', ['o1', 'o2'])]);
    sequencing.straggler(commit('o3', 3, 'v3'));
    sequencing.straggler(commit('o2', 2, 'v2'));
    await Promise.resolve();
    expect(states().at(-1)).toMatchObject({ version: 3, value: 'v3' });
    expect(replays()).toEqual([]);
  });

  it('runs again, on its own state, what a late history that parted from it holds since they parted', async () => {
    const { sequencing, clock, states, replays, counts, reported } = sequencingTab();
    sequencing.begin([held(2, 'v2', ['o1', 'o2'])]);
    sequencing.lateHoldings({ tabId: 'tab-c', stores: [held(3, 'x3', ['o1', 'x2', 'x3'])] });
    await Promise.resolve();
    // Past both; the writes after their last common one, o1, run again on it.
    expect(states().at(-1)).toMatchObject({ version: 4, value: 'v2', to: undefined });
    expect(replays()).toEqual([{ storeId: 's', opIds: ['x2', 'x3'] }]);
    sequencing.receiveProposal(proposal('x2', 4, 'v2+x2'), 'app');
    sequencing.receiveProposal(proposal('x3', 5, 'v2+x2+x3'), 'app');
    clock.advance(1000);
    expect([counts.sequenced, counts.diverged, reported]).toEqual([2, 0, []]);
  });

  it('reports the writes of a parted late history that no tab runs again', async () => {
    const { sequencing, clock, reported, counts } = sequencingTab();
    sequencing.begin([held(2, 'v2', ['o1', 'o2'])]);
    // The same version, another last operation.
    sequencing.lateHoldings({ tabId: 'tab-c', stores: [held(2, 'x2', ['o1', 'x2'])] });
    clock.advance(1000);
    expect(counts.diverged).toBe(1);
    expect(String(reported[0])).toContain('1 write(s) to run again');
  });

  it('reports STORE_DIVERGED for a late history with no operation in common', async () => {
    const { sequencing, states, reported, counts } = sequencingTab();
    sequencing.begin([held(2, 'v2', ['o1', 'o2'])]);
    sequencing.lateHoldings({ tabId: 'tab-c', stores: [held(4, 'x4', ['x3', 'x4'])] });
    await Promise.resolve();
    expect(counts.diverged).toBe(1);
    expect(reported.map((error) => (error as { code: string }).code)).toEqual(['STORE_DIVERGED']);
    // Every tab, that one too, takes the sequencer's state past it.
    expect(states().at(-1)).toMatchObject({ version: 5, value: 'v2', to: undefined });
  });

  it('commits a set it undid again by itself, after the state, and asks the tabs for the rest', async () => {
    const { sequencing, clock, states, commits, replays, counts } = sequencingTab();
    sequencing.begin([held(1, 'v1', ['o1'])]);
    sequencing.receiveProposal({ ...proposal('set', 1, 'mine'), label: 'set', absolute: true }, 'app');
    sequencing.receiveProposal(proposal('update', 2, 'mine+'), 'app');
    sequencing.straggler(commit('o2', 2, 'v2'));
    await Promise.resolve();
    // Past both histories (own version 3): 4, then the set again at 5.
    expect(states().at(-1)).toMatchObject({ version: 4, value: 'v2' });
    expect(commits().slice(2)).toMatchObject([
      { opId: 'set', version: 5, value: 'mine', tabId: 'tab-c', label: 'set' },
    ]);
    expect(replays()).toEqual([{ storeId: 's', opIds: ['update'] }]);
    // Only the update is awaited from the tabs.
    sequencing.receiveProposal(proposal('update', 5, 'mine+'), 'app');
    clock.advance(1000);
    expect([counts.sequenced, counts.diverged]).toEqual([4, 0]);
  });

  it('runs a command it undid again by itself when its tab has the definition', async () => {
    const { sequencing, commits, replays, counts } = sequencingTab();
    sequencing.begin([held(1, 1, ['o1'])]);
    const command = (name: string, opId: string) => ({
      ...proposal(opId, 1, 11),
      label: name,
      command: { name, payload: 10, source: 'app' },
    });
    sequencing.receiveProposal(command('add', 'add-10'), 'app');
    sequencing.receiveProposal({ ...command('other', 'other'), baseVersion: 2 }, 'app');
    sequencing.straggler(commit('o2', 2, 5));
    await Promise.resolve();
    // On the earlier history's 5, not on the 1 it first ran on; 'other' is left to its tabs.
    expect(commits().slice(2)).toMatchObject([{ opId: 'add-10', version: 5, value: 15, label: 'add' }]);
    expect(replays()).toEqual([{ storeId: 's', opIds: ['other'] }]);
    expect(counts.diverged).toBe(0);
  });

  it('persists the state it took past its own writes before it publishes it', async () => {
    const appended: Commit[] = [];
    const storage: StoreStorage = {
      load: async () => undefined,
      append: async (commits) => void appended.push(...commits),
    };
    const { sequencing, states } = sequencingTab(storage);
    sequencing.begin([{ ...held(1, 'v1', ['o1']), persist: true }]);
    sequencing.receiveProposal({ ...proposal('mine', 1, 'b2'), persist: true }, 'app');
    sequencing.straggler(commit('o2', 2, 'v2'));
    await Promise.resolve();
    expect(states()).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(appended).toMatchObject([
      { opId: 'mine', version: 2, value: 'b2' },
      { opId: 'o2', version: 3, value: 'v2', label: 'merge' },
    ]);
    expect(states().at(-1)).toMatchObject({ version: 3, value: 'v2' });
  });

  it('reports a replay that no tab proposed within retryMs', async () => {
    const { sequencing, clock, reported, counts } = sequencingTab();
    sequencing.begin([held(1, 'v1', ['o1'])]);
    sequencing.receiveProposal(proposal('gone', 1, 'b2'), 'app');
    sequencing.straggler(commit('o2', 2, 'v2'));
    await Promise.resolve();
    clock.advance(999);
    expect(counts.diverged).toBe(0);
    clock.advance(1);
    expect(counts.diverged).toBe(1);
    expect(String(reported[0])).toContain('1 write(s) to run again');
  });

  it('reports the writes it committed too long ago to replay', async () => {
    const { sequencing, reported, counts, replays } = sequencingTab();
    sequencing.begin([held(0, undefined, [])]);
    // Two more than the sequencer remembers (2,048 per store).
    for (let version = 0; version < 2050; version++)
      sequencing.receiveProposal(proposal(`w${version}`, version, version + 1), 'app');
    sequencing.straggler(commit('o1', 1, 'v1'));
    await Promise.resolve();
    expect(counts.diverged).toBe(1);
    expect(String(reported[0])).toContain('2 write(s) to run again');
    expect(replays()[0]!.opIds).toHaveLength(2048);
  });
});
