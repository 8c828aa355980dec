import { describe, expect, it } from 'vitest';
import { isSwitchboardError } from '../../src/index.ts';
import { missingCrossTab, notABus } from '../../src/internal.ts';

describe('the errors both bindings throw', () => {
  it('notABus says what it got instead', () => {
    const got = (value: unknown): string => notABus('SwitchboardProvider', value).message.split(', got ')[1]!;
    expect([got(null), got([]), got({}), got('bus'), got(undefined)]).toEqual([
      'null.',
      'an array.',
      'an object without subscribe/publish.',
      'string.',
      'undefined.',
    ]);
    expect(isSwitchboardError(notABus('f', 1), 'INVALID_OPTION')).toBe(true);
  });

  it("missingCrossTab tells the fix in the binding's words, with the cause when there is one", () => {
    const cause = new Error('not a bus of this library');
    const error = missingCrossTab('useLeader', 'install the plugin', cause);
    expect(error.message).toBe(
      'useLeader(): nothing to ask about the tabs; install the plugin, or pass { crossTab } (what attachCrossTab() ' +
        'returns) or { bus } to useLeader().',
    );
    expect(error.cause).toBe(cause);
    expect('cause' in missingCrossTab('useLeader', 'install the plugin')).toBe(false);
  });
});
