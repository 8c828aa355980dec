// How a receiving tab turns the values of a flat payload back into an object (see batch-codec.ts).

/**
 * The same keys as property names: strings read from the channel are not, and defining a
 * property under one made V8 look it up in its string table every time.
 */
export function asPropertyNames(keys: readonly string[]): string[] {
  const at: Record<string, number> = {};
  for (let k = 0; k < keys.length; k++) at[keys[k]!] = k;
  const names = keys.slice();
  // By index, not in Object.keys order, which puts integer-like keys first.
  for (const name of Object.keys(at)) names[at[name]!] = name;
  return names;
}

/**
 * The plain object of keys `k` with the values from `data[at]` on. Up to 8 keys, each is defined by
 * an object literal with computed keys: ~4x faster than stores in a loop, whose one store site
 * sees every key name of every shape.
 */
export function rebuildPayload(k: readonly string[], data: readonly unknown[], at: number): Record<string, unknown> {
  switch (k.length) {
    case 1:
      return { [k[0]!]: data[at] };
    case 2:
      return { [k[0]!]: data[at], [k[1]!]: data[at + 1] };
    case 3:
      return { [k[0]!]: data[at], [k[1]!]: data[at + 1], [k[2]!]: data[at + 2] };
    case 4:
      return { [k[0]!]: data[at], [k[1]!]: data[at + 1], [k[2]!]: data[at + 2], [k[3]!]: data[at + 3] };
    case 5:
      return {
        [k[0]!]: data[at],
        [k[1]!]: data[at + 1],
        [k[2]!]: data[at + 2],
        [k[3]!]: data[at + 3],
        [k[4]!]: data[at + 4],
      };
    case 6:
      return {
        [k[0]!]: data[at],
        [k[1]!]: data[at + 1],
        [k[2]!]: data[at + 2],
        [k[3]!]: data[at + 3],
        [k[4]!]: data[at + 4],
        [k[5]!]: data[at + 5],
      };
    case 7:
      return {
        [k[0]!]: data[at],
        [k[1]!]: data[at + 1],
        [k[2]!]: data[at + 2],
        [k[3]!]: data[at + 3],
        [k[4]!]: data[at + 4],
        [k[5]!]: data[at + 5],
        [k[6]!]: data[at + 6],
      };
    case 8:
      return {
        [k[0]!]: data[at],
        [k[1]!]: data[at + 1],
        [k[2]!]: data[at + 2],
        [k[3]!]: data[at + 3],
        [k[4]!]: data[at + 4],
        [k[5]!]: data[at + 5],
        [k[6]!]: data[at + 6],
        [k[7]!]: data[at + 7],
      };
    default: {
      const built: Record<string, unknown> = {};
      for (let i = 0; i < k.length; i++) built[k[i]!] = data[at + i];
      return built;
    }
  }
}
