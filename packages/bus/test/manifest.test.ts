import { describe, expect, it } from 'vitest';
import { defineManifest } from '../src/apps.ts';

describe('defineManifest', () => {
  it('returns the manifest, frozen', () => {
    const manifest = defineManifest({
      orders: { publish: ['orders.#'], subscribe: ['orders.#'], rpc: { call: ['inventory.#'] } },
    });
    expect(manifest.orders.publish).toEqual(['orders.#']);
    expect(Object.isFrozen(manifest)).toBe(true);
    expect(Object.isFrozen(manifest.orders.publish)).toBe(true);
    expect(Object.isFrozen(manifest.orders.rpc)).toBe(true);
  });

  it('names the entry that is wrong and what to do', () => {
    expect(() => defineManifest(null as never)).toThrow(/expected an object of permissions by app name, got null/);
    expect(() => defineManifest({ orders: [] as never })).toThrow(/permissions of app 'orders' must be an object/);
    expect(() => defineManifest({ orders: { subscibe: ['a'] } as never })).toThrow(
      /app 'orders' has an unknown permission 'subscibe'; use publish, subscribe, rpc, stores/,
    );
    expect(() => defineManifest({ orders: { publish: 'orders.#' as never } })).toThrow(
      /orders\.publish must be an array of topic patterns, got string/,
    );
    expect(() => defineManifest({ orders: { subscribe: ['a', 'b.#.c'] } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/orders\.subscribe\[1\] is not a valid pattern/),
      }),
    );
    expect(() => defineManifest({ orders: { publish: ['$sys.tab.#'] } })).toThrow(
      /apps cannot publish '\$sys\.' topics/,
    );
    expect(() => defineManifest({ orders: { rpc: { calls: [] } as never } })).toThrow(
      /orders\.rpc has an unknown entry 'calls'; use call, handle/,
    );
    expect(() => defineManifest({ orders: { stores: ['cart'] as never } })).toThrow(
      /orders\.stores must be an object with write/,
    );
  });
});
