// The control tower: the four health metrics, each environment's version,
// executions over time and their durations, the newest executions with why
// they wait. Everything refetches on stream events (executions,
// deployments, approvals), throttled. Below the environments, the chosen
// project's DORA metrics (dora/DoraSection), insights and advisories
// (advisories/AdvisoriesSection). The sections are shown in the user's own
// order, some maybe hidden ("Customize", dashboard/layout/). `?project=<id>`
// chooses that project (links from notifications).
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { AdvisoriesSection } from '../advisories/AdvisoriesSection';
import { summarizeEnvironments } from '../dashboard/environments';
import { useDashboardLayout } from '../dashboard/layout/api';
import { CustomizeDialog } from '../dashboard/layout/CustomizeDialog';
import type { SectionId } from '../dashboard/layout/sections';
import { EnvironmentCards } from '../dashboard/EnvironmentCards';
import { DoraSection } from '../dora/DoraSection';
import { InsightsSection } from '../insights/InsightsSection';
import { MetricTiles } from '../dashboard/MetricTiles';
import { deploymentsKey, useExecutionsInRange, useNewestExecutions, useRecentDeployments } from '../dashboard/queries';
import { RecentExecutions } from '../dashboard/RecentExecutions';
import { durations, executionsOverTime, type Range } from '../dashboard/series';
import { executionsKey } from '../executions/queries';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { setProjectScope, useProjectScope } from '../shell/projectScope';
import { dashboardMetricsQuery } from '../shell/queries';
import { EmptyState } from '../ui/EmptyState';
import { Button } from '../ui/Button';
import { ErrorState } from '../ui/ErrorState';
import { Skeleton, SkeletonRows } from '../ui/Skeleton';

const ExecutionsOverTimeChart = lazy(() => import('../dashboard/Charts').then((m) => ({ default: m.ExecutionsOverTimeChart })));
const DurationChart = lazy(() => import('../dashboard/Charts').then((m) => ({ default: m.DurationChart })));

function Panel({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section aria-label={title} className="flex flex-col gap-3 rounded border border-border bg-surface p-4">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

const NO_EXECUTIONS = (
  <EmptyState title="No executions yet">
    Push to a branch that a project maps to an environment, or start one with <code className="font-mono">opzenix run</code>.
  </EmptyState>
);

export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const range: Range = params.get('range') === '7d' ? '7d' : '24h';
  const project = useProjectScope();
  // A link naming a project (an advisory's notification: /?project=<id>)
  // chooses it, as the project switcher would.
  const linkedProject = params.get('project');
  useEffect(() => {
    if (!linkedProject) return;
    setProjectScope(linkedProject);
    const next = new URLSearchParams(params);
    next.delete('project');
    setParams(next, { replace: true });
  }, [linkedProject, params, setParams]);
  const metrics = useQuery(dashboardMetricsQuery);
  const inRange = useExecutionsInRange(range, project);
  const newest = useNewestExecutions(project);
  const deployments = useRecentDeployments(project);
  useLiveInvalidation(['executions', 'deployments', 'approvals'], [dashboardMetricsQuery.queryKey, executionsKey, deploymentsKey]);

  const items = inRange.data?.items;
  const buckets = useMemo(() => executionsOverTime(items ?? [], range, Date.now()), [items, range]);
  const points = useMemo(() => durations(items ?? []), [items]);
  const environments = useMemo(() => summarizeEnvironments(deployments.data?.items ?? []), [deployments.data]);
  const layout = useDashboardLayout();
  const [customizing, setCustomizing] = useState(false);

  const rangeToggle = (
    <div role="group" aria-label="Time range" className="flex gap-1 text-xs">
      {(['24h', '7d'] as const).map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={range === r}
          onClick={() => {
            const next = new URLSearchParams(params);
            if (r === '24h') next.delete('range');
            else next.set('range', r);
            setParams(next, { replace: true });
          }}
          className={`rounded border px-2 py-0.5 ${range === r ? 'border-accent bg-accent/10 text-accent' : 'border-border'}`}
        >
          {r === '24h' ? 'Last 24 h' : 'Last 7 days'}
        </button>
      ))}
    </div>
  );
  const chartFallback = <Skeleton className="h-[220px] w-full" />;

  const sections: Record<SectionId, ReactNode> = {
    metrics: (
      <>
        {metrics.isError && <ErrorState title="Could not load the health metrics" error={metrics.error} onRetry={() => void metrics.refetch()} />}
        <MetricTiles metrics={metrics} />
      </>
    ),
    advisories: <AdvisoriesSection />,
    environments: (
      <Panel title="Environments">
        {deployments.isError ? (
          <ErrorState title="Could not load deployments" error={deployments.error} onRetry={() => void deployments.refetch()} />
        ) : deployments.isPending ? (
          <SkeletonRows rows={2} label="Loading environments" />
        ) : (
          <EnvironmentCards environments={environments} />
        )}
      </Panel>
    ),
    dora: <DoraSection />,
    insights: <InsightsSection />,
    charts: (
      <div className="grid grid-cols-2 gap-4">
        <Panel title="Executions over time" aside={rangeToggle}>
          {inRange.isError ? (
            <ErrorState title="Could not load executions" error={inRange.error} onRetry={() => void inRange.refetch()} />
          ) : inRange.isPending ? (
            chartFallback
          ) : items && items.length > 0 ? (
            <Suspense fallback={chartFallback}>
              <ExecutionsOverTimeChart buckets={buckets} range={range} />
            </Suspense>
          ) : (
            <EmptyState title={`No executions in the ${range === '24h' ? 'last 24 hours' : 'last 7 days'}`} />
          )}
        </Panel>
        <Panel title="Durations of finished executions">
          {inRange.isPending ? (
            chartFallback
          ) : points.length > 0 ? (
            <Suspense fallback={chartFallback}>
              <DurationChart points={points} />
            </Suspense>
          ) : (
            <EmptyState title="No finished executions in this range" />
          )}
        </Panel>
      </div>
    ),
    'recent-executions': (
      <Panel title="Recent executions">
        {newest.isError ? (
          <ErrorState title="Could not load executions" error={newest.error} onRetry={() => void newest.refetch()} />
        ) : newest.isPending ? (
          <SkeletonRows rows={5} label="Loading executions" />
        ) : newest.data.items.length > 0 ? (
          <RecentExecutions executions={newest.data.items} />
        ) : (
          NO_EXECUTIONS
        )}
      </Panel>
    ),
  };
  const shown = layout.sections.filter((s) => s.visible);

  return (
    <div className="flex flex-col gap-5">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">Dashboard</h1>
        <Button size="sm" data-testid="customize-dashboard" onClick={() => setCustomizing(true)}>
          Customize
        </Button>
      </div>
      {shown.map((s) => (
        <div key={s.id} data-testid="dashboard-section" data-section={s.id} className="contents">
          {sections[s.id]}
        </div>
      ))}
      {shown.length === 0 && (
        <EmptyState
          title="Every section of the dashboard is hidden"
          action={
            <Button size="sm" onClick={() => setCustomizing(true)}>
              Customize the dashboard
            </Button>
          }
        />
      )}
      {customizing && (
        <CustomizeDialog
          sections={layout.sections}
          saved={layout.saved}
          onSave={(next) => layout.save.mutateAsync(next)}
          onReset={() => layout.reset.mutateAsync()}
          onClose={() => setCustomizing(false)}
        />
      )}
    </div>
  );
}
