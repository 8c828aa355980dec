import { isSwitchboardError, SwitchboardError } from '@switchboard/bus';
import { describe, expect, it, vi } from 'vitest';
import * as history from '../src/index.ts';

describe('isHistoryError', () => {
  it('recognises the HistoryError of this copy and of another bundled copy, by brand, not by name', async () => {
    vi.resetModules();
    const other: typeof history = await import('../src/index.ts');
    expect(other.HistoryError).not.toBe(history.HistoryError);
    for (const copy of [history, other]) {
      const error = new copy.HistoryError('STORAGE_FAILED', 'quota', 'history: the disk is full');
      expect(history.isHistoryError(error)).toBe(true);
      expect(isSwitchboardError(error, 'STORAGE_FAILED')).toBe(true);
    }
    // A Switchboard error that only looks like one is not one.
    const lookalike = Object.assign(new SwitchboardError('STORAGE_FAILED', 'x'), {
      name: 'HistoryError',
      failure: 'quota',
    });
    expect(history.isHistoryError(lookalike)).toBe(false);
  });
});
