// "Pipeline insights" on the dashboard, below DORA: the chosen project's
// slowest nodes, flaky nodes, failure clusters and queue wait over a window
// (7, 30 or 90 days; ?insights_window=, default 7 days). Computed by the
// server without any external service; refetched when executions change.
// With "all projects" chosen it asks for a project; a server without the
// route gets an explanation.
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { useProjectScope } from '../shell/projectScope';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { Skeleton } from '../ui/Skeleton';
import { REPORT_WINDOW_WORD as WINDOW_WORD, WindowToggle } from '../ui/WindowToggle';
import { DEFAULT_INSIGHT_WINDOW, insightKeys, isMissingEndpoint, parseInsightWindow, useInsights, type Insights, type InsightWindow } from './api';
import { FailureClusters } from './FailureClusters';
import { FlakyNodes } from './FlakyNodes';
import { QueueWait } from './QueueWait';
import { SlowestNodes } from './SlowestNodes';

const TITLE = 'Pipeline insights';

function Frame({ aside, children }: { aside?: ReactNode; children: ReactNode }) {
  return (
    <section aria-label={TITLE} data-testid="insights-section" className="flex flex-col gap-3 rounded border border-border bg-surface p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">{TITLE}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">{title}</h3>
      {children}
    </div>
  );
}

const LOADING = (
  <div role="status" aria-label="Loading pipeline insights" className="grid grid-cols-2 gap-4">
    <Skeleton className="h-[160px] w-full" />
    <Skeleton className="h-[160px] w-full" />
    <Skeleton className="col-span-2 h-[120px] w-full" />
  </div>
);

function InsightsBody({ insights, window }: { insights: Insights; window: InsightWindow }) {
  const nothing = insights.slowest_nodes.length === 0 && insights.failure_clusters.length === 0 && insights.queue_wait.executions === 0;
  if (nothing) {
    return (
      <EmptyState title={`No executions of this project in the last ${WINDOW_WORD[window]}`}>
        Insights appear when the project’s pipelines run: the slowest nodes, nodes that pass only after a retry, recurring
        failures and how long runs wait to start.
      </EmptyState>
    );
  }
  return (
    <div className="grid grid-cols-2 gap-4">
      <Part title="Slowest nodes">
        <SlowestNodes nodes={insights.slowest_nodes} />
      </Part>
      <div className="flex min-w-0 flex-col gap-4">
        <Part title="Queue wait">
          <QueueWait wait={insights.queue_wait} />
        </Part>
        <Part title="Flaky nodes">
          <FlakyNodes nodes={insights.flaky_nodes} />
        </Part>
      </div>
      <div className="col-span-2">
        <Part title="Failure clusters">
          <FailureClusters clusters={insights.failure_clusters} />
        </Part>
      </div>
    </div>
  );
}

function ProjectInsights({ projectId }: { projectId: string }) {
  const [params, setParams] = useSearchParams();
  const window = parseInsightWindow(params.get('insights_window'));
  const setWindow = (w: InsightWindow) => {
    const next = new URLSearchParams(params);
    if (w === DEFAULT_INSIGHT_WINDOW) next.delete('insights_window');
    else next.set('insights_window', w);
    setParams(next, { replace: true });
  };
  const insights = useInsights(projectId, window);
  const missing = isMissingEndpoint(insights.error);
  // Finished executions change the figures; log lines and progress do not.
  useLiveInvalidation(['executions'], [insightKeys.all], {
    projectId,
    enabled: !missing,
    intervalMs: 5000,
    filter: (e) => e.type === 'UPDATE' && !!e.old && 'completed_at' in e.old,
  });

  if (missing) {
    return (
      <Frame>
        <EmptyState title="Pipeline insights are not available from this server">
          This server does not answer <code className="font-mono">GET /api/v1/projects/…/insights</code>. Upgrade Opzenix to a
          version with insights to see slow and flaky nodes and recurring failures here.
        </EmptyState>
      </Frame>
    );
  }
  return (
    <Frame aside={<WindowToggle label="Insights window" testIdPrefix="insights-window" value={window} onChange={setWindow} />}>
      {insights.isError ? (
        <ErrorState title="Could not load the pipeline insights" error={insights.error} onRetry={() => void insights.refetch()} />
      ) : insights.isPending ? (
        LOADING
      ) : (
        <InsightsBody insights={insights.data} window={window} />
      )}
    </Frame>
  );
}

export function InsightsSection() {
  const projectId = useProjectScope();
  if (!projectId) {
    return (
      <Frame>
        <EmptyState title="Pick a project to see its pipeline insights">
          Slowest nodes, flaky nodes, failure clusters and queue wait are measured per project: choose one in the project
          switcher at the top.
        </EmptyState>
      </Frame>
    );
  }
  return <ProjectInsights projectId={projectId} />;
}
