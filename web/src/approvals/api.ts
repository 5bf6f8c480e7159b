// The inbox's server calls: pending requests page by page (oldest first, as
// the server orders them), one request's changes, and a vote.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from '../api/client';
import type { Execution, Page } from '../api/types';
import type { ApprovalChanges, ApprovalItem } from './types';

export const approvalKeys = {
  all: ['approvals'] as const,
  pending: ['approvals', 'pending'] as const,
  one: (id: string) => ['approvals', 'one', id] as const,
  heldExecutions: ['approvals', 'held-executions'] as const,
  changes: (id: string) => ['approval-changes', id] as const, // not under 'approvals': votes do not change it
};

const base = (id: string) => `/api/v1/approvals/${encodeURIComponent(id)}`;

export function usePendingApprovals(limit = 100) {
  return useInfiniteQuery({
    queryKey: [...approvalKeys.pending, limit],
    queryFn: ({ pageParam }) => get<Page<ApprovalItem>>('/api/v1/approvals', { status: 'pending', limit, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export const fetchApproval = (id: string) => get<ApprovalItem>(base(id));

// Execution id → name for the executions held by governance (status paused):
// a request made at admission has no title of its own, its execution's name
// says what would be deployed. One request for the whole inbox.
export function useHeldExecutionNames(): Map<string, string> {
  const q = useQuery({
    queryKey: approvalKeys.heldExecutions,
    queryFn: () => get<Page<Execution>>('/api/v1/executions', { status: 'paused', limit: 500 }),
    select: (page) => new Map(page.items.map((e) => [e.id, e.name])),
  });
  return q.data ?? EMPTY;
}
const EMPTY = new Map<string, string>();

// null: this server does not describe changes (the route is missing).
export async function fetchChanges(id: string): Promise<ApprovalChanges | null> {
  try {
    return await get<ApprovalChanges>(`${base(id)}/changes`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export const castVote = (id: string, approve: boolean, comment: string) =>
  post<ApprovalItem>(`${base(id)}/votes`, comment ? { vote: approve, comment } : { vote: approve });
