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

/**
 * A workload whose hits per topic stay about the same at every size: `domains` grows with the
 * number of subscriptions (one domain per 100), so the domain-wide patterns (`d.#`, `d.+.a`,
 * `d.+.a.#`), which make nearly all hits, are spread over proportionally more domains. Names
 * past the first ten repeat them with a number (`orders7`).
 */
export interface ScaledWorkload {
  readonly topics: string[];
  readonly patterns: string[];
}

function scaledDomain(random: () => number, domains: number): string {
  const k = Math.floor(random() * domains);
  return k < DOMAINS.length ? DOMAINS[k]! : `${DOMAINS[k % DOMAINS.length]}${Math.floor(k / DOMAINS.length)}`;
}

function scaledTopic(random: () => number, domains: number): string {
  const base = `${scaledDomain(random, domains)}.${id(random)}.${pick(random, ACTIONS)}`;
  return random() < 0.5 ? base : `${base}.${pick(random, DETAILS)}`;
}

/** `subscriptions` patterns in {@link createPatterns}' mix and `topics` topics, over `subscriptions / 100` domains. */
export function createScaledWorkload(subscriptions: number, topics: number, seed = 3): ScaledWorkload {
  const domains = Math.max(1, Math.round(subscriptions / 100));
  const random = createRandom(seed);
  const mix: Array<[share: number, make: () => string]> = [
    [0.5, () => scaledTopic(random, domains)],
    [
      0.2,
      () => {
        const pattern = `${scaledDomain(random, domains)}.+.${pick(random, ACTIONS)}`;
        return random() < 0.5 ? pattern : `${pattern}.${pick(random, DETAILS)}`;
      },
    ],
    [0.1, () => `${scaledDomain(random, domains)}.${id(random)}.+`],
    [0.1, () => `${scaledDomain(random, domains)}.${id(random)}.#`],
    [0.05, () => `${scaledDomain(random, domains)}.#`],
    [0.05, () => `${scaledDomain(random, domains)}.+.${pick(random, ACTIONS)}.#`],
  ];
  const patterns: string[] = [];
  for (const [share, make] of mix) {
    const n = Math.round(share * subscriptions);
    for (let i = 0; i < n; i++) patterns.push(make());
  }
  shuffle(random, patterns);
  const list = new Array<string>(topics);
  for (let i = 0; i < topics; i++) list[i] = scaledTopic(random, domains);
  return { topics: list, patterns };
}

function shuffle<T>(random: () => number, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** Segments of a deep topic after its domain: a few words per position, so patterns share prefixes. */
const DEEP_WORDS = ['a', 'b', 'c', 'd'];

function deepTopic(random: () => number, domains: number, depth: number): string {
  const parts = [scaledDomain(random, domains)];
  for (let i = 1; i < depth; i++) parts.push(`${pick(random, DEEP_WORDS)}${i}`);
  return parts.join('.');
}

/**
 * Topics and patterns `depth` segments deep (32 is the most a topic may have), in the same shares
 * as {@link createPatterns}: exact topics; a `+` in the second segment; a `+` last; a `#` after a
 * random prefix; `d.#`; `d.+.…` ending in `#` half-way down. One domain per 100 subscriptions keeps
 * hits per topic about as in {@link createScaledWorkload}.
 */
export function createDeepWorkload(subscriptions: number, topics: number, depth: number, seed = 5): ScaledWorkload {
  const domains = Math.max(1, Math.round(subscriptions / 100));
  const random = createRandom(seed);
  const topic = () => deepTopic(random, domains, depth);
  const mix: Array<[share: number, make: () => string]> = [
    [0.5, topic],
    [0.2, () => topic().replace(/^([^.]+)\.[^.]+/, '$1.+')],
    [0.1, () => topic().replace(/[^.]+$/, '+')],
    [
      0.1,
      () =>
        `${topic()
          .split('.')
          .slice(0, 2 + Math.floor(random() * (depth - 2)))
          .join('.')}.#`,
    ],
    [0.05, () => `${scaledDomain(random, domains)}.#`],
    [
      0.05,
      () =>
        `${scaledDomain(random, domains)}.+.${topic()
          .split('.')
          .slice(2, depth / 2)
          .join('.')}.#`,
    ],
  ];
  const patterns: string[] = [];
  for (const [share, make] of mix) {
    const n = Math.round(share * subscriptions);
    for (let i = 0; i < n; i++) patterns.push(make());
  }
  shuffle(random, patterns);
  const list = new Array<string>(topics);
  for (let i = 0; i < topics; i++) list[i] = topic();
  return { topics: list, patterns };
}
