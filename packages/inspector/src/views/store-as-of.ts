import { el } from '../dom.ts';
import { clockTime, preview } from '../format.ts';
import { asRecord, describe } from '../payload-checks.ts';

/**
 * Where the stores view reads a persisted store's past states: `createIdbStoreStorage()` of
 * `@switchboard/store/idb` is one. Its answer is checked like any payload.
 */
export interface StoreTimelineSource {
  /** Snapshots (`{ version, value }`) and operations (`{ version, value, ts, label, source }`) kept. */
  timeline(storeId: string): Promise<unknown>;
}

interface State {
  readonly value: unknown;
  readonly note: string;
}

/** The states of a timeline by version, or a reason it could not be read. */
function statesOf(timeline: unknown): Map<number, State> | string {
  const record = asRecord(timeline);
  const snapshots = record?.snapshots;
  const operations = record?.operations;
  if (!Array.isArray(snapshots) || !Array.isArray(operations))
    return `expected { snapshots: [], operations: [] }, got ${describe(timeline)}`;
  const states = new Map<number, State>();
  for (const entry of [...snapshots, ...operations]) {
    const item = asRecord(entry);
    if (typeof item?.version !== 'number') return `an entry has no version: ${describe(entry)}`;
    const described =
      typeof item.ts === 'number'
        ? ` · ${clockTime(item.ts)} · ${String(item.label)} by ${String(item.source)}`
        : ' · snapshot';
    states.set(item.version, { value: item.value, note: described });
  }
  return states;
}

/**
 * Shows a persisted store as of any version it still keeps, with a slider, in `target`. Errors
 * and unreadable timelines are shown there and passed to `onError`.
 */
export async function showStoreAsOf(
  target: HTMLElement,
  source: StoreTimelineSource,
  storeId: string,
  onError: (error: unknown) => void,
): Promise<void> {
  let states: Map<number, State> | string;
  try {
    states = statesOf(await source.timeline(storeId));
  } catch (error) {
    onError(error);
    states = `its history could not be read (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof states === 'string') {
    target.replaceChildren(el('p', { class: 'muted' }, `${storeId}: ${states}.`));
    return;
  }
  const versions = [...states.keys()].sort((a, b) => a - b);
  if (versions.length === 0) {
    target.replaceChildren(el('p', { class: 'muted' }, `${storeId}: nothing persisted yet.`));
    return;
  }
  const slider = el('input', {
    type: 'range',
    min: 0,
    max: versions.length - 1,
    value: versions.length - 1,
    'aria-label': `Version of ${storeId}`,
  });
  const shown = el('pre', { class: 'payload' });
  const show = (): void => {
    const version = versions[Number(slider.value)]!;
    const state = states.get(version)!;
    shown.textContent = `v${version}${state.note}\n${preview(state.value, 600)}`;
  };
  slider.addEventListener('input', show);
  show();
  target.replaceChildren(el('h4', {}, `${storeId} as of`), slider, shown);
}
