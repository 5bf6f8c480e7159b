// The approvals inbox (/approvals): every pending approval across projects
// and runs, oldest first (GET /api/v1/approvals?status=pending, "Load more"
// through next_cursor), live on the event stream's approvals topic. Approve
// inline in one click, reject through the dialog (it needs a comment),
// several at once with a report per request. The dialog of one request is in
// the URL (?approval=<id>) so it can be linked.
import { useSearchParams } from 'react-router';
import { ApprovalRow } from '../approvals/ApprovalRow';
import { ApprovalsTable } from '../approvals/ApprovalsTable';
import { approvalKeys, useHeldExecutionNames, usePendingApprovals } from '../approvals/api';
import { BulkBar } from '../approvals/BulkBar';
import { voteBlockReason } from '../approvals/mayVote';
import { OpenApproval } from '../approvals/OpenApproval';
import { executionLabel } from '../approvals/text';
import type { ApprovalItem } from '../approvals/types';
import { useBulkApprove } from '../approvals/useBulkApprove';
import { useVote } from '../approvals/useVote';
import { useProjects } from '../executions/useProjectNames';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { SHELL_LIVE_TOPICS } from '../shell/queries';
import { useSession } from '../shell/useSession';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { LoadMore } from '../ui/LoadMore';

const onApprovals = { filter: (e: { topic: string }) => e.topic === 'approvals' };

export function ApprovalsPage() {
  const session = useSession();
  const user = session?.user ?? null;
  const [params, setParams] = useSearchParams();
  const { names } = useProjects();
  const pages = usePendingApprovals();
  const executionNames = useHeldExecutionNames();
  const { connected } = useLiveInvalidation(SHELL_LIVE_TOPICS, [approvalKeys.all], onApprovals);
  const vote = useVote();
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const describe = (i: ApprovalItem) => `${executionLabel(i, executionNames.get(i.execution_id))} to ${i.environment}`;
  const bulk = useBulkApprove(items, describe);
  const votable = items.filter((i) => voteBlockReason(i, user) === null).map((i) => i.id);

  const openId = params.get('approval');
  const open = (id: string, reject = false) => {
    const next = new URLSearchParams(params);
    next.set('approval', id);
    if (reject) next.set('vote', 'reject');
    else next.delete('vote');
    setParams(next);
  };
  const close = () => {
    const next = new URLSearchParams(params);
    next.delete('approval');
    next.delete('vote');
    setParams(next);
  };

  return (
    <section aria-labelledby="approvals-title" className="flex flex-col gap-4">
      <div className="flex items-baseline justify-between">
        <h1 id="approvals-title" className="text-xl font-semibold">
          Approvals
          {items.length > 0 && <span className="ml-2 text-base font-normal text-muted tabular-nums">{pages.hasNextPage ? `${items.length}+` : items.length} pending</span>}
        </h1>
        <span className="text-xs text-muted" role="status">
          {connected ? '● Live' : '○ Connecting to live updates…'}
        </span>
      </div>
      {items.length > 0 && (
        <BulkBar selected={bulk.selected.length} busy={bulk.busy} outcomes={bulk.outcomes} describe={bulk.describe} onApprove={() => void bulk.approve()} onClear={() => bulk.selectOnly([])} />
      )}
      <div className="overflow-x-auto rounded border border-border bg-surface">
        {pages.isPending ? (
          <div className="p-3">
            <SkeletonRows rows={6} label="Loading pending approvals" />
          </div>
        ) : pages.isError ? (
          <div className="p-3">
            <ErrorState title="Could not load the pending approvals" error={pages.error} onRetry={() => void pages.refetch()} />
          </div>
        ) : items.length === 0 ? (
          <div className="p-3">
            <EmptyState title="Nothing waits for approval">
              Deployments to environments that require approval (Production by default) wait here until enough operators or admins approve them. This page updates by itself.
            </EmptyState>
          </div>
        ) : (
          <ApprovalsTable allSelected={votable.length > 0 && votable.every(bulk.isSelected)} selectable={votable.length} onSelectAll={(on) => bulk.selectOnly(on ? votable : [])}>
            {items.map((item) => (
              <ApprovalRow
                key={item.id}
                item={item}
                projectName={item.project_id ? names.get(item.project_id) : undefined}
                executionName={executionNames.get(item.execution_id)}
                me={user?.id}
                blockReason={voteBlockReason(item, user)}
                selected={bulk.isSelected(item.id)}
                onSelect={(on) => bulk.select(item.id, on)}
                onApprove={() => vote.mutate({ id: item.id, approve: true, comment: '' })}
                onReject={() => open(item.id, true)}
                onOpen={() => open(item.id)}
                busy={(vote.isPending && vote.variables?.id === item.id) || (bulk.busy && bulk.isSelected(item.id))}
                error={vote.isError && vote.variables?.id === item.id ? vote.error : null}
              />
            ))}
          </ApprovalsTable>
        )}
      </div>
      <LoadMore pages={pages} />
      {openId && (
        <OpenApproval
          key={openId}
          id={openId}
          fallback={items.find((i) => i.id === openId)}
          projectNames={names}
          executionNames={executionNames}
          user={user}
          startWithReject={params.get('vote') === 'reject'}
          onClose={close}
        />
      )}
    </section>
  );
}
