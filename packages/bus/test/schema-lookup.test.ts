import { describe, expect, it } from 'vitest';
import { createSchemaLookup, entriesFor } from '../src/schema-lookup.ts';

const lookupOf = (patterns: string[]) => createSchemaLookup(patterns.map((pattern) => [pattern, pattern] as const));

describe('schema lookup', () => {
  it('answers a topic with the exact pattern, then those under its head, then wildcard-led ones, in order', () => {
    const lookup = lookupOf(['+.b', 'a.#', 'a.b', 'a.+', 'a.c.#', '#']);
    expect(entriesFor(lookup, 'a.b')).toEqual(['a.b', 'a.#', 'a.+', '+.b', '#']);
    expect(entriesFor(lookup, 'a')).toEqual(['a.#', '#']);
    expect(entriesFor(lookup, 'a.c.d')).toEqual(['a.#', 'a.c.#', '#']);
    expect(entriesFor(lookup, 'ab.b')).toEqual(['+.b', '#']);
    expect(entriesFor(lookup, '$sys.x.b')).toEqual([]);
  });

  it('shares one answer per head when every pattern under it is head.#, and tests the others', () => {
    const lookup = lookupOf(['orders.#', 'cart.#', 'cart.+.paid']);
    const first = entriesFor(lookup, 'orders.o1.created');
    expect(first).toEqual(['orders.#']);
    expect(entriesFor(lookup, 'orders.o2.created')).toBe(first);
    expect(entriesFor(lookup, 'orders')).toBe(first);
    expect(entriesFor(lookup, 'cart.c1.paid')).toEqual(['cart.#', 'cart.+.paid']);
    expect(entriesFor(lookup, 'cart.c1.opened')).toEqual(['cart.#']);
    expect(entriesFor(lookup, 'ordersx.o1')).toEqual([]);
    expect(entriesFor(lookup, 'users.u1')).toEqual([]);
  });

  it('adds an exact topic to a shared head list without changing the list', () => {
    const lookup = lookupOf(['orders.#', 'orders.placed']);
    expect(entriesFor(lookup, 'orders.placed')).toEqual(['orders.placed', 'orders.#']);
    const shared = entriesFor(lookup, 'orders.shipped');
    expect(shared).toEqual(['orders.#']);
    expect(entriesFor(lookup, 'orders.placed')).toEqual(['orders.placed', 'orders.#']);
    expect(shared).toEqual(['orders.#']);
  });
});
