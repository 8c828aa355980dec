import { describe, expect, it } from 'vitest';
import { type CrossTabSource, crossTabOf } from '../../src/internal.ts';

const crossTab: CrossTabSource = {
  isLeader: () => true,
  leaderTabId: () => 'tab-1',
  onLeaderChange: () => () => {},
  tabs: () => [],
  onChange: () => () => {},
};

describe('crossTabOf', () => {
  it('finds the cross-tab of a bus from createCrossTabPubSub by its shape, and nothing on other values', () => {
    expect(crossTabOf({ crossTab })).toBe(crossTab);
    expect(crossTabOf({ crossTab: { isLeader: () => true } })).toBeUndefined();
    expect(crossTabOf({})).toBeUndefined();
    expect(crossTabOf(null)).toBeUndefined();
    expect(crossTabOf(undefined)).toBeUndefined();
  });
});
