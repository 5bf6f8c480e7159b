// "Load more" under a cursor-paged list (TanStack useInfiniteQuery): shown
// only while the server has a next page; waits while a page is on its way.
import { Button } from './Button';

export interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

export function LoadMore({ pages, size }: { pages: PagedQuery; size?: 'sm' }) {
  if (!pages.hasNextPage) return null;
  const busy = pages.isFetchingNextPage;
  return (
    <div>
      <Button data-testid="load-more" size={size} onClick={() => void pages.fetchNextPage()} disabled={busy} reason={busy ? 'Loading…' : undefined}>
        {busy ? 'Loading…' : 'Load more'}
      </Button>
    </div>
  );
}
