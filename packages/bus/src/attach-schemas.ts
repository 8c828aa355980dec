import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AdapterLink } from './adapter.ts';
import { SwitchboardError } from './errors.ts';
import { SchemaError, type SchemaIssue } from './schema-error.ts';
import type { Message } from './message.ts';
import type { PubSubBus } from './pub-sub-bus.ts';
import type { TopicMap } from './topic-map.ts';
import { headIdOf } from './topic-heads.ts';
import { createPatternIndex, patternsUnderHead, type IndexedPattern, type PatternIndex } from './topic-rules.ts';
import { assertPattern, describeType } from './topic.ts';

/** Payload schemas by topic pattern: any Standard Schema validator (zod, valibot, arktype…). */
export type SchemaMap = { readonly [pattern: string]: StandardSchemaV1 };

/** A pattern as the topics it stands for: `+` and `#` become `${string}`; `a.#` also means `a`. */
type TopicsOfPattern<P extends string> = P extends `${infer Head}.#`
  ? Head | `${SegmentsOf<Head>}.${string}`
  : SegmentsOf<P>;
type SegmentsOf<P extends string> = P extends `${infer Head}.${infer Rest}`
  ? `${Head extends '+' | '#' ? string : Head}.${SegmentsOf<Rest>}`
  : P extends '+' | '#'
    ? string
    : P;

/**
 * The topic map a set of schemas describes, so one declaration gives the runtime checks and the
 * types: each topic's payload is its schema's input type (payloads are checked, not transformed).
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { attachSchemas, type TopicsOf } from '@switchboard/bus/schemas';
 * import * as v from 'valibot';
 * const schemas = { 'orders.placed': v.object({ orderId: v.string() }) };
 * const bus = createPubSub<TopicsOf<typeof schemas>>({ app: 'shell' });
 * attachSchemas(bus, schemas);
 */
export type TopicsOf<S extends SchemaMap> = {
  -readonly [P in keyof S & string as TopicsOfPattern<P>]: StandardSchemaV1.InferInput<S[P]>;
};

/** Counters of {@link attachSchemas}. */
export interface SchemaStats {
  /** Validations run, on payloads published here or arriving from elsewhere (one per matching schema). */
  readonly checked: number;
  /** Publishes refused with a `SchemaError`. */
  readonly refused: number;
  /** Messages from other tabs, frames, the broker or history dropped (and reported). */
  readonly dropped: number;
}

/** What {@link attachSchemas} returns. */
export interface AttachedSchemas {
  stats(): SchemaStats;
  /** Stops checking. */
  detach(): void;
}

/** No schema: what most topics of a bus with a few schemas have. */
const NONE: readonly Entry[] = [];

interface Entry {
  readonly pattern: string;
  /** Called as a method: some libraries read `this` in `validate`. */
  readonly props: StandardSchemaV1['~standard'];
  /** A list of this entry alone: most topics match one schema, and need no list made for them. */
  readonly alone: readonly Entry[];
}

/**
 * Checks payloads against a schema per topic pattern, on the host's bus: at publish (a
 * `SchemaError` naming the topic and the issue's path; nothing is sent) and on every message
 * that comes from elsewhere (other tabs, frames, the broker, history queries and replays): an
 * invalid one never reaches a handler; it is dropped, counted and reported through `onError`.
 * A topic matching several patterns must satisfy each schema. Publish is synchronous, so an
 * async validator is refused here.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { attachSchemas } from '@switchboard/bus/schemas';
 * import * as v from 'valibot';
 * const bus = createPubSub({ app: 'shell' });
 * attachSchemas(bus, { 'orders.placed': v.object({ orderId: v.string(), lines: v.array(v.unknown()) }) });
 * bus.publish('orders.placed', { orderId: 'o1', lines: null }); // throws SCHEMA_INVALID at payload.lines
 */
export function attachSchemas<M extends TopicMap>(bus: PubSubBus<M>, schemas: SchemaMap): AttachedSchemas {
  if (typeof schemas !== 'object' || schemas === null) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `attachSchemas(): expected schemas by topic pattern, got ${describeType(schemas)}.`,
    );
  }
  const entries = Object.entries(schemas).map(([pattern, schema]) => {
    assertPattern(pattern, 'attachSchemas');
    return [pattern, checkSchema(pattern, schema)] as const;
  });
  // Topics carry ids and rarely repeat: an index answers them without reading every character.
  const index = createPatternIndex(entries);
  const counts = { checked: 0, refused: 0, dropped: 0 };
  let link: AdapterLink | undefined;

  const byHeadOnly = headsOnly(index);
  // The schemas of the last topic checked: apps publish the same topics over and over.
  let lastTopic: string | undefined;
  let lastSchemas = NONE;

  /** Every schema whose pattern matches `topic`, found once for a topic published again and again. */
  function schemasOf(topic: string): readonly Entry[] {
    if (byHeadOnly !== undefined) {
      // The head's number is remembered for the topic (a handle's permission check just found
      // it): no compare with the last topic, a call when topics carry ids, and no list to test.
      const id = headIdOf(topic);
      return id >= 0 && id < byHeadOnly.length ? byHeadOnly[id]! : NONE;
    }
    if (topic === lastTopic) return lastSchemas;
    // A topic's first hash is computed on lookup: skip the map when there is nothing in it.
    let found = (index.exact.size > 0 && index.exact.get(topic)) || NONE;
    found = withMatching(found, patternsUnderHead(index, topic), topic);
    lastSchemas = withMatching(found, index.anyHead, topic);
    lastTopic = topic;
    return lastSchemas;
  }

  /**
   * The issues of the first schema `message` breaks, or undefined. Each validator is called here
   * directly, its result read at once, and the count kept once per call: this runs inside every
   * publish, and a helper call and a count per validation measured about half its own cost.
   */
  function problems(message: Message): readonly SchemaIssue[] | undefined {
    const schemas = schemasOf(message.topic);
    for (let i = 0; i < schemas.length; i++) {
      const result = schemas[i]!.props.validate(message.payload) as Partial<StandardSchemaV1.FailureResult> &
        Partial<Promise<unknown>>;
      // Issues first: a valid result is then one more read, and a Promise has neither.
      if (result.issues !== undefined || typeof result.then === 'function') {
        counts.checked += i + 1;
        return issuesOf(
          schemas[i]!,
          result as StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>,
        );
      }
    }
    counts.checked += schemas.length;
    return undefined;
  }

  const detach = bus.attach({
    name: 'schemas',
    connect: (connected) => {
      link = connected;
    },
    check(message) {
      const issues = problems(message);
      if (issues !== undefined) refuse(message, issues);
    },
    admit(message) {
      const issues = problems(message);
      if (issues === undefined) return true;
      counts.dropped++;
      const error = new SchemaError(
        message.topic,
        issues,
        `schemas: message '${message.id}' on '${message.topic}' from app '${message.source}' (tab ${message.origin.tabId}) ` +
          `was dropped: ${describeIssue(issues[0]!)}; its publisher does not follow the topic's schema (an older version of the app, or a stored record).`,
      );
      link?.reportError(error, { kind: 'adapter', adapter: 'schemas', message });
      return false;
    },
    disconnect() {
      link = undefined;
    },
  });

  /** Counts and throws a publish's refusal: out of the check, which stays small enough to inline. */
  function refuse(message: Message, issues: readonly SchemaIssue[]): never {
    counts.refused++;
    throw new SchemaError(
      message.topic,
      issues,
      `publish('${message.topic}'): ${describeIssue(issues[0]!)}; publish a payload that matches the topic's schema.`,
    );
  }
  return { stats: () => ({ ...counts }), detach };
}

function checkSchema(pattern: string, schema: unknown): Entry {
  const props = (schema as Partial<StandardSchemaV1> | undefined)?.['~standard'];
  if (props === undefined || props.version !== 1 || typeof props.validate !== 'function') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `attachSchemas(): the schema of '${pattern}' is not a Standard Schema (v1), got ${describeType(schema)}; pass a zod, valibot or arktype schema.`,
    );
  }
  // Async schemas return a promise even for a value they refuse at once: one probe tells.
  const probe = props.validate(undefined);
  if (isPromise(probe)) {
    probe.then(undefined, () => undefined);
    throw new SwitchboardError(
      'INVALID_OPTION',
      `attachSchemas(): the schema of '${pattern}' is async (its validate returned a Promise); publish is synchronous, so use a synchronous schema (no async refinements).`,
    );
  }
  const alone: Entry[] = [];
  const entry = { pattern, props, alone };
  alone.push(entry);
  return entry;
}

/**
 * Per head number, the schemas of a topic with that head, when every pattern is `head.#` (a
 * schema per domain): a topic's schemas are then its head's. Otherwise undefined.
 */
function headsOnly(index: PatternIndex<Entry>): ReadonlyArray<readonly Entry[]> | undefined {
  if (index.exact.size > 0 || index.anyHead.length > 0) return undefined;
  const byHead: Array<readonly Entry[]> = [];
  for (const list of index.byHead) {
    if (list?.some((indexed) => !indexed.wholeHead)) return undefined;
    // One pattern at most: a head has one `head.#` key.
    byHead.push(list?.[0]?.entry.alone ?? NONE);
  }
  return byHead;
}

/** `found` and the entries of `list` that match `topic`, in order (`found` is copied, not changed). */
function withMatching(
  found: readonly Entry[],
  list: readonly IndexedPattern<Entry>[] | undefined,
  topic: string,
): readonly Entry[] {
  if (list === undefined) return found;
  for (let i = 0; i < list.length; i++) {
    const indexed = list[i]!;
    // A `head.#` pattern filed under the topic's head matches it: no second read of the topic.
    if (indexed.wholeHead || indexed.test(topic)) {
      found = found.length === 0 ? indexed.entry.alone : [...found, indexed.entry];
    }
  }
  return found;
}

function issuesOf(
  entry: Entry,
  result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>,
): readonly SchemaIssue[] {
  if (isPromise(result)) {
    // Swallowing the promise's outcome is deliberate: the message is judged invalid now.
    result.then(undefined, () => undefined);
    return [{ path: 'payload', message: `the schema of '${entry.pattern}' is async; use a synchronous one` }];
  }
  return result.issues!.map(readIssue);
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function';
}

function readIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  let path = 'payload';
  for (const part of issue.path ?? []) {
    const key = typeof part === 'object' && part !== null ? part.key : part;
    path += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return { path, message: issue.message };
}

function describeIssue(issue: SchemaIssue): string {
  return `${issue.path}: ${issue.message}`;
}
