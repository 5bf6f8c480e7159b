// The executions held for this environment (status paused: waiting for an
// approval, a freeze, the deploy queue, a hold, ...), oldest first, each
// with the one-line reason it waits.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { whyWaiting } from '../governance/whyWaiting';
import { shortSha } from '../ui/format';
import { RelativeTime } from '../ui/RelativeTime';
import { Skeleton } from '../ui/Skeleton';
import { envKeys, fetchQueue } from './api';

export function EnvironmentQueue({ projectId, envName }: { projectId: string; envName: string }) {
  const q = useQuery({ queryKey: envKeys.queue(projectId, envName), queryFn: () => fetchQueue(projectId, envName) });
  if (q.isPending) return <Skeleton className="h-4 w-2/3" />;
  if (q.isError) return <p className="text-sm text-bad">The queue could not be loaded: {q.error.message}</p>;
  if (q.data.length === 0) return <p className="text-sm text-muted">Nothing is waiting for {envName}.</p>;
  return (
    <ol aria-label={`Waiting for ${envName}`} data-testid="environment-queue" className="flex flex-col gap-1">
      {q.data.map((e, i) => (
        <li key={e.id} className="text-sm">
          <span className="text-muted">{i + 1}.</span>{' '}
          <Link to={`/executions/${e.id}`} className="font-medium underline">
            {e.name}
          </Link>{' '}
          <span className="font-mono text-xs" title={e.commit_hash ?? undefined}>
            {shortSha(e.commit_hash)}
          </span>{' '}
          <span className="text-muted">
            asked <RelativeTime iso={e.created_at} />
          </span>
          <span className="block text-muted">{whyWaiting(e) ?? 'Waiting'}</span>
        </li>
      ))}
    </ol>
  );
}
