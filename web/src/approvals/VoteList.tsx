// Approvals given of required, and every vote with its voter's name and comment.
import { RelativeTime } from '../ui/RelativeTime';
import { progressText, voterName, waitingText, whoMayApproveText } from './text';
import type { ApprovalItem } from './types';

export function VoteList({ item, me }: { item: ApprovalItem; me?: string }) {
  return (
    <section aria-labelledby={`votes-${item.id}`} className="flex flex-col gap-1">
      <h3 id={`votes-${item.id}`} className="text-sm font-semibold">
        Approvals: <span data-testid="approval-dialog-progress">{progressText(item)}</span>
      </h3>
      {item.status === 'pending' && (
        <p className="text-sm">
          <span className="text-wait">{waitingText(item, me)}</span>
          <span className="text-muted"> · {whoMayApproveText(item, me)}</span>
        </p>
      )}
      {item.votes.length > 0 && (
        <ul className="flex flex-col gap-1">
          {item.votes.map((v) => (
            <li key={v.id ?? v.user_id} data-testid="approval-vote" className="flex items-baseline gap-2 text-sm">
              <span aria-hidden="true" className={v.vote ? 'text-ok' : 'text-bad'}>
                {v.vote ? '✓' : '✕'}
              </span>
              <span>
                <span className="font-medium">{voterName(v, me)}</span> {v.vote ? 'approved' : 'rejected'}
                {v.comment ? <span className="text-muted">: “{v.comment}”</span> : null}
              </span>
              {v.created_at && <RelativeTime iso={v.created_at} className="text-xs text-muted" />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
