import { describe, expect, it } from 'vitest';
import { createCausationMemory, depthOf, rememberOther, rememberOwn } from '../src/causation-memory.ts';
import { createIdFormatter, nextId } from '../src/message-id.ts';

describe('causation memory', () => {
  it('finds the depth of its own recent messages by id, and forgets the older ones', () => {
    const ids = createIdFormatter('p1-');
    const idOf = (sequence: number) => nextId(ids, sequence);
    const memory = createCausationMemory(4, 'p1-');
    for (let sequence = 0; sequence < 10; sequence++) rememberOwn(memory, sequence, sequence * 2);
    expect(depthOf(memory, idOf(9))).toBe(18);
    expect(depthOf(memory, idOf(6))).toBe(12);
    expect(depthOf(memory, idOf(5))).toBe(-1);
    // Ids that only look like ours are not ours.
    expect(depthOf(memory, 'p1-9x')).toBe(-1);
    expect(depthOf(memory, 'p1-')).toBe(-1);
  });

  it('remembers messages from elsewhere by id, latest sighting first', () => {
    const memory = createCausationMemory(3, 'p1-');
    rememberOther(memory, 'q-1', 1);
    rememberOther(memory, 'q-2', 2);
    rememberOther(memory, 'q-1', 5);
    expect(depthOf(memory, 'q-1')).toBe(5);
    rememberOther(memory, 'q-3', 3);
    rememberOther(memory, 'q-4', 4);
    expect(depthOf(memory, 'q-2')).toBe(-1);
  });
});

describe('message ids', () => {
  it('writes the sequence in base 36 after the prefix, in any order of calls', () => {
    const ids = createIdFormatter('ab-');
    const idOf = (sequence: number) => nextId(ids, sequence);
    expect([0, 1, 35, 36, 37, 1295, 1296].map(idOf)).toEqual([
      'ab-0',
      'ab-1',
      'ab-z',
      'ab-10',
      'ab-11',
      'ab-zz',
      'ab-100',
    ]);
    expect(idOf(36 * 36 * 36 + 5)).toBe(`ab-${(36 * 36 * 36 + 5).toString(36)}`);
    expect(idOf(2)).toBe('ab-2');
  });
});
