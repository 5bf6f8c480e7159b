// invalidateLive(client, queryKey): mark queries stale because the stream
// said their data changed, and make sure the change is read.
//
// invalidateQueries alone can lose it: while a query's FIRST fetch is in
// flight (no data yet), TanStack Query hands back that fetch instead of
// starting another, and that fetch may have read the server before the
// change. Such queries are invalidated once more when their first answer
// lands (once, however many changes arrived meanwhile).
import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';

const rereadAfterFirstAnswer = new WeakSet<Query>();

export function invalidateLive(client: QueryClient, queryKey: QueryKey, exact = false): Promise<void> {
  const cache = client.getQueryCache();
  for (const query of cache.findAll({ queryKey, exact })) {
    if (query.state.data !== undefined || query.state.fetchStatus !== 'fetching') continue;
    if (rereadAfterFirstAnswer.has(query)) continue;
    rereadAfterFirstAnswer.add(query);
    const unsubscribe = cache.subscribe((event) => {
      if (event.query !== query) return;
      const done = event.type === 'removed' || (event.type === 'updated' && (event.action.type === 'success' || event.action.type === 'error'));
      if (!done) return;
      unsubscribe();
      rereadAfterFirstAnswer.delete(query);
      if (event.type === 'updated' && event.action.type === 'success')
        void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
    });
  }
  return client.invalidateQueries({ queryKey, exact });
}
