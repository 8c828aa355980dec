/** What a caller knows about one rpc endpoint of another bus (usually another tab). */
export interface Endpoint {
  readonly tabId: string;
  readonly methods: ReadonlySet<string>;
}

/** One endpoint a request may be sent to. */
export interface Target {
  readonly endpoint: string;
  readonly tabId: string;
}

/**
 * The RPC target rule, for methods no rpc on the caller's own bus handles: among the endpoints
 * that announced `method`, prefer one in the caller's tab (another bus of the same page), then the
 * lowest tab id, then the lowest endpoint id. Every caller that has heard the same announcements
 * thus picks the same tab, and the choice changes only when that tab stops handling the method
 * or leaves. Returns every candidate, best first.
 */
export function rankTargets(directory: ReadonlyMap<string, Endpoint>, method: string, callerTabId: string): Target[] {
  const ranked: Array<{ target: Target; rank: Rank }> = [];
  for (const [endpoint, entry] of directory) {
    if (!entry.methods.has(method)) continue;
    ranked.push({
      target: { endpoint, tabId: entry.tabId },
      rank: [entry.tabId === callerTabId ? 0 : 1, entry.tabId, endpoint],
    });
  }
  return ranked.sort((a, b) => compareRank(a.rank, b.rank)).map(({ target }) => target);
}

/** The best target by {@link rankTargets} that was not `tried` yet. */
export function pickTarget(
  directory: ReadonlyMap<string, Endpoint>,
  method: string,
  tried: ReadonlySet<string>,
  callerTabId: string,
): Target | undefined {
  return rankTargets(directory, method, callerTabId).find((target) => !tried.has(target.endpoint));
}

type Rank = [sameTab: number, tabId: string, endpoint: string];

function compareRank(a: Rank, b: Rank): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}
