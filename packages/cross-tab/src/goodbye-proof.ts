/**
 * Goodbyes that cannot be forged from what the channel shows. Each tab's shared channel keeps a
 * random secret and sends only its SHA-256 (the commitment) in its heartbeats; its goodbye reveals
 * the secret. A script that copies envelopes off the channel knows the commitment but not the
 * secret, so it cannot make the other tabs believe a live tab left. After a goodbye the secret is
 * public, so a channel that comes back (from the back/forward cache) draws a new one.
 */

/** A new secret: 16 random bytes as 32 hex digits. */
export function createSecret(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The commitment to `secret`: the first 128 bits of SHA-256 of its text, as 32 hex digits. */
export function commit(secret: string): string {
  return sha256(secret).slice(0, 32);
}

/**
 * SHA-256 of a short ASCII string (at most 55 characters: one block), in hex. Written out here
 * because `crypto.subtle` is asynchronous and missing outside secure contexts, while a goodbye
 * must be checked as it arrives. The round constants are the fractional parts of the square and
 * cube roots of the first primes, computed rather than listed.
 */
export function sha256(text: string): string {
  const k: number[] = [];
  const h: number[] = [];
  for (let n = 2; k.length < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (!prime) continue;
    if (h.length < 8) h.push(fraction(Math.sqrt(n)));
    k.push(fraction(Math.cbrt(n)));
  }
  const w = new Array<number>(64).fill(0);
  for (let i = 0; i < text.length; i++) w[i >> 2]! |= (text.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
  w[text.length >> 2]! |= 0x80 << (24 - (text.length % 4) * 8);
  w[15] = text.length * 8;
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = rotate(a, 7) ^ rotate(a, 18) ^ (a >>> 3);
    const s1 = rotate(b, 17) ^ rotate(b, 19) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < 64; i++) {
    const t1 = (hh + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!) | 0;
    const t2 = ((rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  return [a, b, c, d, e, f, g, hh].map((word, i) => ((word + h[i]!) >>> 0).toString(16).padStart(8, '0')).join('');
}

function fraction(root: number): number {
  return ((root - Math.floor(root)) * 2 ** 32) >>> 0;
}

function rotate(word: number, bits: number): number {
  return (word >>> bits) | (word << (32 - bits));
}
