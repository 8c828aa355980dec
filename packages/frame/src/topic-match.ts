/**
 * True when `topic` matches `pattern` (`+` one segment, `#` the rest), as the bus matches them:
 * a leading wildcard never matches a `$`-topic. For the few patterns of a relay, where a trie
 * would cost more than it saves.
 */
export function topicMatches(pattern: string, topic: string): boolean {
  const want = pattern.split('.');
  const have = topic.split('.');
  if (topic.charCodeAt(0) === 36 && (want[0] === '+' || want[0] === '#')) return false;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === '#') return true;
    if (i >= have.length) return false;
    if (segment !== '+' && segment !== have[i]) return false;
  }
  return want.length === have.length;
}

/** True when any of `patterns` matches `topic`. */
export function anyMatches(patterns: readonly string[], topic: string): boolean {
  for (const pattern of patterns) if (topicMatches(pattern, topic)) return true;
  return false;
}
