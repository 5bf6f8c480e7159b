// One pending request in the inbox: select, the execution (link) with what it
// waits for, project, environment, requested by, age, approvals given of
// required, and the actions: Approve (one click), Reject (opens the dialog
// for the comment it needs), Details. Actions the user may not take are
// disabled with the reason.
import { Link } from 'react-router';
import { errorText } from '../ui/ErrorState';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { executionLabel, progressText, requesterText, waitingText } from './text';
import type { ApprovalItem } from './types';

export interface ApprovalRowProps {
  item: ApprovalItem;
  projectName?: string;
  executionName?: string;
  me?: string;
  blockReason: string | null;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onApprove: () => void;
  onReject: () => void;
  onOpen: () => void;
  busy: boolean;
  error: unknown;
}

export function ApprovalRow({ item, projectName, executionName, me, blockReason, selected, onSelect, onApprove, onReject, onOpen, busy, error }: ApprovalRowProps) {
  const label = executionLabel(item, executionName);
  const project = projectName ?? (item.project_id ? 'Unknown project' : 'No project');
  return (
    <tr data-testid="approval-row" data-approval-id={item.id} className="border-b border-border align-top hover:bg-surface-2 focus-within:bg-surface-2">
      <td className="py-2 pr-2 pl-3">
        <input
          type="checkbox"
          data-testid="approval-select"
          checked={selected}
          disabled={blockReason !== null}
          title={blockReason ?? undefined}
          onChange={(e) => onSelect(e.target.checked)}
          aria-label={blockReason ? `Cannot select ${label}: ${blockReason}` : `Select ${label} for ${item.environment}`}
          className="mt-1"
        />
      </td>
      <td className="max-w-80 py-2 pr-3">
        <Link to={`/executions/${item.execution_id}`} data-row-link className="font-medium text-fg hover:underline">
          {label}
        </Link>
        <p className="mt-0.5 text-xs text-wait">{waitingText(item, me)}</p>
        {error !== null && error !== undefined && (
          <p role="alert" className="mt-0.5 text-xs text-bad">
            {errorText(error)}
          </p>
        )}
      </td>
      <td className="py-2 pr-3 text-sm text-muted">{project}</td>
      <td className="py-2 pr-3 text-sm font-medium">{item.environment}</td>
      <td className="py-2 pr-3 text-sm">{requesterText(item, me)}</td>
      <td className="py-2 pr-3 text-sm whitespace-nowrap">
        <RelativeTime iso={item.created_at} />
      </td>
      <td className="py-2 pr-3 text-sm whitespace-nowrap tabular-nums" data-testid="approval-progress">
        {progressText(item)}
      </td>
      <td className="py-2 pr-3">
        <div className="flex justify-end gap-1.5">
          <Button
            size="sm"
            variant="primary"
            data-testid="approve-button"
            disabled={blockReason !== null || busy}
            reason={blockReason ?? (busy ? 'Sending your vote…' : undefined)}
            onClick={onApprove}
            aria-label={`Approve ${label} to ${item.environment}`}
          >
            Approve
          </Button>
          <Button
            size="sm"
            data-testid="reject-button"
            disabled={blockReason !== null || busy}
            reason={blockReason ?? (busy ? 'Sending your vote…' : undefined)}
            onClick={onReject}
            aria-label={`Reject ${label} to ${item.environment}`}
          >
            Reject
          </Button>
          <Button size="sm" variant="ghost" data-testid="approval-open" onClick={onOpen} aria-label={`Details of ${label} to ${item.environment}`}>
            Details
          </Button>
        </div>
      </td>
    </tr>
  );
}
