import { describe, expect, it } from 'vitest';
import { forApp } from '../../src/apps.ts';
import { createPubSub } from '../../src/index.ts';
import { isBus } from '../../src/internal.ts';

describe('isBus', () => {
  it('accepts a bus and a per-app handle, and refuses what lacks subscribe or publish', () => {
    const bus = createPubSub({ app: 'shell' });
    expect(isBus(bus)).toBe(true);
    expect(isBus(forApp(bus, 'orders'))).toBe(true);
    expect(isBus({ subscribe: () => () => {} })).toBe(false);
    expect(isBus({ subscribe: 1, publish: () => undefined })).toBe(false);
    expect([isBus(null), isBus(undefined), isBus('bus'), isBus([])]).toEqual([false, false, false, false]);
  });
});
