// A small `expect` with Vitest's names, so examples written for Vitest run in plain Node.
import { inspect, isDeepStrictEqual } from 'node:util';

function check(ok, actual, expectation) {
  if (!ok) throw new Error(`expected ${inspect(actual)} ${expectation}`);
}

export function expect(actual) {
  return {
    toBe: (expected) => check(Object.is(actual, expected), actual, `to be ${inspect(expected)}`),
    toEqual: (expected) => check(isDeepStrictEqual(actual, expected), actual, `to equal ${inspect(expected)}`),
    toHaveLength: (length) => check(actual?.length === length, actual, `to have length ${length}`),
    toBeGreaterThan: (value) => check(actual > value, actual, `to be greater than ${value}`),
    rejects: {
      toThrow: (message) =>
        Promise.resolve(actual).then(
          (value) => check(false, value, 'to reject'),
          (error) => {
            const text = String(error?.message ?? error);
            const ok =
              message === undefined || (message instanceof RegExp ? message.test(text) : text.includes(message));
            check(ok, text, `to match ${inspect(message)}`);
          },
        ),
    },
  };
}
