import { topicMatches } from '@switchboard/bus';

/**
 * Whether a stored topic matches a subscription pattern, exactly as `bus.subscribe` decides
 * (`#` and a leading `+` never reach `$sys.` topics). Every topic test of the history (queries,
 * replays, the skip scan) goes through here, so the rule lives in the bus alone.
 */
export function patternMatcher(pattern: string): (topic: string) => boolean {
  return (topic) => topicMatches(pattern, topic);
}
