// The audit list (pages of GET /api/v1/audit-logs through next_cursor) and
// the chain verification (GET /api/v1/audit-logs/verify, admins only).
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Page } from '../api/types';
import { apiQuery, type AuditFilters } from './filters';
import type { AuditEntry, ChainVerification } from './types';

export const auditKey = ['audit'] as const;

export function fetchAuditPage(filters: AuditFilters, isAdmin: boolean, cursor?: string, limit = 50): Promise<Page<AuditEntry>> {
  return get<Page<AuditEntry>>('/api/v1/audit-logs', apiQuery(filters, isAdmin, cursor, limit));
}

export function useAuditPages(filters: AuditFilters, isAdmin: boolean, limit = 50) {
  return useInfiniteQuery({
    queryKey: [...auditKey, 'list', filters, isAdmin, limit],
    queryFn: ({ pageParam }) => fetchAuditPage(filters, isAdmin, pageParam, limit),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useChainVerification(isAdmin: boolean) {
  return useQuery({
    queryKey: [...auditKey, 'verify'],
    queryFn: () => get<ChainVerification>('/api/v1/audit-logs/verify'),
    enabled: isAdmin,
    retry: false,
  });
}
