import { describe, expect, it } from 'vitest';
import {
  findStalled,
  STALL_FACTOR,
  STALL_FLOOR_MS,
  STALL_IDLE_FACTOR,
  STALL_ROUNDS,
  stallBound,
} from '../src/custody-stall.ts';
import { newWriterState, type WriterState } from '../src/custody-writer.ts';
import type { Message } from '@switchboard/bus';

const held = { id: 'w-1' } as Message;

/** A known live writer holding one message since 0, with `longestWait`. */
function waiting(id: string, longestWait = 0): WriterState {
  const state = newWriterState(id, `tab-${id}`, 0, 0);
  state.known = true;
  state.held.push(held);
  state.longestWait = longestWait;
  return state;
}

describe('the stall rule', () => {
  it('gives a writer at least the floor, and more when it was slow before', () => {
    expect(stallBound(0)).toBe(STALL_FLOOR_MS);
    expect(stallBound(10_000)).toBe(STALL_FACTOR * 10_000);
  });

  it('takes a writer for stalled past its bound only once the others lapped it', () => {
    const slow = waiting('a-');
    const past = STALL_FLOOR_MS + 1;
    // Two custodians in line: three rounds are six commits.
    expect(findStalled([slow], past, STALL_ROUNDS * 2 - 1, 2)).toEqual(new Set());
    expect(findStalled([slow], past, STALL_ROUNDS * 2, 2)).toEqual(new Set(['a-']));
  });

  it('without commits of others, waits the idle factor times its bound', () => {
    const slow = waiting('a-');
    expect(findStalled([slow], STALL_IDLE_FACTOR * STALL_FLOOR_MS, 0, 2)).toEqual(new Set());
    expect(findStalled([slow], STALL_IDLE_FACTOR * STALL_FLOOR_MS + 1, 0, 2)).toEqual(new Set(['a-']));
  });

  it('leaves alone writers holding nothing here, departed, unknown or stalled already', () => {
    const late = 100 * STALL_FLOOR_MS;
    const idle = newWriterState('a-', 'tab-a', 0, 0);
    idle.known = true;
    const departed = Object.assign(waiting('b-'), { departed: true });
    const unknown = Object.assign(waiting('c-'), { known: false });
    const stalled = Object.assign(waiting('d-'), { stalled: true });
    expect(findStalled([idle, departed, unknown, stalled], late, 1_000, 2)).toEqual(new Set());
  });

  it('takes for stalled a claimer that went silent, though it holds nothing here', () => {
    const claimer = newWriterState('a-', 'tab-a', 0, 0);
    claimer.known = true;
    const gone = Object.assign(newWriterState('b-', 'tab-b', 0, 0), { known: true, departed: true });
    gone.claims.push(['a-', 0, 5]);
    expect(findStalled([claimer, gone], STALL_FLOOR_MS + 1, STALL_ROUNDS * 2, 2)).toEqual(new Set(['a-']));
  });
});
