import { insert, remove } from './int-table.ts';
import { forgetTopic } from './topic-cache.ts';
import { writeKey } from './topic-reading.ts';
import { childOf, newNode, NONE, reshape, ROOT, type Lists, type Pairs, type TopicTrie } from './topic-trie.ts';
import type { TopicMatcher } from './matcher.ts';
import { MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SEGMENT_CHARACTERS } from './topic.ts';

/**
 * Adding and removing the entries of a {@link TopicTrie} (see {@link TopicMatcher.add} and
 * {@link TopicMatcher.remove} for what they promise): following a pattern, checking it on the way,
 * making and pruning nodes, and forgetting the cached answers a change can alter.
 */

/**
 * A pattern gained its list: the answers of the topics it matches change. An exact pattern
 * matches one topic; a wildcard, those that start with its first segment, or any topic.
 * (A list that empties makes no answer wrong: one that still holds it delivers nothing from it.)
 */
function listAdded<E, T>(trie: TopicTrie<E, T>, pattern: string): void {
  trie.lastTopic = undefined;
  trie.listsAdded++;
  if (!endsWithHash(pattern) && !pattern.includes('+')) forgetTopic(trie.cache, pattern);
  else if (trie.first === NONE) trie.wildcardChanges++;
  else trie.generations[trie.first]!++;
}

/** What {@link follow} returns for a pattern it cannot take without the detailed check. */
export const UNCHECKED = -2;

/**
 * Follows `pattern` from the root, segment by segment (a trailing `#` names no node); returns the
 * last node, or NONE when one is missing. With `make`, makes the missing nodes. Unless `checked`,
 * it checks the pattern on the way: when it is not plain (segments of letters, digits, `_`, `-`
 * and `:`, or a whole `+`, or a whole `#` at the end), it undoes what it made and returns
 * UNCHECKED, and the caller checks it in detail (`assertPattern`, which names the rule, and lets
 * `$sys` patterns through).
 */
function follow<E, T>(trie: TopicTrie<E, T>, pattern: string, make: boolean, checked: boolean): number {
  const allowed = SEGMENT_CHARACTERS;
  const { key } = trie;
  const length = pattern.length;
  if (!checked && (length === 0 || length > MAX_TOPIC_LENGTH)) return UNCHECKED;
  let node = ROOT;
  let made = false;
  trie.first = NONE;
  for (let start = 0, depth = 1; ; depth++) {
    // The segment's last 8 character codes (see `TopicReading`), and what is odd in it: 1 for a
    // character a segment may not hold, 2 for one beyond ASCII.
    let low = 0;
    let high = 0;
    let odd = 0;
    let end = start;
    for (; end < length; end++) {
      const code = pattern.charCodeAt(end);
      if (code === 46 /* . */) break;
      high = (high << 8) | (low >>> 24);
      low = (low << 8) | code;
      if (code >= 128 || allowed[code] === 0) odd |= code >= 128 ? 3 : 1;
    }
    const last = end === length;
    const single = end - start === 1 ? low : 0;
    const wildcard = single === 43; /* + */
    if (
      !checked &&
      (end === start || depth > MAX_TOPIC_DEPTH || (odd !== 0 && !wildcard && (single !== 35 || !last)))
    ) {
      if (made) prune(trie, node);
      return UNCHECKED;
    }
    if (single === 35 /* # */ && last) return node;
    let next: number;
    if (wildcard) next = trie.plus[node]!;
    else {
      writeKey(pattern, start, end, low, high, odd >> 1, key, 0);
      next = childOf(trie, node, key[0]!, key[1]!, pattern, start, end);
    }
    if (next <= ROOT) {
      if (!make) return NONE;
      next = newNode(trie, node);
      made = true;
      if (wildcard) trie.plus[node] = next;
      else {
        trie.keys[2 * next] = key[0]!;
        trie.keys[2 * next + 1] = key[1]!;
        if (key[1]! < 0) {
          trie.labels[next] = pattern;
          trie.labelStarts[next] = start;
        }
        insert(trie.edges, node + 1, key[0]!, key[1]!, next);
        trie.literalChildren[node]!++;
      }
      reshape(trie, node);
    }
    if (node === ROOT && !wildcard) trie.first = next;
    node = next;
    if (last) return node;
    start = end + 1;
  }
}

/** Takes away `node` and its ancestors while they hold nothing (no list, no child). */
function prune<E, T>(trie: TopicTrie<E, T>, node: number): void {
  for (let child = node; child !== ROOT && trie.shapes[child] === 0; ) {
    const parent = trie.parents[child]!;
    if (trie.plus[parent] === child) trie.plus[parent] = 0;
    else {
      remove(trie.edges, parent + 1, trie.keys[2 * child]!, trie.keys[2 * child + 1]!, child);
      trie.labels[child] = undefined;
      trie.literalChildren[parent]!--;
    }
    reshape(trie, parent);
    // Answers cached under it must not pass for those of the node that reuses its number.
    trie.generations[child]!++;
    trie.freeNodes.push(child);
    child = parent;
  }
}

function endsWithHash(pattern: string): boolean {
  return pattern.charCodeAt(pattern.length - 1) === 35 /* # */;
}

function listsOf<E, T>(trie: TopicTrie<E, T>, pattern: string): Lists<E, T> {
  return endsWithHash(pattern) ? trie.hash : trie.exact;
}

/**
 * {@link TopicMatcher.add}: stores `entry` with `token` after the pattern's other entries;
 * returns the node of its list (its owner may keep it, to remove the entry later without a walk),
 * or UNCHECKED, having stored nothing, for a pattern that needs the detailed check first (see
 * {@link follow}); once that passed, `checked` stores it.
 */
export function addEntry<E, T>(trie: TopicTrie<E, T>, pattern: string, entry: E, token: T, checked: boolean): number {
  const node = follow(trie, pattern, true, checked);
  if (node === UNCHECKED) return node;
  const lists = listsOf(trie, pattern);
  const list = lists[node];
  trie.size++;
  if (list !== undefined) {
    list.push(entry, token);
    return node;
  }
  lists[node] = [entry, token]; // exactly its size: most patterns have one subscriber
  reshape(trie, node);
  listAdded(trie, pattern);
  return node;
}

/** The node of `pattern`'s list (see {@link addEntry}), or NONE when no entry has that pattern. */
export function nodeOf<E, T>(trie: TopicTrie<E, T>, pattern: string): number {
  const node = follow(trie, pattern, false, true);
  return node >= 0 && listsOf(trie, pattern)[node] !== undefined ? node : NONE;
}

/** The list of `pattern` at its `node` (see {@link nodeOf}); change it only through this module. */
export function listAt<E, T>(trie: TopicTrie<E, T>, pattern: string, node: number): Pairs<E, T> {
  return listsOf(trie, pattern)[node]!;
}

/** Where `token` is in `list` (the last time: the entries removed soonest are mostly the newest), or -1. */
export function tokenIndex<E, T>(list: Pairs<E, T>, token: T): number {
  for (let i = list.length - 1; i > 0; i -= 2) if (list[i] === token) return i;
  return -1;
}

/**
 * Removes the entry of `token` from the list of `pattern` at `node`; once the list is empty,
 * prunes the nodes no pattern needs anymore, so patterns made per request (RPC reply topics) do
 * not leave them behind. False when the token was not there.
 */
export function removeEntry<E, T>(trie: TopicTrie<E, T>, pattern: string, token: T, node: number): boolean {
  const lists = listsOf(trie, pattern);
  const list = lists[node]!;
  const index = tokenIndex(list, token);
  if (index < 0) return false;
  if (index === list.length - 1) list.length -= 2;
  else list.splice(index - 1, 2);
  trie.size--;
  if (list.length > 0) return true;
  lists[node] = undefined;
  reshape(trie, node);
  trie.lastTopic = undefined;
  prune(trie, node);
  return true;
}

/** Calls `visit` with every list. */
export function forEachList<E, T>(trie: TopicTrie<E, T>, visit: (list: Pairs<E, T>) => void): void {
  for (const lists of [trie.exact, trie.hash]) for (const list of lists) if (list !== undefined) visit(list);
}
