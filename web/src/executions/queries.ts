// The executions list: pages of GET /api/v1/executions through next_cursor
// ("Load more"), one cache entry per filter set.
import { useInfiniteQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Execution, Page } from '../api/types';
import { apiQuery, type ExecutionFilters } from './filters';

export const executionsKey = ['executions'] as const;

export function useExecutionPages(filters: ExecutionFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: [...executionsKey, 'list', filters, limit],
    queryFn: ({ pageParam }) => get<Page<Execution>>('/api/v1/executions', apiQuery(filters, pageParam, limit)),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
