// Each environment's current version and its last deployment.
import { Link } from 'react-router';
import { shortSha } from '../ui/format';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import type { EnvironmentSummary } from './environments';

function Card({ env }: { env: EnvironmentSummary }) {
  const { current, last } = env;
  return (
    <li data-testid="environment-card" data-environment={env.name} className="flex flex-col gap-2 rounded border border-border bg-surface p-4">
      <h3 className="text-sm font-semibold">{env.name}</h3>
      {current ? (
        <p className="text-sm">
          <span className="text-muted">Current </span>
          <span className="font-mono" title={current.commit_sha ?? undefined}>
            {current.version ?? shortSha(current.commit_sha)}
          </span>
        </p>
      ) : (
        <p className="text-sm text-muted">Nothing deployed yet</p>
      )}
      {last && (
        <div className="flex flex-wrap items-center gap-2 text-xs text-muted">
          <StatusBadge status={last.status} />
          <Link to={`/executions/${last.execution_id}`} className="hover:underline">
            {last.rollback_of ? 'Rollback' : 'Deployed'} <RelativeTime iso={last.completed_at ?? last.started_at ?? last.created_at} />
          </Link>
        </div>
      )}
    </li>
  );
}

export function EnvironmentCards({ environments }: { environments: EnvironmentSummary[] }) {
  return (
    <ul aria-label="Environments" className="grid grid-cols-4 gap-4">
      {environments.map((e) => (
        <Card key={e.name} env={e} />
      ))}
    </ul>
  );
}
