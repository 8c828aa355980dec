import { covers, createTopicRules, overlaps, type Reach } from './topic-rules.ts';

/**
 * What an app, or a helper acting for it, may publish or receive: topic patterns it is allowed,
 * and families of system topics that a manifest rule governs instead (`$sys.rpc.request.#` is
 * decided by `rpc.call`, whatever else the namespace allows).
 */
export interface TopicPolicy {
  /** True when `topic` is allowed. */
  allows(topic: string): boolean;
  /** How much of what `pattern` matches is allowed; `'some'` means deliveries must be filtered. */
  reach(pattern: string): Reach;
  /** The rule that decides `subject` (a topic or pattern), for errors: `subscribe ['orders.#']`. */
  ruleFor(subject: string): string;
}

/** A family of system topics decided by one manifest rule. */
export interface GovernedFamily {
  /** The family, as a pattern: `$sys.rpc.request.#`. */
  readonly family: string;
  /** The manifest rule, as written in errors: `rpc.call ['inventory.#']`. */
  readonly rule: string;
  /** What the rule allows inside the family. */
  readonly allowed: readonly string[];
}

/** A policy allowing `allowed` (described as `rule`), except where a governed family decides. */
export function createTopicPolicy(
  allowed: readonly string[],
  rule: string,
  governed: readonly GovernedFamily[] = [],
): TopicPolicy {
  const rules = createTopicRules(allowed);
  const families = governed.map((entry) => ({
    segments: entry.family.split('.'),
    family: createTopicRules([entry.family]),
    allowed: createTopicRules(entry.allowed),
    rule: entry.rule,
  }));
  return {
    // App rules govern no family: their check is the rules' own, one call less per publish.
    allows:
      families.length === 0
        ? rules.matches
        : (topic) => {
            for (const entry of families) if (entry.family.matches(topic)) return entry.allowed.matches(topic);
            return rules.matches(topic);
          },
    reach(pattern) {
      if (families.length === 0) return rules.reach(pattern);
      const inner = pattern.split('.');
      const touched = families.filter((entry) => overlaps(entry.segments, inner));
      if (touched.length === 0) return rules.reach(pattern);
      const within = touched.find((entry) => covers(entry.segments, inner));
      if (within) return within.allowed.reach(pattern);
      // Partly governed, partly not: never all of it, so deliveries are checked one by one.
      return rules.reach(pattern) !== 'none' || touched.some((entry) => entry.allowed.reach(pattern) !== 'none')
        ? 'some'
        : 'none';
    },
    ruleFor(subject) {
      const inner = subject.split('.');
      return families.find((entry) => covers(entry.segments, inner))?.rule ?? rule;
    },
  };
}

/** Formats a rule for messages: `publish ['orders.#', 'cart.#']`. */
export function describeRule(name: string, patterns: readonly string[] | undefined): string {
  return `${name} [${(patterns ?? []).map((pattern) => `'${pattern}'`).join(', ')}]`;
}
