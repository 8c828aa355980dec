/** The part of Vitest's `expect` that the README examples use. */
export interface Assertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toHaveLength(length: number): void;
  toBeGreaterThan(value: number): void;
  readonly rejects: { toThrow(message?: string | RegExp): Promise<void> };
}

export declare function expect(actual: unknown): Assertion;
