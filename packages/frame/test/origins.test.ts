import { describe, expect, it } from 'vitest';
import { pinOrigins } from '../src/origins.ts';

describe('pinOrigins', () => {
  const pin = (value: unknown) => pinOrigins(value, "connectFrame('orders')", 'origin');

  it('takes an origin or a list of them', () => {
    expect(pin('https://orders.example.com')).toEqual(['https://orders.example.com']);
    expect(pin(['https://a.example.com', 'http://127.0.0.1:5501'])).toEqual([
      'https://a.example.com',
      'http://127.0.0.1:5501',
    ]);
  });

  it("refuses '*' with an error that says why and what to do", () => {
    expect(() => pin('*')).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message:
          "connectFrame('orders'): origin '*' would accept messages from any page; list the origins you trust, e.g. 'https://orders.example.com'.",
      }),
    );
    expect(() => pin(['https://a.example.com', '*'])).toThrow(/would accept messages from any page/);
  });

  it("refuses 'null', the origin of every sandboxed document", () => {
    expect(() => pin('null')).toThrow(/proves nothing/);
  });

  it('refuses URLs with a path, suggesting their origin, and anything that is no origin', () => {
    expect(() => pin('https://orders.example.com/app/')).toThrow(
      "is not an origin (scheme://host[:port], no path); did you mean 'https://orders.example.com'?",
    );
    expect(() => pin('orders.example.com')).toThrow(/is not an origin/);
    expect(() => pin([])).toThrow(/non-empty list/);
    expect(() => pin(42)).toThrow(/must be an origin/);
  });
});
