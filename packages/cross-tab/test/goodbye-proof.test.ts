import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commit, createSecret, sha256 } from '../src/goodbye-proof.ts';

describe('goodbye proof', () => {
  it('computes SHA-256 like node:crypto for every length of one block', () => {
    for (let length = 0; length <= 55; length++) {
      const text = createSecret().repeat(2).slice(0, length);
      expect(sha256(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });

  it('commits to a fresh 128-bit secret with the first 128 bits of its hash', () => {
    const secret = createSecret();
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    expect(createSecret()).not.toBe(secret);
    expect(commit(secret)).toBe(createHash('sha256').update(secret).digest('hex').slice(0, 32));
  });
});
