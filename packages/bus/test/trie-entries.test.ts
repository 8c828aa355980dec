import { describe, expect, it } from 'vitest';
import { isSwitchboardError } from '../src/index.ts';
import { assertPattern } from '../src/internal.ts';
import { createTopicTrie } from '../src/topic-trie.ts';
import { addEntry, removeEntry, UNCHECKED } from '../src/trie-entries.ts';

function accepted(pattern: string): boolean {
  try {
    assertPattern(pattern);
    return true;
  } catch (error) {
    expect(isSwitchboardError(error, 'INVALID_PATTERN')).toBe(true);
    return false;
  }
}

describe('trie entries', () => {
  it('checks patterns as it follows them, agreeing with assertPattern, and leaves nothing of one it refuses', () => {
    let seed = 5;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const parts = ['a', 'bb', '+', '#', '', 'x y', 'é', '$sys', 'k:1-_', 'abcdefghij', '.', '+#'];
    const trie = createTopicTrie<string, string>(0);
    addEntry(trie, 'keep.+', 'kept', 'kept', false);
    const nodes = trie.nodeCount - trie.freeNodes.length;
    const edges = trie.edges.size;
    for (let step = 0; step < 3000; step++) {
      const pattern = Array.from({ length: 1 + random(4) }, () => parts[random(parts.length)]).join(
        random(5) === 0 ? '' : '.',
      );
      const node = addEntry(trie, pattern, 'e', 't', false);
      if (node === UNCHECKED) {
        // Not plain: a mistake, or a `$sys` pattern the detailed check lets through.
        expect(trie.nodeCount - trie.freeNodes.length, pattern).toBe(nodes);
        expect(trie.edges.size, pattern).toBe(edges);
        if (accepted(pattern)) expect(pattern.startsWith('$sys'), pattern).toBe(true);
      } else {
        expect(accepted(pattern), pattern).toBe(true);
        expect(removeEntry(trie, pattern, 't', node)).toBe(true);
      }
    }
    for (const pattern of ['x'.repeat(257), Array(33).fill('s').join('.')]) {
      expect(addEntry(trie, pattern, 'e', 't', false)).toBe(UNCHECKED);
    }
    expect(addEntry(trie, Array(32).fill('s').join('.'), 'e', 't', false)).toBeGreaterThan(0);
  });

  it('gives back the nodes and edges of patterns made per request once they are removed', () => {
    const trie = createTopicTrie<string, number>(0);
    addEntry(trie, 'orders.+.created', 'resident', -1, false);
    const nodes = trie.nodeCount - trie.freeNodes.length;
    const edges = trie.edges.size;
    const slots = trie.edges.slots.length;
    for (let round = 0; round < 3; round++) {
      const made = Array.from({ length: 2000 }, (_, i) => {
        const pattern = `rpc.reply.${round}-${i}-0123456789abcdef`;
        return { pattern, token: i, node: addEntry(trie, pattern, 'reply', i, false) };
      });
      expect(trie.edges.size).toBe(edges + 2 + 2000);
      for (const { pattern, token, node } of made) expect(removeEntry(trie, pattern, token, node)).toBe(true);
      expect(trie.nodeCount - trie.freeNodes.length).toBe(nodes);
      expect(trie.edges.size).toBe(edges);
      expect(trie.labels.filter((label) => label !== undefined)).toEqual([]);
    }
    // Node numbers are reused, so the node arrays stop growing after the first round.
    expect(trie.nodeCount).toBeLessThanOrEqual(nodes + 2002);
    expect(trie.edges.slots.length).toBe(slots);
  });
});
