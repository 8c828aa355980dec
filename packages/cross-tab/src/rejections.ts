import type { IgnoredReason } from './envelope.ts';
import { EnvelopeError } from './errors.ts';

/** Counts what a shared channel refused to read, and reports it, one report per heartbeat at most. */
export interface Rejections {
  /** An envelope ignored for `reason`. */
  ignore(reason: IgnoredReason): void;
  /** Messages dropped from an otherwise valid batch. */
  drop(count: number): void;
  /** Reports what was refused since the last report, if anything worth it (called every heartbeat). */
  report(): void;
  /** Envelopes ignored so far, by reason. */
  counts(): Record<IgnoredReason, number>;
}

/** Creates the counters of the shared channel named `channel`. */
export function createRejections(channel: string, report: (error: EnvelopeError) => void): Rejections {
  const totals: Record<IgnoredReason, number> = {
    foreign: 0,
    malformed: 0,
    futureVersion: 0,
    duplicate: 0,
    own: 0,
    forged: 0,
  };
  let pending: Record<string, number> = {};
  let any = false;

  return {
    ignore(reason) {
      totals[reason]++;
      // Foreign data (another library's traffic on the name) and this channel's own posts are only
      // counted; the rest no tab of this version causes: something is broken or forged, or newer.
      if (reason === 'foreign' || reason === 'own') return;
      pending[reason] = (pending[reason] ?? 0) + 1;
      any = true;
    },
    drop(count) {
      pending.droppedMessages = (pending.droppedMessages ?? 0) + count;
      any = true;
    },
    report() {
      if (!any) return;
      const counts = pending;
      pending = {};
      any = false;
      const list = Object.entries(counts)
        .map(([reason, count]) => `${reason}: ${count}`)
        .join(', ');
      report(
        new EnvelopeError(
          channel,
          counts,
          `cross-tab('${channel}'): ignored untrusted data on the channel (${list}); another script posts on it or a tab runs another version. Use a channel name of your own or align the versions.`,
        ),
      );
    },
    counts: () => ({ ...totals }),
  };
}
