import { isSwitchboardError } from '@switchboard/bus';
import { describe, expect, it, vi } from 'vitest';
import * as crossTab from '../src/index.ts';

describe('isPayloadError', () => {
  it('recognises the PayloadError of this copy and of another bundled copy, and nothing else', async () => {
    vi.resetModules();
    const other: typeof crossTab = await import('../src/index.ts');
    expect(other.PayloadError).not.toBe(crossTab.PayloadError);
    for (const copy of [crossTab, other]) {
      const error = new copy.PayloadError(
        'PAYLOAD_TOO_LARGE',
        'files.loaded',
        'about 2 MiB',
        "publish('files.loaded'): …",
      );
      expect(crossTab.isPayloadError(error)).toBe(true);
      expect(isSwitchboardError(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    }
    expect(crossTab.isPayloadError(new Error('x'))).toBe(false);
    expect(crossTab.isPayloadError({ name: 'PayloadError', code: 'PAYLOAD_TOO_LARGE' })).toBe(false);
  });
});

describe('isEnvelopeError', () => {
  it('recognises the EnvelopeError of this copy and of another bundled copy', async () => {
    vi.resetModules();
    const other: typeof crossTab = await import('../src/index.ts');
    for (const copy of [crossTab, other]) {
      const error = new copy.EnvelopeError('shop', { malformed: 2 }, 'cross-tab: ignored 2 envelopes');
      expect([crossTab.isEnvelopeError(error), crossTab.isPayloadError(error)]).toEqual([true, false]);
      expect(isSwitchboardError(error, 'INVALID_ENVELOPE')).toBe(true);
    }
  });
});
