import { isSwitchboardError } from '@switchboard/bus';
import { describe, expect, it, vi } from 'vitest';
import * as patterns from '../src/index.ts';

describe('error guards', () => {
  it('recognise each class, from this copy and from another bundled copy of the package', async () => {
    vi.resetModules();
    const other: typeof patterns = await import('../src/index.ts');
    expect(other.RemoteError).not.toBe(patterns.RemoteError);
    for (const copy of [patterns, other]) {
      const errors = [
        new copy.RpcTimeoutError('orders.get', 100),
        new copy.NoHandlerError('orders.get', "request('orders.get'): nobody"),
        new copy.RemoteError('orders.get', { name: 'Error', message: 'bad' }, 'tab-a'),
        new copy.RpcTargetGoneError('orders.get', 'tab-a', 'closed'),
        new copy.CircuitOpenError('inventory', 0, 'the circuit is OPEN'),
      ];
      const guards = [
        patterns.isRpcTimeoutError,
        patterns.isNoHandlerError,
        patterns.isRemoteError,
        patterns.isRpcTargetGoneError,
        patterns.isCircuitOpenError,
      ];
      // Each guard says yes to its own class only.
      expect(errors.map((error) => guards.map((guard) => guard(error)))).toEqual(
        errors.map((_, row) => guards.map((_, column) => row === column)),
      );
      expect(errors.map((error) => isSwitchboardError(error) && error.code)).toEqual([
        'TIMEOUT',
        'NO_HANDLER',
        'REMOTE_ERROR',
        'TARGET_GONE',
        'CIRCUIT_OPEN',
      ]);
    }
  });
});
