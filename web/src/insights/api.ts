// GET /api/v1/projects/{id}/insights?window=… : the project's deterministic
// pipeline insights (docs/telemetry.md "Insights"): slowest nodes with their
// trend, flaky nodes, failure clusters and queue wait. A server without the
// route gets the same "not available" answer as the DORA section.
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import { isMissingEndpoint } from '../dora/api';
import { REPORT_WINDOWS, type ReportWindow } from '../ui/WindowToggle';

export const INSIGHT_WINDOWS = REPORT_WINDOWS;
export type InsightWindow = ReportWindow;
export const DEFAULT_INSIGHT_WINDOW: InsightWindow = '7d';
export { isMissingEndpoint };

export type Trend = 'slower' | 'faster' | 'steady' | 'new';

export interface SlowNode {
  node_id: string;
  runs: number;
  p50_ms: number;
  p95_ms: number;
  previous_p95_ms: number | null;
  trend: Trend;
  series: { date: string; p95_ms: number; runs: number }[];
}

export interface FlakyNode {
  node_id: string;
  runs: number;
  failures: number;
  passed_after_retry: number;
  flips: number;
  score: number; // 0..1
}

export interface FailureCluster {
  signature: string;
  exit_code: number | null;
  count: number;
  first_seen: string;
  last_seen: string;
  example_execution_ids: string[];
  node_ids: string[];
}

export interface WaitFigures {
  p50_ms: number | null;
  p95_ms: number | null;
}

export interface Insights {
  window: InsightWindow;
  window_start: string;
  generated_at: string;
  slowest_nodes: SlowNode[];
  flaky_nodes: FlakyNode[];
  failure_clusters: FailureCluster[];
  queue_wait: WaitFigures & { executions: number; nodes: WaitFigures & { runs: number } };
}

export const insightKeys = {
  all: ['insights'] as const,
  project: (projectId: string, window: InsightWindow) => ['insights', projectId, window] as const,
};

export function parseInsightWindow(value: string | null): InsightWindow {
  return (INSIGHT_WINDOWS as readonly string[]).includes(value ?? '') ? (value as InsightWindow) : DEFAULT_INSIGHT_WINDOW;
}

export const fetchInsights = (projectId: string, window: InsightWindow) =>
  get<Insights>(`/api/v1/projects/${encodeURIComponent(projectId)}/insights`, { window });

export function useInsights(projectId: string, window: InsightWindow) {
  return useQuery({
    queryKey: insightKeys.project(projectId, window),
    queryFn: () => fetchInsights(projectId, window),
    enabled: Boolean(projectId),
    retry: (failures, error) => !isMissingEndpoint(error) && failures < 1,
  });
}
