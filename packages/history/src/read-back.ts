import type { Message } from '@switchboard/bus';

/** What a message read back from storage must satisfy to be returned or replayed. */
export interface ReadRule {
  /** True for a topic the query's pattern matches. */
  readonly matches: (topic: string) => boolean;
  /** Lowest `ts` admitted. */
  readonly from: number;
  /** When true, `ts === from` is excluded too (the expiry cutoff is itself expired). */
  readonly fromExclusive: boolean;
  /** Highest `ts` admitted (inclusive). */
  readonly to: number;
}

/**
 * The one gate of the read path: every message read back from storage (queries, replays,
 * `rebuild`) and every not-yet-stored message a replay merges in passes here, before `limit` is
 * applied. Expiry and time bounds are checked again (key ranges are only as exact as the layout),
 * then the pattern. Per-app read filters and schema checks on stored messages belong here.
 */
export function admitStored(message: Message, rule: ReadRule): boolean {
  const { ts } = message;
  if (ts > rule.to || ts < rule.from || (rule.fromExclusive && ts === rule.from)) return false;
  return rule.matches(message.topic);
}
