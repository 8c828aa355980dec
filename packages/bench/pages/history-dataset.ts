// The scale benchmark's data set, shared by the page that writes it and the runner that checks
// every query's answer against it.

/**
 * Message `i` of `total`, 1 ms apart from `start`, oldest first. The oldest 5% are
 * `legacy.l<k>.<a|b>` (a sparse, old prefix); then `orders.o<k>.<action>` (70%) and
 * `inventory.o<k>.<action>` (30%) for 1,000 entities, so `+.o<k>.#` spans two domains and
 * `orders.#` is dense.
 */
export function messageAt(
  i: number,
  total: number,
  start: number,
): { topic: string; ts: number; payload: { i: number } } {
  const ts = start + i;
  if (i < total * 0.05) return { topic: `legacy.l${i % 200}.${i % 2 === 0 ? 'a' : 'b'}`, ts, payload: { i } };
  const entity = (i * 7) % 1000;
  if (i % 10 < 7) {
    const actions = ['created', 'paid', 'shipped', 'updated', 'cancelled'];
    return { topic: `orders.o${entity}.${actions[i % 5]}`, ts, payload: { i } };
  }
  return { topic: `inventory.o${entity}.${i % 2 === 0 ? 'reserved' : 'released'}`, ts, payload: { i } };
}

/** The scale benchmark's query shapes: pattern and limit. */
export function queryOf(
  shape: 'sparse' | 'entity' | 'dense' | 'plus' | 'replay',
  entity: number,
): { pattern: string; limit: number } {
  switch (shape) {
    case 'sparse':
      return { pattern: 'legacy.#', limit: 100 };
    case 'entity':
      return { pattern: `orders.o${entity}.#`, limit: 100 };
    case 'dense':
      return { pattern: 'orders.#', limit: 100 };
    case 'plus':
      return { pattern: `+.o${entity}.#`, limit: 100 };
    case 'replay':
      return { pattern: 'orders.+.created', limit: 1_000 };
  }
}

/** What a query must return: `payload.i` of the newest `limit` matches, oldest first. */
export function expectedAnswer(total: number, pattern: string, limit: number): number[] {
  const want = pattern.split('.');
  const matches = (topic: string): boolean => {
    const have = topic.split('.');
    for (let k = 0; k < want.length; k++) {
      if (want[k] === '#') return true;
      if (k >= have.length || (want[k] !== '+' && want[k] !== have[k])) return false;
    }
    return have.length === want.length;
  };
  const found: number[] = [];
  for (let i = total - 1; i >= 0 && found.length < limit; i--) if (matches(messageAt(i, total, 0).topic)) found.push(i);
  return found.reverse();
}
