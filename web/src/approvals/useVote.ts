// Casting a vote from the inbox or the dialog: the answer (the request after
// the vote) replaces the cached request, and the list and the navigation's
// pending count refetch (the stream would tell them too, a moment later).
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { dashboardMetricsQuery } from '../shell/queries';
import { approvalKeys, castVote } from './api';

export interface VoteInput {
  id: string;
  approve: boolean;
  comment: string;
}

export function refreshAfterVote(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: approvalKeys.pending });
  void client.invalidateQueries({ queryKey: dashboardMetricsQuery.queryKey });
}

export function useVote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve, comment }: VoteInput) => castVote(id, approve, comment.trim()),
    onSuccess: (item) => client.setQueryData(approvalKeys.one(item.id), item),
    onSettled: () => refreshAfterVote(client),
  });
}
