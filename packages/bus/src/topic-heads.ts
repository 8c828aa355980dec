/**
 * The first segments ("heads") of the wildcard patterns that permission rules and schemas file
 * their patterns under, numbered once for the whole realm. A topic's head is found once and
 * remembered for that topic, so a handle's publish check and the schema check that follows it
 * on the same topic find it once between them: finding it reads the topic's characters, the
 * second lookup is a compare.
 *
 * Heads come from manifests and schema maps, which name a handful of domains: they are kept for
 * the realm's lifetime, like the code that declares them.
 */

/** Every head, at its number. */
const heads: string[] = [];
/** The numbers of the heads by the char code of their first character: finding a topic's costs no substring. */
const byCode: Array<number[] | undefined> = [];
/** The topic whose head was found last, and the head's number (-1: none). */
let lastTopic: string | undefined;
let lastId = -1;

/** The number of `head` (a literal first segment), numbering it if it is new. */
export function headId(head: string): number {
  let id = heads.indexOf(head);
  if (id < 0) {
    id = heads.push(head) - 1;
    const code = head.charCodeAt(0);
    const ids = byCode[code] ?? [];
    byCode[code] = ids;
    ids.push(id);
    // A topic remembered without a head may have this one.
    lastTopic = undefined;
  }
  return id;
}

/** The number of `topic`'s first segment, or -1 when no pattern starts with it. */
export function headIdOf(topic: string): number {
  if (topic === lastTopic) return lastId;
  let id = -1;
  const ids = byCode[topic.charCodeAt(0)];
  if (ids !== undefined) {
    for (let i = 0; i < ids.length; i++) {
      const head = heads[ids[i]!]!;
      const length = head.length;
      // The character after the head must end the segment: cheap, and it rules out most others.
      if ((topic.length === length || topic.charCodeAt(length) === 46) /* . */ && topic.startsWith(head)) {
        id = ids[i]!;
        break;
      }
    }
  }
  lastTopic = topic;
  lastId = id;
  return id;
}
