import { describe, expect, it } from 'vitest';
import { forApp } from '../src/apps.ts';
import { createPubSub } from '../src/index.ts';
import { attachSchemas, isSchemaError } from '../src/schemas.ts';
import { headId, headIdOf } from '../src/topic-heads.ts';
import { createTopicRules } from '../src/topic-rules.ts';

// Heads are numbered for the realm: each test names heads of its own.

describe('topic heads', () => {
  it('find the first segment exactly: not a longer one, not a shorter one, not a later one', () => {
    const cart = headId('hcart');
    const catalog = headId('hcatalog');
    expect(headId('hcart')).toBe(cart);
    expect(headIdOf('hcart')).toBe(cart);
    expect(headIdOf('hcart.x.y')).toBe(cart);
    expect(headIdOf('hcatalog.x')).toBe(catalog);
    expect(headIdOf('hcartx.y')).toBe(-1);
    expect(headIdOf('hcar')).toBe(-1);
    expect(headIdOf('x.hcart')).toBe(-1);
    expect(headIdOf('')).toBe(-1);
  });

  it('forget the last topic when a head is numbered after it was found to have none', () => {
    const topic = 'hlate.placed';
    expect(headIdOf(topic)).toBe(-1);
    const late = headId('hlate');
    expect(headIdOf(topic)).toBe(late);
  });

  it('agree with splitting the topic on many topics and heads sharing first characters', () => {
    const names = Array.from({ length: 40 }, (_, i) => `hm${'ab'[i % 2]}${i.toString(36)}`);
    const ids = new Map(names.map((name) => [name, headId(name)]));
    let found = 0;
    for (let i = 0; i < 5_000; i++) {
      const first = i % 7 === 0 ? `hm${i}` : names[i % names.length]!;
      const topic = i % 3 === 0 ? first : `${first}.${i}.${i % 5 === 0 ? `${first}x` : 'done'}`;
      const expected = ids.get(topic.split('.')[0]!) ?? -1;
      expect(headIdOf(topic)).toBe(expected);
      if (expected >= 0) found++;
    }
    expect(found).toBeGreaterThan(4_000);
  });

  it('leave rules compiled before a head was numbered elsewhere answering as before', () => {
    const rules = createTopicRules(['hold.#', 'hold.+.x']);
    createTopicRules(['hnew.#']);
    expect(rules.matches('hnew.a')).toBe(false);
    expect(rules.matches('hold')).toBe(true);
    expect(rules.matches('hold.a.x')).toBe(true);
    expect(rules.matches('hold.a.y')).toBe(true);
    expect(createTopicRules(['hold.+.x']).matches('hold.a.y')).toBe(false);
  });

  it("check a topic's schema when it was registered after a handle published the topic", () => {
    const bus = createPubSub({ app: 'shell' });
    const app = forApp(bus, 'app', { permissions: { publish: ['#'] } });
    app.publish('hschema.placed', { n: 'x' });
    attachSchemas(bus, {
      'hschema.#': {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value) =>
            typeof (value as { n?: unknown } | undefined)?.n === 'number'
              ? { value }
              : { issues: [{ message: 'expected a number' }] },
        },
      },
    });
    let error: unknown;
    try {
      app.publish('hschema.placed', { n: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(isSchemaError(error) && error.topic).toBe('hschema.placed');
    expect(() => app.publish('hschema.placed', { n: 1 })).not.toThrow();
  });
});
