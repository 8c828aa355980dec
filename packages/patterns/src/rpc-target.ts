/** What a caller knows about one rpc endpoint of another bus (usually another tab). */
export interface Endpoint {
  readonly tabId: string;
  readonly methods: ReadonlySet<string>;
}

/**
 * The RPC target rule, for methods no rpc on the caller's own bus handles: among the endpoints
 * that announced `method` and were not tried yet, prefer one in the caller's tab (another bus of
 * the same page), then the lowest tab id, then the lowest endpoint id. Every caller thus picks
 * the same tab, and the choice changes only when that tab stops handling the method or leaves.
 */
export function pickTarget(
  directory: ReadonlyMap<string, Endpoint>,
  method: string,
  tried: ReadonlySet<string>,
  callerTabId: string,
): { endpoint: string; tabId: string } | undefined {
  let best: { endpoint: string; tabId: string } | undefined;
  let bestRank: Rank | undefined;
  for (const [endpoint, entry] of directory) {
    if (tried.has(endpoint) || !entry.methods.has(method)) continue;
    const rank: Rank = [entry.tabId === callerTabId ? 0 : 1, entry.tabId, endpoint];
    if (bestRank === undefined || compareRank(rank, bestRank) < 0) {
      best = { endpoint, tabId: entry.tabId };
      bestRank = rank;
    }
  }
  return best;
}

type Rank = [sameTab: number, tabId: string, endpoint: string];

function compareRank(a: Rank, b: Rank): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}
