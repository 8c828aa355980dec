import { describe, expect, it, vi } from 'vitest';
import { createMemoryChannelHub } from '../src/index.ts';

describe('createMemoryChannelHub', () => {
  it('delivers to other channels of the same name, in order, never to the sender', async () => {
    const hub = createMemoryChannelHub();
    const a = hub.create('bus');
    const b = hub.create('bus');
    const other = hub.create('other');
    const gotA = vi.fn();
    const gotB: unknown[] = [];
    const gotOther = vi.fn();
    a.onmessage = gotA;
    b.addEventListener('message', (event) => gotB.push(event.data));
    other.onmessage = gotOther;
    a.postMessage(1);
    a.postMessage(2);
    expect(gotB).toEqual([]); // asynchronous, like the real thing
    await hub.flush();
    expect(gotB).toEqual([1, 2]);
    expect(gotA).not.toHaveBeenCalled();
    expect(gotOther).not.toHaveBeenCalled();
    expect(hub.posted).toBe(2);
  });

  it('clones messages and throws on what cannot be cloned', async () => {
    const hub = createMemoryChannelHub();
    const a = hub.create('bus');
    const b = hub.create('bus');
    let received: { n: number } | undefined;
    b.onmessage = (event) => (received = event.data as { n: number });
    const sent = { n: 1 };
    a.postMessage(sent);
    sent.n = 2;
    await hub.flush();
    expect(received).toEqual({ n: 1 });
    expect(() => a.postMessage({ f: () => 1 })).toThrow();
  });

  it('stops delivering to closed channels and refuses posts on them', async () => {
    const hub = createMemoryChannelHub();
    const a = hub.create('bus');
    const b = hub.create('bus');
    const got = vi.fn();
    b.onmessage = got;
    b.close();
    a.postMessage(1);
    await hub.flush();
    expect(got).not.toHaveBeenCalled();
    expect(() => b.postMessage(1)).toThrow(/closed/);
  });

  it('flush waits for replies posted while delivering', async () => {
    const hub = createMemoryChannelHub();
    const a = hub.create('bus');
    const b = hub.create('bus');
    b.onmessage = (event) => b.postMessage(`re:${String(event.data)}`);
    const replies: unknown[] = [];
    a.onmessage = (event) => replies.push(event.data);
    a.postMessage('ping');
    await hub.flush();
    expect(replies).toEqual(['re:ping']);
  });
});
