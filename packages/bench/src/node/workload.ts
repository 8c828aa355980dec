/**
 * The routing workload of issue 2: topics `domain.id.action[.detail]` (10 domains x 1,000 ids x 8
 * actions, half of them with one of 4 details) and subscriptions in the mix. Everything is
 * drawn from a seeded generator, so every run and every contender sees the same workload.
 */

const DOMAINS = ['orders', 'inventory', 'cart', 'users', 'billing', 'shipping', 'catalog', 'search', 'auth', 'notify'];
const IDS = 1_000;
const ACTIONS = ['created', 'updated', 'deleted', 'viewed', 'shipped', 'paid', 'failed', 'synced'];
const DETAILS = ['start', 'progress', 'done', 'error'];

/** Deterministic PRNG (mulberry32): the same seed gives the same workload on every machine. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function domain(random: () => number): string {
  return pick(random, DOMAINS);
}

function id(random: () => number): string {
  return `id${Math.floor(random() * IDS)}`;
}

/** One topic of the workload: three segments, or four (one of 4 details) half of the time. */
function randomTopic(random: () => number): string {
  const base = `${domain(random)}.${id(random)}.${pick(random, ACTIONS)}`;
  return random() < 0.5 ? base : `${base}.${pick(random, DETAILS)}`;
}

/** `count` topics of the workload, built before timing so no contender pays for the strings. */
export function createTopics(count: number, seed = 1): string[] {
  const random = createRandom(seed);
  const topics = new Array<string>(count);
  for (let i = 0; i < count; i++) topics[i] = randomTopic(random);
  return topics;
}

/**
 * `count` subscription patterns in the mix: 50% exact topics, 20% `d.+.a` / `d.+.a.x`,
 * 10% `d.id.+`, 10% `d.id.#`, 5% `d.#`, 5% `d.+.a.#`.
 */
export function createPatterns(count: number, seed = 2): string[] {
  const random = createRandom(seed);
  const mix: Array<[share: number, make: () => string]> = [
    [0.5, () => randomTopic(random)],
    [
      0.2,
      () => {
        const pattern = `${domain(random)}.+.${pick(random, ACTIONS)}`;
        return random() < 0.5 ? pattern : `${pattern}.${pick(random, DETAILS)}`;
      },
    ],
    [0.1, () => `${domain(random)}.${id(random)}.+`],
    [0.1, () => `${domain(random)}.${id(random)}.#`],
    [0.05, () => `${domain(random)}.#`],
    [0.05, () => `${domain(random)}.+.${pick(random, ACTIONS)}.#`],
  ];
  const patterns: string[] = [];
  for (const [share, make] of mix) {
    const n = Math.round(share * count);
    for (let i = 0; i < n; i++) patterns.push(make());
  }
  // Subscriptions arrive in no particular order in an app; shuffle so no kind is added first.
  for (let i = patterns.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [patterns[i], patterns[j]] = [patterns[j]!, patterns[i]!];
  }
  return patterns;
}
