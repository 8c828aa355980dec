import { describe, expect, it } from 'vitest';
import { isSwitchboardError, isTopicError, type TopicError } from '../src/index.ts';
import { assertPattern, assertTopic } from '../src/internal.ts';
import { SEGMENT_CHARACTERS } from '../src/topic.ts';

function ruleOf(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect(error).toSatisfy(isTopicError);
    return (error as TopicError).rule;
  }
  throw new Error('expected a TopicError');
}

describe('assertTopic', () => {
  it('accepts dotted segments of letters, digits, _, - and :', () => {
    expect(() => assertTopic('orders.created')).not.toThrow();
    expect(() => assertTopic('a')).not.toThrow();
    expect(() => assertTopic('order:42.line_1.re-try')).not.toThrow();
  });

  it.each([
    ['', 'non-empty'],
    ['a..b', 'empty-segment'],
    ['.a', 'empty-segment'],
    ['a.', 'empty-segment'],
    ['a b', 'segment-characters'],
    ['a/b', 'segment-characters'],
    ['a.+', 'no-wildcards'],
    ['#', 'no-wildcards'],
    ['x'.repeat(257), 'max-length'],
    [Array.from({ length: 33 }, () => 'a').join('.'), 'max-depth'],
  ])('refuses %j (rule %s)', (topic, rule) => {
    expect(ruleOf(() => assertTopic(topic))).toBe(rule);
  });

  it('names the topic and what to do in the message', () => {
    expect(() => assertTopic('a.+.b')).toThrow(/publish\('a\.\+\.b'\).*wildcards belong in subscribe patterns/);
  });

  it('refuses non-strings with their type', () => {
    expect(() => assertTopic(42)).toThrow(/must be a string, got number/);
    expect(() => assertTopic(undefined)).toThrow(/got undefined/);
  });

  it('reserves $sys for the runtime', () => {
    try {
      assertTopic('$sys.tab.joined');
      expect.unreachable();
    } catch (error) {
      expect(isSwitchboardError(error, 'RESERVED_TOPIC')).toBe(true);
    }
    expect(() => assertTopic('$sys.tab.joined', 'publishSystem', true)).not.toThrow();
    expect(ruleOf(() => assertTopic('a.$sys'))).toBe('segment-characters');
  });

  it('accepts exactly the limits', () => {
    expect(() => assertTopic('x'.repeat(256))).not.toThrow();
    expect(() => assertTopic(Array.from({ length: 32 }, () => 'a').join('.'))).not.toThrow();
  });
});

describe('assertPattern', () => {
  it('accepts + anywhere and # last', () => {
    for (const pattern of ['#', '+', 'a.+', '+.b', 'a.#', 'a.+.#', '$sys.#']) {
      expect(() => assertPattern(pattern)).not.toThrow();
    }
  });

  it.each([
    ['a.#.b', 'hash-last'],
    ['#.a', 'hash-last'],
    ['a.b+', 'segment-characters'],
    ['a.#x', 'segment-characters'],
    ['', 'non-empty'],
    ['a..#', 'empty-segment'],
  ])('refuses %j (rule %s)', (pattern, rule) => {
    expect(ruleOf(() => assertPattern(pattern))).toBe(rule);
  });

  it('uses the INVALID_PATTERN code', () => {
    expect(() => assertPattern('a.#.b')).toThrow(expect.objectContaining({ code: 'INVALID_PATTERN', topic: 'a.#.b' }));
  });
});

describe('SEGMENT_CHARACTERS', () => {
  it('allows exactly the characters a segment may hold', () => {
    for (let code = 0; code < 128; code++) {
      const allowed = /^[A-Za-z0-9_:-]$/.test(String.fromCharCode(code)) ? 1 : 0;
      expect(SEGMENT_CHARACTERS[code], `char code ${code}`).toBe(allowed);
    }
  });
});
