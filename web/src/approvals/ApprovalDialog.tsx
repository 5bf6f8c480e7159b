// The approval dialog (data-testid approval-dialog): the environment, the
// version to deploy against the one running now with the commits between
// them, approvals given of required with names, and whether I may vote — if
// not, why (the buttons are disabled with that reason). A rejection needs a
// comment: Reject with an empty one is refused here, before any request.
// Voting keeps the dialog open on the request's new state.
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { Button } from '../ui/Button';
import { errorText } from '../ui/ErrorState';
import { shortSha } from '../ui/format';
import { Modal } from '../ui/Modal';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { ApprovalChanges } from './ApprovalChanges';
import { executionLabel, requesterText } from './text';
import type { ApprovalItem } from './types';
import { VoteList } from './VoteList';

export const REJECT_NEEDS_COMMENT = 'A rejection needs a comment: say why, it goes to the audit trail.';

export interface ApprovalDialogProps {
  item: ApprovalItem;
  projectName?: string;
  executionName?: string;
  me?: string;
  blockReason: string | null;
  startWithReject?: boolean;
  onVote: (approve: boolean, comment: string) => Promise<unknown>;
  onClose: () => void;
}

export function ApprovalDialog({ item, projectName, executionName, me, blockReason, startWithReject = false, onVote, onClose }: ApprovalDialogProps) {
  const titleId = useId();
  const commentId = useId();
  const comment = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const pending = item.status === 'pending';
  const reason = !pending ? `This request is already ${item.status}.` : blockReason;

  // After the modal's own first focus (child effects run first): Reject from
  // a row lands in the comment it needs.
  useEffect(() => {
    if (startWithReject) comment.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const vote = async (approve: boolean) => {
    if (reason || busy) return;
    if (!approve && text.trim() === '') {
      setProblem(REJECT_NEEDS_COMMENT);
      comment.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onVote(approve, text);
      setText('');
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy={titleId} onClose={onClose} testId="approval-dialog" className="w-[44rem]">
      <div className="flex max-h-[76vh] flex-col gap-4 overflow-y-auto" data-approval-id={item.id}>
        <header className="flex flex-col gap-1">
          <div className="flex items-center justify-between gap-2">
            <h2 id={titleId} className="text-lg font-semibold">
              Deploy to {item.environment}
            </h2>
            <StatusBadge status={pending ? 'pending_approval' : item.status} />
          </div>
          <p className="text-sm text-muted">
            <Link to={`/executions/${item.execution_id}`} className="font-medium text-accent hover:underline">
              {executionLabel(item, executionName)}
            </Link>
            {' · '}
            {projectName ?? 'Unknown project'} · requested by {requesterText(item, me)} <RelativeTime iso={item.created_at} />
            {item.commit_sha && (
              <>
                {' · commit '}
                <code className="font-mono text-xs" title={item.commit_sha}>
                  {shortSha(item.commit_sha)}
                </code>
              </>
            )}
            {item.expires_at && pending && (
              <>
                {' · '}expires <RelativeTime iso={item.expires_at} />
              </>
            )}
          </p>
        </header>
        <ApprovalChanges item={item} />
        <VoteList item={item} me={me} />
        <section aria-label="Your vote" className="flex flex-col gap-2 border-t border-border pt-3">
          {reason ? (
            <p data-testid="vote-blocked-reason" className="text-sm text-wait">
              You cannot vote: {reason}
            </p>
          ) : (
            <>
              <label htmlFor={commentId} className="text-sm font-medium">
                Comment <span className="text-muted">(required to reject)</span>
              </label>
              <textarea
                id={commentId}
                ref={comment}
                data-testid="reject-comment"
                value={text}
                onChange={(e) => setText(e.target.value)}
                rows={3}
                placeholder="Why? This goes to the audit trail."
                className="rounded border border-border bg-surface-2 p-2 text-sm"
              />
            </>
          )}
          {problem !== null && (
            <p role="alert" className="text-sm text-bad">
              {typeof problem === 'string' ? problem : errorText(problem)}
              {problem instanceof ApiError && problem.requestId && <span className="text-muted"> (request id {problem.requestId})</span>}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Close</Button>
            <Button variant="danger" data-testid="reject-button" disabled={reason !== null || busy} reason={reason ?? (busy ? 'Sending your vote…' : undefined)} onClick={() => void vote(false)}>
              Reject
            </Button>
            <Button variant="primary" data-testid="approve-button" disabled={reason !== null || busy} reason={reason ?? (busy ? 'Sending your vote…' : undefined)} onClick={() => void vote(true)}>
              Approve
            </Button>
          </div>
        </section>
      </div>
    </Modal>
  );
}
