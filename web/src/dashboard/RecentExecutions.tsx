// The newest executions, each with why it waits when it does.
import { Link } from 'react-router';
import type { Execution } from '../api/types';
import { displayStatus } from '../executions/displayStatus';
import { whyWaiting } from '../governance/whyWaiting';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';

export function RecentExecutions({ executions }: { executions: Execution[] }) {
  return (
    <ul data-testid="recent-executions" className="divide-y divide-border">
      {executions.map((e) => {
        const why = whyWaiting(e);
        return (
          <li key={e.id} data-execution-id={e.id} className="flex items-start gap-3 py-2">
            <StatusBadge status={displayStatus(e)} />
            <div className="min-w-0 flex-1">
              <Link to={`/executions/${e.id}`} className="font-medium hover:underline">
                {e.name || 'Unnamed execution'}
              </Link>
              <span className="ml-2 text-xs text-muted">
                {e.environment || '—'} · <span className="font-mono">{e.branch || '—'}</span>
              </span>
              {why && <p className="text-xs text-wait">{why}</p>}
            </div>
            <RelativeTime iso={e.started_at ?? e.created_at} className="text-xs whitespace-nowrap text-muted" />
          </li>
        );
      })}
    </ul>
  );
}
