// A connection's last checks (GET /api/v1/connections/{id} recent_checks),
// newest first.
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { StatusBadge } from '../ui/StatusBadge';
import { checkLook, connectionKey, fetchConnection } from './connections';

export function ConnectionChecks({ id }: { id: string }) {
  const q = useQuery({ queryKey: connectionKey(id), queryFn: () => fetchConnection(id) });
  if (q.isPending) return <SkeletonRows rows={2} label="Loading the recent checks" />;
  if (q.isError) return <ErrorState title="Could not load the recent checks" error={q.error} onRetry={() => void q.refetch()} />;
  const checks = q.data.recent_checks;
  if (!checks.length) return <p className="text-sm text-muted">Not checked yet. “Check now” runs one; the server also checks periodically.</p>;
  return (
    <div className="flex flex-col gap-1 border-t border-border pt-2">
      <h4 className="text-xs font-semibold tracking-wide text-muted uppercase">Recent checks (newest first)</h4>
      <ol aria-label="Recent checks" className="flex flex-col gap-1">
        {checks.map((c, i) => {
          const look = checkLook(c);
          return (
            <li key={`${c.checked_at}-${i}`} data-testid="connection-check-row" className="flex flex-wrap items-center gap-2 text-sm">
              <StatusBadge status={look.status} label={look.word} />
              <RelativeTime iso={c.checked_at} className="text-muted" />
              {c.message && <span className="font-mono text-xs break-all text-muted">{c.message}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
