/** Keys remembered per function; a stream repeats a few topics (and tab ids), so working each out once is enough. */
const REMEMBERED_TOPICS = 1024;

/**
 * `work` with its results remembered per topic (or other key: a tab id), `undefined` ones too. Bounded: all forgotten at
 * once when full, so a stream of ever-new topics (reply topics with ids) costs no memory.
 */
export function remembered<T>(work: (topic: string) => T): (topic: string) => T {
  const cache = new Map<string, T>();
  return (topic) => {
    const found = cache.get(topic);
    if (found !== undefined || cache.has(topic)) return found as T;
    const result = work(topic);
    if (cache.size >= REMEMBERED_TOPICS) cache.clear();
    cache.set(topic, result);
    return result;
  };
}
