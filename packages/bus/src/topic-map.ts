/**
 * Type-level topic matching: with a topic -> payload map, `publish` checks payloads and
 * `subscribe` gives handlers the payload types of every topic its pattern can match.
 */

/**
 * A topic -> payload map, the type parameter of `createPubSub`: a type alias or an interface.
 * Its values are `any` because only an index signature of `any` accepts an interface (which has
 * none of its own); the map's own types are what `publish` and `subscribe` read.
 */
export type TopicMap = Record<string, any>;

/** The map of a bus created without one: any topic, any payload. */
export type AnyTopicMap = Record<string, any>;

/** True when topic `K` matches pattern `P` (`+` one segment, `#` zero or more trailing ones). */
export type MatchesPattern<K extends string, P extends string> = P extends '#'
  ? true
  : P extends `${infer PHead}.${infer PRest}`
    ? K extends `${infer KHead}.${infer KRest}`
      ? PHead extends '+'
        ? MatchesPattern<KRest, PRest>
        : KHead extends PHead
          ? MatchesPattern<KRest, PRest>
          : false
      : PRest extends '#'
        ? PHead extends '+'
          ? true
          : K extends PHead
            ? true
            : false
        : false
    : K extends `${string}.${string}`
      ? false
      : P extends '+'
        ? true
        : K extends P
          ? true
          : false;

/** The topics of `M` that pattern `P` matches. */
export type TopicsMatching<M extends TopicMap, P extends string> = {
  [K in keyof M & string]: MatchesPattern<K, P> extends true ? K : never;
}[keyof M & string];

/**
 * The payload a handler of pattern `P` receives: the union of the payloads of matching topics,
 * or the map's value type when the map has an index signature (an untyped bus).
 */
export type PayloadOf<M extends TopicMap, P extends string> = string extends keyof M
  ? M[keyof M]
  : M[TopicsMatching<M, P>];
