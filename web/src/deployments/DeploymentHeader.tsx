// The deployment's title line: version, environment, status, who, when,
// how long, and links to its execution and its environment.
import { Link } from 'react-router';
import { versionText } from '../environments/words';
import { durationBetween, formatDuration, shortSha } from '../ui/format';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import type { DeploymentDetail } from './types';

const STATUS_WORD: Record<string, string> = { rolled_back: 'Rolled back', blocked: 'Blocked' };

export function DeploymentHeader({ deployment: d, userName }: { deployment: DeploymentDetail; userName: (id: string | null) => string }) {
  return (
    <header className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">
          <span className="font-mono">{versionText(d)}</span> to {d.environment}
        </h1>
        <StatusBadge status={d.status} label={STATUS_WORD[d.status]} />
        {d.is_current && <span className="rounded bg-ok/15 px-1.5 text-xs font-medium text-ok">running now</span>}
        {d.marked_bad && <span className="rounded bg-bad/10 px-1.5 text-xs font-medium text-bad">⚠ bad version</span>}
      </div>
      <p className="text-sm text-muted">
        Commit{' '}
        <span className="font-mono text-fg" title={d.commit_sha ?? undefined}>
          {shortSha(d.commit_sha)}
        </span>
        {d.image_tag && (
          <>
            , image <span className="font-mono text-fg">{d.image_tag}</span>
          </>
        )}{' '}
        · by {userName(d.deployed_by)} · started <RelativeTime iso={d.started_at ?? d.created_at} />
        {d.started_at && <> · took {formatDuration(durationBetween(d.started_at, d.completed_at))}</>}
        {d.execution_id && (
          <>
            {' '}
            ·{' '}
            <Link to={`/executions/${d.execution_id}`} className="text-accent underline">
              execution
            </Link>
          </>
        )}{' '}
        ·{' '}
        <Link to={`/projects/${d.project_id}/environments`} className="text-accent underline">
          {d.environment}'s history
        </Link>
      </p>
      {d.reason && <p className="text-sm">Reason: {d.reason}</p>}
    </header>
  );
}
