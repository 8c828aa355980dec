import { describe, expect, it } from 'vitest';
import type { RecordedMessage } from '../../src/playwright/recorder.ts';
import { deriveTabView } from '../../src/playwright/tab-view.ts';

function sys(topic: string, payload: unknown): RecordedMessage {
  return {
    seq: 0,
    id: topic,
    topic,
    payload,
    ts: 0,
    source: 'a',
    meta: {},
    origin: { tabId: 'me' },
    remote: false,
    busApp: 'a',
  };
}

describe('deriveTabView', () => {
  it('is this tab alone, with no leader known, before any event', () => {
    expect(deriveTabView([], 'me')).toEqual({
      tabId: 'me',
      leaderTabId: undefined,
      sawLeaderEvent: false,
      present: ['me'],
    });
  });

  it('follows joins, leaves and leader changes in order', () => {
    const view = deriveTabView(
      [
        sys('$sys.tab.joined', { tabId: 't2', apps: ['a'] }),
        sys('$sys.leader.changed', { leaderTabId: 't2', previousLeaderTabId: undefined, isLeader: false }),
        sys('$sys.tab.joined', { tabId: 't3', apps: ['a'] }),
        sys('$sys.tab.joined', { tabId: 't3', apps: ['a', 'b'] }),
        sys('$sys.tab.left', { tabId: 't2', reason: 'closed' }),
        sys('$sys.leader.changed', { leaderTabId: undefined, previousLeaderTabId: 't2', isLeader: false }),
      ],
      'me',
    );
    expect(view).toEqual({ tabId: 'me', leaderTabId: undefined, sawLeaderEvent: true, present: ['me', 't3'] });
    expect(deriveTabView([sys('$sys.leader.changed', { leaderTabId: 'me' })], 'me').leaderTabId).toBe('me');
  });

  it('ignores malformed payloads and never removes this tab', () => {
    const view = deriveTabView(
      [sys('$sys.tab.joined', null), sys('$sys.tab.left', { tabId: 'me' }), sys('other', { tabId: 'x' })],
      'me',
    );
    expect(view.present).toEqual(['me']);
  });
});
