// The seeds' four health metrics (GET /api/v1/dashboard/metrics) as tiles.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { DashboardMetrics } from '../api/types';
import { formatDuration } from '../ui/format';
import { Skeleton } from '../ui/Skeleton';

function Tile({ testId, label, value, note }: { testId: string; label: string; value: ReactNode; note: string }) {
  return (
    <div data-testid={testId} className="flex flex-col gap-1 rounded border border-border bg-surface p-4">
      <h2 className="text-sm font-medium text-muted">{label}</h2>
      <p className="text-2xl font-semibold tabular-nums">{value}</p>
      <p className="text-xs text-muted">{note}</p>
    </div>
  );
}

export function successRateText(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

export function MetricTiles({ metrics }: { metrics: UseQueryResult<DashboardMetrics> }) {
  const m = metrics.data;
  const v = (f: (m: DashboardMetrics) => ReactNode) => (m ? f(m) : metrics.isError ? '—' : <Skeleton className="h-8 w-16" />);
  return (
    <div className="grid grid-cols-4 gap-4">
      <Tile
        testId="metric-active-executions"
        label="Active executions"
        value={v((x) => x.active_executions)}
        note="Running, or waiting to run"
      />
      <Tile
        testId="metric-success-rate"
        label="Success rate (24 h)"
        value={v((x) => successRateText(x.success_rate_24h))}
        note={m && m.success_rate_24h === null ? 'Nothing started in the last 24 h' : 'Of executions started in the last 24 h'}
      />
      <Tile
        testId="metric-avg-deployment"
        label="Avg deployment time"
        value={v((x) => (x.avg_deployment_seconds === null ? '—' : formatDuration(x.avg_deployment_seconds * 1000)))}
        note={m && m.avg_deployment_seconds === null ? 'No successful execution yet' : 'Mean of successful executions'}
      />
      <Tile
        testId="metric-pending-approvals"
        label="Pending approvals"
        value={v((x) => x.pending_approvals)}
        note={m && m.pending_approvals > 0 ? 'Deployments wait for a reviewer’s vote' : 'Nothing waits for a vote'}
      />
    </div>
  );
}
