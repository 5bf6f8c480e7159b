// The dialog of the request named in the URL (?approval=<id>, so it can be
// linked): its fresh state from GET /api/v1/approvals/{id} (the inbox row
// shows meanwhile), the vote wired to the server.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { SessionUser } from '../auth/session';
import { ErrorState } from '../ui/ErrorState';
import { Modal } from '../ui/Modal';
import { SkeletonRows } from '../ui/Skeleton';
import { approvalKeys, fetchApproval } from './api';
import { ApprovalDialog } from './ApprovalDialog';
import { voteBlockReason } from './mayVote';
import type { ApprovalItem } from './types';
import { useVote } from './useVote';

export function OpenApproval({
  id,
  fallback,
  projectNames,
  executionNames,
  user,
  startWithReject,
  onClose,
}: {
  id: string;
  fallback?: ApprovalItem;
  projectNames: Map<string, string>;
  executionNames: Map<string, string>;
  user: SessionUser | null;
  startWithReject: boolean;
  onClose: () => void;
}) {
  const titleId = useId();
  const q = useQuery({ queryKey: approvalKeys.one(id), queryFn: () => fetchApproval(id), placeholderData: fallback });
  const vote = useVote();
  const item = q.data;
  if (!item) {
    return (
      <Modal labelledBy={titleId} onClose={onClose} testId="approval-dialog">
        <h2 id={titleId} className="mb-2 text-lg font-semibold">
          Approval request
        </h2>
        {q.isError ? <ErrorState title="The approval request could not be loaded" error={q.error} onRetry={() => void q.refetch()} /> : <SkeletonRows rows={4} label="Loading the approval request" />}
      </Modal>
    );
  }
  return (
    <ApprovalDialog
      item={item}
      projectName={item.project_id ? projectNames.get(item.project_id) : undefined}
      executionName={executionNames.get(item.execution_id)}
      me={user?.id}
      blockReason={voteBlockReason(item, user)}
      startWithReject={startWithReject}
      onVote={(approve, comment) => vote.mutateAsync({ id: item.id, approve, comment })}
      onClose={onClose}
    />
  );
}
