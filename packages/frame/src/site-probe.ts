/** What a hub frame can reach: its site's tabs, only its own partition, or nothing at all. */
export type HubReach = 'site' | 'partitioned' | 'unsupported';

/** The parts of `document` the probe uses. */
export interface CookieJarLike {
  cookie: string;
}

/**
 * Tells whether this frame is first-party, i.e. on the same site as the top-level page through
 * its whole chain of ancestors. Browsers give a third-party frame storage and a BroadcastChannel
 * of its own per top-level site (Chrome since 115, Firefox's state partitioning, Safari), so a
 * hub embedded across sites would silently reach only part of the tabs.
 *
 * The test is the browser's own: a `SameSite=Strict` cookie can be written and read back by
 * script only in a same-site context, judged with the public suffix list and every ancestor.
 * Where cookies are blocked altogether the answer is `partitioned` as well: the browser then
 * keeps third-party storage apart too, and the hub must say it cannot vouch for its reach.
 */
export function probeReach(jar: CookieJarLike | undefined, hasBroadcastChannel: boolean): HubReach {
  if (!hasBroadcastChannel) return 'unsupported';
  if (jar === undefined) return 'partitioned';
  const name = `switchboard-hub-probe-${Math.random().toString(36).slice(2, 10)}`;
  jar.cookie = `${name}=1; SameSite=Strict; Path=/; Max-Age=60`;
  const readable = jar.cookie.split(/;\s*/).includes(`${name}=1`);
  jar.cookie = `${name}=; SameSite=Strict; Path=/; Max-Age=0`;
  return readable ? 'site' : 'partitioned';
}
