// Executions: the list with filters in the URL, "Load more" through
// next_cursor, live through the stream, j/k + Enter to open.
import { useSearchParams } from 'react-router';
import { clearedFilters, filtersFromParams, isFiltered, withFilter } from '../executions/filters';
import { ExecutionFilterBar } from '../executions/ExecutionFilterBar';
import { ExecutionsTable } from '../executions/ExecutionsTable';
import { executionsKey, useExecutionPages } from '../executions/queries';
import { useProjects } from '../executions/useProjectNames';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { useProjectScope } from '../shell/projectScope';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { LoadMore } from '../ui/LoadMore';

export function ExecutionsPage() {
  const [params, setParams] = useSearchParams();
  const scope = useProjectScope();
  const filters = filtersFromParams(params, scope);
  const { projects, names } = useProjects();
  const pages = useExecutionPages(filters);
  const { connected } = useLiveInvalidation(['executions', 'approvals'], [executionsKey], { projectId: filters.project || undefined });
  const executions = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = isFiltered(filters);

  return (
    <section aria-labelledby="executions-title" className="flex flex-col gap-4">
      <div className="flex items-baseline justify-between">
        <h1 id="executions-title" className="text-xl font-semibold">
          Executions
        </h1>
        <span className="text-xs text-muted" role="status">
          {connected ? '● Live' : '○ Connecting to live updates…'}
        </span>
      </div>
      <ExecutionFilterBar
        filters={filters}
        projects={projects}
        onChange={(key, value) => setParams(withFilter(params, key, value), { replace: true })}
        onClear={filtered ? () => setParams(clearedFilters(params), { replace: true }) : undefined}
      />
      <div className="overflow-x-auto rounded border border-border bg-surface">
        {pages.isPending ? (
          <div className="p-3">
            <SkeletonRows rows={8} label="Loading executions" />
          </div>
        ) : pages.isError ? (
          <div className="p-3">
            <ErrorState title="Could not load executions" error={pages.error} onRetry={() => void pages.refetch()} />
          </div>
        ) : executions.length === 0 ? (
          <div className="p-3">
            {filtered ? (
              <EmptyState title="No executions match these filters">Change or clear the filters to see more.</EmptyState>
            ) : (
              <EmptyState title="No executions yet">
                Push to a branch that a project maps to an environment, or start one with <code className="font-mono">opzenix run</code> or{' '}
                <code className="font-mono">POST /api/v1/executions</code>.
              </EmptyState>
            )}
          </div>
        ) : (
          <ExecutionsTable executions={executions} projectNames={names} caption="Executions, newest first" />
        )}
      </div>
      <LoadMore pages={pages} />
    </section>
  );
}
