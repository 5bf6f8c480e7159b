// "Delivery performance (DORA)" on the dashboard: the chosen project's four
// DORA metrics with their bands and deployments per day, for a window (7, 30
// or 90 days; ?dora_window=) and an environment (?dora_env=, default
// Production). Refetches on deployment events. With "all projects" chosen it
// asks for a project; a server without the DORA route gets an explanation.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { envKeys, fetchEnvironments } from '../environments/api';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { useProjectScope } from '../shell/projectScope';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { Skeleton } from '../ui/Skeleton';
import { REPORT_WINDOW_WORD as WINDOW_WORD, WindowToggle } from '../ui/WindowToggle';
import { DEFAULT_ENVIRONMENT, DEFAULT_WINDOW, doraKeys, isMissingEndpoint, parseWindow, useDora } from './api';
import { DoraTiles } from './DoraTiles';

const DoraChart = lazy(() => import('./DoraChart').then((m) => ({ default: m.DoraChart })));

function useUrlChoice(key: string, fallback: string): [string, (v: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(key) || fallback;
  const set = (v: string) => {
    const next = new URLSearchParams(params);
    if (v === fallback) next.delete(key);
    else next.set(key, v);
    setParams(next, { replace: true });
  };
  return [value, set];
}

function EnvironmentSelect({ projectId, value, onChange }: { projectId: string; value: string; onChange: (e: string) => void }) {
  const id = useId();
  const environments = useQuery({ queryKey: envKeys.list(projectId), queryFn: () => fetchEnvironments(projectId), staleTime: 60_000 });
  const names = (environments.data ?? []).map((e) => e.name);
  if (!names.includes(value)) names.push(value);
  return (
    <span className="flex items-center gap-1 text-xs">
      <label htmlFor={id} className="text-muted">
        Environment
      </label>
      <select
        id={id}
        data-testid="dora-environment"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="rounded border border-border bg-surface px-1 py-0.5"
      >
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </span>
  );
}

const LOADING = (
  <div role="status" aria-label="Loading DORA metrics" className="flex flex-col gap-3">
    <div className="grid grid-cols-4 gap-3">
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} className="h-[92px] w-full" />
      ))}
    </div>
    <Skeleton className="h-[200px] w-full" />
  </div>
);

function Frame({ aside, children }: { aside?: ReactNode; children: ReactNode }) {
  const title = 'Delivery performance (DORA)';
  return (
    <section aria-label={title} data-testid="dora-section" className="flex flex-col gap-3 rounded border border-border bg-surface p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

function ProjectDora({ projectId }: { projectId: string }) {
  const [rawWindow, setWindow] = useUrlChoice('dora_window', DEFAULT_WINDOW);
  const [environment, setEnvironment] = useUrlChoice('dora_env', DEFAULT_ENVIRONMENT);
  const period = parseWindow(rawWindow);
  const dora = useDora(projectId, period, environment);
  const missing = isMissingEndpoint(dora.error);
  useLiveInvalidation(['deployments'], [doraKeys.all], { projectId, enabled: !missing });

  if (missing) {
    return (
      <Frame>
        <EmptyState title="DORA metrics are not available from this server">
          This server does not answer <code className="font-mono">GET /api/v1/projects/…/dora</code>. Upgrade Opzenix to a version
          with DORA metrics to see deployment frequency, lead time, change failure rate and time to restore here.
        </EmptyState>
      </Frame>
    );
  }
  const controls = (
    <div className="flex items-center gap-3">
      <EnvironmentSelect projectId={projectId} value={environment} onChange={setEnvironment} />
      <WindowToggle label="DORA window" testIdPrefix="dora-window" value={period} onChange={(w) => setWindow(w)} />
    </div>
  );
  const chartFallback = <Skeleton className="h-[200px] w-full" />;
  return (
    <Frame aside={controls}>
      {dora.isError ? (
        <ErrorState title="Could not load the DORA metrics" error={dora.error} onRetry={() => void dora.refetch()} />
      ) : dora.isPending ? (
        LOADING
      ) : (
        <>
          <DoraTiles metrics={dora.data} />
          {dora.data.series.some((d) => d.deployments > 0 || d.failures > 0) ? (
            <Suspense fallback={chartFallback}>
              <DoraChart series={dora.data.series} />
            </Suspense>
          ) : (
            <EmptyState title={`No deployments to ${environment} in the last ${WINDOW_WORD[period]}`}>
              Deployments appear here when a pipeline’s deploy node finishes in this environment.
            </EmptyState>
          )}
        </>
      )}
    </Frame>
  );
}

export function DoraSection() {
  const projectId = useProjectScope();
  if (!projectId) {
    return (
      <Frame>
        <EmptyState title="Pick a project to see its delivery performance">
          DORA metrics (deployment frequency, lead time for changes, change failure rate, time to restore) are measured per
          project: choose one in the project switcher at the top.
        </EmptyState>
      </Frame>
    );
  }
  return <ProjectDora projectId={projectId} />;
}
