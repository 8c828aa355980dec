import type { Message } from '../message.ts';
import type { TopicMap, TopicsMatching } from '../topic-map.ts';
import { invalidMaxTopics } from './binding-errors.ts';

/** The latest message of each topic, by topic. */
// biome-ignore lint/suspicious/noExplicitAny: untyped, payloads are what the caller expects; createHooks<Topics>() and createComposables<Topics>() type them.
export type MessagesByTopic = Readonly<Record<string, Message<any>>>;

/** The latest message of each topic of `M` that pattern `P` matches, by topic. */
export type TypedMessagesByTopic<M extends TopicMap, P extends string> = string extends keyof M
  ? MessagesByTopic
  : { readonly [K in TopicsMatching<M, P>]?: Message<M[K]> };

/** The value before any message: one frozen object, so it can stand as a server snapshot too. */
export const NO_MESSAGES: MessagesByTopic = Object.freeze({});

/** How `useRetained` folds messages into a {@link MessagesByTopic}. */
export interface MessagesByTopicFold {
  /** The value before any message; forgets the topics seen (for a new pattern). */
  initial(): MessagesByTopic;
  /** The value after `message`, or `state` itself when the message changes nothing. */
  reduce(state: MessagesByTopic, message: Message): MessagesByTopic;
}

/**
 * The fold of `useRetained`: the newest message per topic, dropping the topic updated longest ago
 * past `maxTopics` (a pattern with ids in it can match without end). One fold serves one state:
 * it remembers the order the topics were updated in. Throws when `maxTopics` is not a positive
 * integer, naming `pattern`.
 */
export function messagesByTopic(pattern: string, maxTopics: number = 1000): MessagesByTopicFold {
  if (!Number.isInteger(maxTopics) || maxTopics < 1) throw invalidMaxTopics(pattern, maxTopics);
  // Object keys keep insertion order except for numeric ones ('42' is a topic): order apart.
  const updated = new Set<string>();
  return {
    initial() {
      updated.clear();
      return NO_MESSAGES;
    },
    reduce(state, message) {
      const { topic } = message;
      if (state[topic]?.id === message.id) return state;
      const next: Record<string, Message> = { ...state, [topic]: message };
      updated.delete(topic);
      updated.add(topic);
      if (updated.size > maxTopics) {
        const oldest = updated.values().next().value!;
        updated.delete(oldest);
        delete next[oldest];
      }
      return next;
    },
  };
}
