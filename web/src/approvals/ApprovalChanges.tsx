// What a request would deploy (GET /api/v1/approvals/{id}/changes): the
// version against the one running now and the commits between them. A
// server without the route still shows the commit the request is for.
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '../ui/ErrorState';
import { shortSha } from '../ui/format';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { approvalKeys, fetchChanges } from './api';
import { versionChangeText } from './text';
import type { ApprovalChanges as Changes, ApprovalItem } from './types';

export function ApprovalChanges({ item }: { item: ApprovalItem }) {
  const q = useQuery({ queryKey: approvalKeys.changes(item.id), queryFn: () => fetchChanges(item.id), staleTime: 60_000 });
  return (
    <section data-testid="approval-changes" aria-labelledby={`changes-${item.id}`} className="flex flex-col gap-2">
      <h3 id={`changes-${item.id}`} className="text-sm font-semibold">
        What changes
      </h3>
      {q.isPending && <SkeletonRows rows={3} label="Loading the changes" />}
      {q.isError && <ErrorState title="The changes could not be loaded" error={q.error} onRetry={() => void q.refetch()} />}
      {q.data === null && (
        <p className="text-sm">
          {item.commit_sha ? (
            <>
              {item.environment} would run commit <Sha sha={item.commit_sha} />.
            </>
          ) : (
            <>The request names no commit (a run started without one).</>
          )}{' '}
          <span className="text-muted">This server does not list the version running now or the commits between them.</span>
        </p>
      )}
      {q.data && <ChangeDetails changes={q.data} />}
    </section>
  );
}

function Sha({ sha }: { sha: string | null | undefined }) {
  return (
    <code className="font-mono text-xs" title={sha ?? undefined}>
      {shortSha(sha)}
    </code>
  );
}

function ChangeDetails({ changes: c }: { changes: Changes }) {
  return (
    <>
      <p className="text-sm" data-testid="approval-version-change">
        {versionChangeText(c)}
        {c.current?.deployed_at && (
          <span className="text-muted">
            {' '}
            (deployed <RelativeTime iso={c.current.deployed_at} />)
          </span>
        )}
      </p>
      {c.commits_error && c.current && <p className="text-sm text-wait">The commits between them could not be listed: {c.commits_error}</p>}
      {c.commits.length > 0 ? (
        <ol aria-label="Commits between the running version and this one" className="max-h-48 overflow-y-auto rounded border border-border">
          {c.commits.map((commit) => (
            <li key={commit.sha} className="flex items-baseline gap-2 border-b border-border px-2 py-1 text-sm last:border-b-0">
              <Sha sha={commit.sha} />
              <span className="min-w-0 flex-1 truncate" title={commit.subject}>
                {commit.subject}
              </span>
              <span className="text-xs text-muted">{commit.author}</span>
              <RelativeTime iso={commit.date} className="text-xs whitespace-nowrap text-muted" />
            </li>
          ))}
        </ol>
      ) : (
        !c.commits_error && c.current && <p className="text-sm text-muted">No commits between the running version and this one.</p>
      )}
      {c.commits_truncated && <p className="text-xs text-muted">Only the newest {c.commits.length} commits are shown.</p>}
    </>
  );
}
