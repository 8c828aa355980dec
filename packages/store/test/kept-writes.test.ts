import { describe, expect, it } from 'vitest';
import { createKeptWrites } from '../src/kept-writes.ts';
import type { Write } from '../src/write.ts';

const writer = { app: 'app', propose() {} };
const write = (apply: (state: unknown) => unknown, extra: Partial<Write> = {}): Write => ({
  apply,
  label: 'update',
  writer,
  resolve() {},
  reject() {},
  ...extra,
});

describe('kept writes', () => {
  it('runs a kept batch again under its opId, on another state', () => {
    const kept = createKeptWrites();
    kept.keep('op', [write((n) => (n as number) + 1), write((n) => (n as number) * 2)]);
    const again = kept.replay('op', () => {});
    expect(again?.apply(10)).toBe(22);
    expect(again?.opId).toBe('op');
    expect(kept.replay('unknown', () => {})).toBeUndefined();
  });

  it('keeps what lets a sequencer commit the replay again by itself: a set, a command', () => {
    const kept = createKeptWrites();
    const command = { name: 'add', payload: 1, source: 'app' };
    kept.keep('set', [write((n) => n, {}), write(() => 5, { absolute: true, label: 'set' })]);
    kept.keep('cmd', [write((n) => (n as number) + 1, { command, opId: 'cmd' })]);
    expect(kept.replay('set', () => {})).toMatchObject({ absolute: true });
    expect(kept.replay('cmd', () => {})).toMatchObject({ absolute: false, command });
  });

  it('forgets the oldest past 256', () => {
    const kept = createKeptWrites();
    for (let i = 0; i < 257; i++) kept.keep(`op${i}`, [write((n) => n)]);
    expect(kept.replay('op0', () => {})).toBeUndefined();
    expect(kept.replay('op1', () => {})).toBeDefined();
  });
});
