import { SwitchboardError, type Clock } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { isSupported, openBroadcastChannel, type ChannelFactory } from './channel.ts';
import {
  platformLocks,
  resolveLeaderElection,
  type LeaderElectionMode,
  type LockManagerLike,
} from './leader-election.ts';
import { pageLifecycleTarget, type LifecycleTarget } from './page-lifecycle.ts';

/** Options of {@link attachCrossTab}. */
export interface CrossTabOptions {
  /**
   * Name of the BroadcastChannel. Buses on different channels never hear each other.
   * @default 'switchboard'
   */
  channel?: string;
  /** Opens the channel; pass `createMemoryChannelHub().create` in unit tests. @default BroadcastChannel */
  channelFactory?: ChannelFactory;
  /**
   * Largest estimated size (payload plus meta, about its JSON length) of a message; a larger one
   * is refused at `publish` with a `PAYLOAD_TOO_LARGE` error.
   * @default 1048576 (1 MiB)
   */
  maxPayloadBytes?: number;
  /** Time source for heartbeats and timeouts. @default systemClock */
  clock?: Clock;
  /**
   * How often this tab says it is alive.
   * @default 1000
   */
  heartbeatMs?: number;
  /**
   * A visible tab not heard from for this long is gone (`$sys.tab.left`, reason `'timeout'`).
   * @default 5000
   */
  tabTimeoutMs?: number;
  /**
   * The same for a hidden tab, whose timers the browser may slow to one per minute.
   * @default 75000
   */
  hiddenTabTimeoutMs?: number;
  /**
   * `locks` uses Web Locks, `heartbeat` the oldest live tab, `auto` locks where available.
   * @default 'auto'
   */
  leaderElection?: LeaderElectionMode;
  /** Web Locks implementation. @default navigator.locks */
  locks?: LockManagerLike;
  /** Where `pagehide`/`pageshow`/`visibilitychange` are heard. @default window (when present) */
  lifecycle?: LifecycleTarget;
}

/** {@link CrossTabOptions} with defaults applied and platform APIs looked up. */
export interface ResolvedCrossTabOptions {
  readonly channelName: string;
  /** Undefined where BroadcastChannel is missing and none was given: messages stay in the tab. */
  readonly channelFactory: ChannelFactory | undefined;
  readonly clock: Clock;
  readonly maxPayloadBytes: number;
  readonly heartbeatMs: number;
  readonly tabTimeoutMs: number;
  readonly hiddenTabTimeoutMs: number;
  readonly locks: LockManagerLike | undefined;
  readonly leaderElection: 'locks' | 'heartbeat';
  readonly lifecycle: LifecycleTarget | undefined;
}

/** Applies defaults, checks numbers, and reads the platform (lazily: at attach, never at load). */
export function resolveCrossTabOptions(options: CrossTabOptions): ResolvedCrossTabOptions {
  const tabTimeoutMs = positive(options.tabTimeoutMs, 5000, 'tabTimeoutMs');
  const locks = options.locks ?? platformLocks();
  return {
    channelName: options.channel ?? 'switchboard',
    channelFactory: options.channelFactory ?? (isSupported() ? openBroadcastChannel : undefined),
    clock: options.clock ?? systemClock,
    maxPayloadBytes: positive(options.maxPayloadBytes, 1024 * 1024, 'maxPayloadBytes'),
    heartbeatMs: positive(options.heartbeatMs, 1000, 'heartbeatMs'),
    tabTimeoutMs,
    hiddenTabTimeoutMs: Math.max(tabTimeoutMs, positive(options.hiddenTabTimeoutMs, 75_000, 'hiddenTabTimeoutMs')),
    locks,
    leaderElection: resolveLeaderElection(options.leaderElection ?? 'auto', locks),
    lifecycle: options.lifecycle ?? pageLifecycleTarget(),
  };
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `attachCrossTab(): options.${option} must be a positive number of ${option.endsWith('Bytes') ? 'bytes' : 'milliseconds'}, got ${String(value)}.`,
    );
  }
  return value;
}
