import { describe, expect, it } from 'vitest';
import { createCausationMemory } from '../src/causation-memory.ts';
import { createIdFormatter } from '../src/message.ts';

describe('causation memory', () => {
  it('finds the depth of its own recent messages by id, and forgets the older ones', () => {
    const idOf = createIdFormatter('p1-');
    const memory = createCausationMemory(4, 'p1-');
    for (let sequence = 0; sequence < 10; sequence++) memory.rememberOwn(sequence, sequence * 2);
    expect(memory.depthOf(idOf(9))).toBe(18);
    expect(memory.depthOf(idOf(6))).toBe(12);
    expect(memory.depthOf(idOf(5))).toBe(-1);
    // Ids that only look like ours are not ours.
    expect(memory.depthOf('p1-9x')).toBe(-1);
    expect(memory.depthOf('p1-')).toBe(-1);
  });

  it('remembers messages from elsewhere by id, latest sighting first', () => {
    const memory = createCausationMemory(3, 'p1-');
    memory.rememberOther('q-1', 1);
    memory.rememberOther('q-2', 2);
    memory.rememberOther('q-1', 5);
    expect(memory.depthOf('q-1')).toBe(5);
    memory.rememberOther('q-3', 3);
    memory.rememberOther('q-4', 4);
    expect(memory.depthOf('q-2')).toBe(-1);
  });
});

describe('createIdFormatter', () => {
  it('writes the sequence in base 36 after the prefix, in any order of calls', () => {
    const idOf = createIdFormatter('ab-');
    expect([0, 1, 35, 36, 37, 1295, 1296].map(idOf)).toEqual(['ab-0', 'ab-1', 'ab-z', 'ab-10', 'ab-11', 'ab-zz', 'ab-100']);
    expect(idOf(36 * 36 * 36 + 5)).toBe(`ab-${(36 * 36 * 36 + 5).toString(36)}`);
    expect(idOf(2)).toBe('ab-2');
  });
});
