// One execution in the list: status, name (the link) with why it waits,
// project, environment, branch, commit, trigger, started, duration.
import { Link } from 'react-router';
import type { Execution } from '../api/types';
import { whyWaiting } from '../governance/whyWaiting';
import { shortSha } from '../ui/format';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { displayStatus } from './displayStatus';
import { LiveDuration } from './LiveDuration';
import { triggerWord } from './words';

export function ExecutionRow({ execution: e, projectName }: { execution: Execution; projectName?: string }) {
  const why = whyWaiting(e);
  const status = displayStatus(e);
  return (
    <tr data-testid="execution-row" data-execution-id={e.id} data-status={e.status} className="border-b border-border hover:bg-surface-2 focus-within:bg-surface-2">
      <td className="py-2 pr-3 pl-3 align-top">
        <StatusBadge status={status} />
      </td>
      <td className="max-w-80 py-2 pr-3 align-top">
        <Link to={`/executions/${e.id}`} data-row-link className="font-medium text-fg hover:underline">
          {e.name || 'Unnamed execution'}
        </Link>
        {why && (
          <p data-testid="why-waiting" className="mt-0.5 text-xs text-wait">
            {why}
          </p>
        )}
      </td>
      <td className="py-2 pr-3 align-top text-sm text-muted">{projectName ?? (e.project_id ? 'Unknown project' : '—')}</td>
      <td className="py-2 pr-3 align-top text-sm">{e.environment || '—'}</td>
      <td className="max-w-40 truncate py-2 pr-3 align-top font-mono text-xs" title={e.branch ?? undefined}>
        {e.branch || '—'}
      </td>
      <td className="py-2 pr-3 align-top font-mono text-xs" title={e.commit_hash || undefined}>
        {shortSha(e.commit_hash)}
      </td>
      <td className="py-2 pr-3 align-top text-sm">{triggerWord(e.trigger_type)}</td>
      <td className="py-2 pr-3 align-top text-sm whitespace-nowrap">
        <RelativeTime iso={e.started_at ?? e.created_at} />
      </td>
      <td className="py-2 pr-3 text-right align-top text-sm whitespace-nowrap tabular-nums">
        <LiveDuration start={e.started_at} end={e.completed_at} running={e.status === 'running'} />
      </td>
    </tr>
  );
}
