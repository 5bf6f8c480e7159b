// The version running now in the environment and its health: the latest
// probes of the deployment that put it there (GET /api/v1/deployments/{id}).
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { shortSha } from '../ui/format';
import { RelativeTime } from '../ui/RelativeTime';
import { deployKeys, fetchDeployment } from './api';
import { healthSummary } from '../deployments/health';
import type { HistoryItem } from './types';
import { versionText } from './words';

export function CurrentVersion({ current, userName }: { current: HistoryItem | null; userName: (id: string | null) => string }) {
  const detail = useQuery({
    queryKey: deployKeys.detail(current?.deployment_id ?? ''),
    queryFn: () => fetchDeployment(current!.deployment_id),
    enabled: current !== null,
  });
  if (!current) return <p className="text-sm text-muted">Nothing deployed yet.</p>;
  const health = detail.data ? healthSummary(detail.data.probes) : null;
  return (
    <div data-testid="current-version" className="flex flex-col gap-0.5 text-sm">
      <p>
        <Link to={`/deployments/${current.deployment_id}`} className="font-mono font-semibold hover:underline">
          {versionText(current)}
        </Link>{' '}
        <span className="font-mono text-xs text-muted" title={current.commit_sha ?? undefined}>
          {shortSha(current.commit_sha)}
        </span>
        <span className="text-muted">
          {' '}
          by {userName(current.deployed_by)} <RelativeTime iso={current.completed_at ?? current.created_at} />
        </span>
      </p>
      {health && (
        <p data-testid="current-health" data-health={health.tone} className={health.tone === 'bad' ? 'text-bad' : health.tone === 'ok' ? 'text-ok' : 'text-muted'}>
          <span aria-hidden="true">{health.tone === 'ok' ? '✓ ' : health.tone === 'bad' ? '✕ ' : '○ '}</span>
          {health.text}
        </p>
      )}
    </div>
  );
}
